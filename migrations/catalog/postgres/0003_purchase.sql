-- Reviews are for buyers: who bought what, learnt from the orders service's
-- order.paid events (never from its tables), and one top-level review per
-- user per product.

-- One row per (user, product), however many orders bought it. No foreign
-- key to product: an event naming a product this catalog does not hold is
-- still consumed (the row is harmless), instead of failing forever.
CREATE TABLE purchase (
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    -- The order that first bought it, for tracing.
    order_id TEXT NOT NULL,
    purchased_at BIGINT NOT NULL,
    CONSTRAINT purchase_pkey PRIMARY KEY (user_id, product_id)
);

-- Reviews written before this rule may repeat a (user, product). Rather
-- than delete what people wrote, each later duplicate becomes a reply to
-- that user's first review of the product (its text kept, its rating
-- dropped, as on every reply), so the unique index below can be built.
UPDATE review SET
    rating = NULL,
    parent_id = (
        SELECT kept.review_id FROM review kept
        WHERE kept.parent_id IS NULL AND kept.user_id = review.user_id
          AND kept.product_id = review.product_id
        ORDER BY kept.created_at, kept.review_id LIMIT 1
    )
WHERE parent_id IS NULL AND EXISTS (
    SELECT 1 FROM review older
    WHERE older.parent_id IS NULL AND older.user_id = review.user_id
      AND older.product_id = review.product_id
      AND (older.created_at < review.created_at
           OR (older.created_at = review.created_at AND older.review_id < review.review_id))
);

-- The rule itself; the code maps a violation to ALREADY_REVIEWED. Replies
-- (parent_id set) are not limited.
CREATE UNIQUE INDEX review_one_per_user_product ON review (user_id, product_id)
    WHERE parent_id IS NULL;
