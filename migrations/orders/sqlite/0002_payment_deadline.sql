-- Each order keeps the moment it must be paid by, fixed when it is placed:
-- the timeout setting may change later (a restart with another
-- ORDER_PAYMENT_TIMEOUT) and must not move older orders' deadlines.
ALTER TABLE customer_order ADD COLUMN payment_deadline BIGINT NOT NULL DEFAULT 0;
-- Orders placed before this column existed get the default timeout of
-- the time (30 minutes), the best record there is of what they were told.
UPDATE customer_order SET payment_deadline = created_at + 1800000;
CREATE INDEX customer_order_deadline_idx ON customer_order (status, payment_deadline);
