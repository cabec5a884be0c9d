-- The transactional outbox (platform::events::outbox): a service writes the
-- events announcing a change in the transaction that makes it, and the
-- relay publishes them to the broker. Owned by platform and created by
-- platform::db::Db::migrate after the service's own migrations, for every
-- service whose Migrations name EventTable::Outbox. Idempotent, and
-- accepted by PostgreSQL and SQLite alike: the databases made before
-- platform owned it have it already from their service's migrations
-- (catalog 0002_events, orders 0001_orders), which stay as they were
-- applied.

CREATE TABLE IF NOT EXISTS outbox (
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
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (published_at, next_attempt_at);
