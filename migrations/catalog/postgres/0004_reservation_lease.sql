-- A reservation is held under a lease: the sweeper releases one whose order
-- was never stored once it is older than the grace period. `reserved_at` is
-- when the current hold began (a released reservation taken again starts a
-- new lease); `created_at` stays the first reservation's time.
ALTER TABLE stock_reservation ADD COLUMN reserved_at BIGINT;
UPDATE stock_reservation SET reserved_at = created_at;
ALTER TABLE stock_reservation ALTER COLUMN reserved_at SET NOT NULL;

-- The sweeper's lookup: the oldest held reservations first.
CREATE INDEX stock_reservation_lease_idx ON stock_reservation (state, reserved_at);
