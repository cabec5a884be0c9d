-- The orders service's tables: carts, orders with their item and address
-- snapshots, payments, and the event outbox / processed-message records.
-- Ids are UUID text, timestamps BIGINT milliseconds, money BIGINT minor units.

CREATE TABLE cart_line (
    user_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT cart_line_pk PRIMARY KEY (user_id, sku_id),
    CONSTRAINT cart_line_quantity_check CHECK (quantity > 0)
);

CREATE TABLE customer_order (
    order_id TEXT NOT NULL,
    order_number TEXT NOT NULL,
    user_id TEXT NOT NULL,
    status TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    flash_sale_id TEXT,
    total_amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    recipient TEXT NOT NULL,
    phone TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    tracking_number TEXT,
    cancel_reason TEXT,
    refund_reason TEXT,
    refund_from_status TEXT,
    stock_released_at BIGINT,
    paid_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT customer_order_pk PRIMARY KEY (order_id),
    CONSTRAINT customer_order_number_key UNIQUE (order_number),
    CONSTRAINT customer_order_idempotency_key UNIQUE (user_id, idempotency_key)
);
CREATE INDEX customer_order_user_idx ON customer_order (user_id, created_at);
CREATE INDEX customer_order_status_idx ON customer_order (status, created_at);
CREATE INDEX customer_order_flash_sale_idx ON customer_order (flash_sale_id);

CREATE TABLE order_item (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    sku_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    sku_name TEXT NOT NULL,
    unit_price BIGINT NOT NULL,
    currency TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    CONSTRAINT order_item_pk PRIMARY KEY (order_id, position),
    CONSTRAINT order_item_order_fk FOREIGN KEY (order_id) REFERENCES customer_order (order_id)
);
CREATE INDEX order_item_product_idx ON order_item (product_id);

CREATE TABLE payment (
    payment_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    method TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    callbacks BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT payment_pk PRIMARY KEY (payment_id),
    CONSTRAINT payment_idempotency_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT payment_order_fk FOREIGN KEY (order_id) REFERENCES customer_order (order_id)
);
CREATE INDEX payment_order_idx ON payment (order_id);

CREATE TABLE outbox (
    outbox_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    delay_ms BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT,
    CONSTRAINT outbox_pk PRIMARY KEY (outbox_id)
);
CREATE INDEX outbox_pending_idx ON outbox (published_at, next_attempt_at);

CREATE TABLE processed_message (
    consumer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    CONSTRAINT processed_message_pk PRIMARY KEY (consumer, message_id)
);
