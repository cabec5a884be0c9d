-- The catalog's tables. Ids are UUID strings, timestamps integer millis,
-- flags 0/1 integers: the shapes sqlx's Any driver carries on both engines.

CREATE TABLE catalog_meta (
    meta_key TEXT CONSTRAINT catalog_meta_pkey PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE seed_marker (
    seed_name TEXT CONSTRAINT seed_marker_pkey PRIMARY KEY,
    applied_at BIGINT NOT NULL
);

CREATE TABLE category (
    category_id TEXT CONSTRAINT category_pkey PRIMARY KEY,
    parent_id TEXT CONSTRAINT category_parent_fkey REFERENCES category (category_id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    depth BIGINT NOT NULL CONSTRAINT category_depth_range CHECK (depth BETWEEN 1 AND 3),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX category_parent_idx ON category (parent_id, position);

CREATE TABLE product (
    product_id TEXT CONSTRAINT product_pkey PRIMARY KEY,
    category_id TEXT NOT NULL CONSTRAINT product_category_fkey REFERENCES category (category_id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    brand TEXT NOT NULL,
    -- JSON arrays of strings.
    tags TEXT NOT NULL,
    images TEXT NOT NULL,
    hot BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL CONSTRAINT product_status_valid CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    -- Maintained from order events; the SALES sort reads it.
    sales_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX product_category_idx ON product (category_id);
CREATE INDEX product_created_idx ON product (created_at, product_id);
CREATE INDEX product_brand_idx ON product (brand);

CREATE TABLE sku (
    sku_id TEXT CONSTRAINT sku_pkey PRIMARY KEY,
    product_id TEXT NOT NULL CONSTRAINT sku_product_fkey REFERENCES product (product_id),
    name TEXT NOT NULL,
    price BIGINT NOT NULL CONSTRAINT sku_price_nonnegative CHECK (price >= 0),
    currency TEXT NOT NULL,
    -- A safety net: every decrement is a conditional update that never gets here.
    stock BIGINT NOT NULL CONSTRAINT sku_stock_nonnegative CHECK (stock >= 0),
    status TEXT NOT NULL CONSTRAINT sku_status_valid CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sku_product_idx ON sku (product_id, position);

CREATE TABLE review (
    review_id TEXT CONSTRAINT review_pkey PRIMARY KEY,
    product_id TEXT NOT NULL CONSTRAINT review_product_fkey REFERENCES product (product_id),
    user_id TEXT NOT NULL,
    parent_id TEXT CONSTRAINT review_parent_fkey REFERENCES review (review_id),
    -- Top-level reviews carry a rating; replies do not.
    rating BIGINT CONSTRAINT review_rating_range CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX review_product_idx ON review (product_id, created_at);
CREATE INDEX review_user_idx ON review (user_id, created_at);
CREATE INDEX review_parent_idx ON review (parent_id, created_at);

CREATE TABLE favorite (
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL CONSTRAINT favorite_product_fkey REFERENCES product (product_id),
    created_at BIGINT NOT NULL,
    CONSTRAINT favorite_pkey PRIMARY KEY (user_id, product_id)
);

CREATE TABLE flash_sale (
    flash_sale_id TEXT CONSTRAINT flash_sale_pkey PRIMARY KEY,
    sku_id TEXT NOT NULL CONSTRAINT flash_sale_sku_fkey REFERENCES sku (sku_id),
    sale_price BIGINT NOT NULL CONSTRAINT flash_sale_price_nonnegative CHECK (sale_price >= 0),
    quantity BIGINT NOT NULL CONSTRAINT flash_sale_quantity_positive CHECK (quantity > 0),
    per_user_limit BIGINT NOT NULL CONSTRAINT flash_sale_limit_positive CHECK (per_user_limit > 0),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT flash_sale_window_valid CHECK (ends_at > starts_at)
);
CREATE INDEX flash_sale_window_idx ON flash_sale (starts_at, ends_at);

-- One row per order that reserved stock: the idempotency key of reserve
-- (the same order id reserves once) and the guard of release (a conditional
-- RESERVED -> RELEASED change, so stock comes back exactly once).
CREATE TABLE stock_reservation (
    order_id TEXT CONSTRAINT stock_reservation_pkey PRIMARY KEY,
    state TEXT NOT NULL CONSTRAINT stock_reservation_state_valid CHECK (state IN ('RESERVED', 'RELEASED')),
    -- The reserved lines as returned to the caller (JSON).
    lines TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    released_at BIGINT
);
