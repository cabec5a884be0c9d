-- Products whose in-stock state a stock write may have changed, still to be
-- announced as `stock.changed`: a reservation, release or adjustment that
-- takes a SKU to zero or back above it marks its product here, in its own
-- transaction, and the announcer turns the marks into events after commit.
-- One row per product, so many changes coalesce into one event; `seq` is
-- bumped by every mark, so the announcer clears only the mark it read.
CREATE TABLE stock_change (
    product_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL
);
