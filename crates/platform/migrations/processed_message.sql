-- The ids of the events a consumer has handled (platform::events::
-- idempotency), so a redelivered event changes nothing. Owned by platform
-- and created by platform::db::Db::migrate after the service's own
-- migrations, for every service whose Migrations name
-- EventTable::ProcessedMessage. Idempotent, and accepted by PostgreSQL and
-- SQLite alike: the databases made before platform owned it have it
-- already from their service's migrations (catalog 0002_events, orders
-- 0001_orders, search 0001_processed_message), which stay as they were
-- applied.

CREATE TABLE IF NOT EXISTS processed_message (
    consumer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    CONSTRAINT processed_message_pk PRIMARY KEY (consumer, message_id)
);
