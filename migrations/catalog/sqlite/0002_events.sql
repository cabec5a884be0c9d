-- Events: the transactional outbox (product.changed for the search index)
-- and the processed-message table of the order-event consumer. The shapes
-- are platform::events::{outbox, idempotency}'s.

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
