-- A reservation is held under a lease: the sweeper releases one whose order
-- was never stored once it is older than the grace period. `reserved_at` is
-- when the current hold began (a released reservation taken again starts a
-- new lease); `created_at` stays the first reservation's time.
-- (SQLite adds a NOT NULL column only with a default; every row is set below.)
ALTER TABLE stock_reservation ADD COLUMN reserved_at BIGINT NOT NULL DEFAULT 0;
UPDATE stock_reservation SET reserved_at = created_at;

-- The sweeper's lookup: the oldest held reservations first.
CREATE INDEX stock_reservation_lease_idx ON stock_reservation (state, reserved_at);
