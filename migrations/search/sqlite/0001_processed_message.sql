-- The ids of the events the search index has applied, so a redelivered
-- event is applied once (platform::events::idempotency).
CREATE TABLE processed_message (
    consumer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    CONSTRAINT processed_message_pk PRIMARY KEY (consumer, message_id)
);
