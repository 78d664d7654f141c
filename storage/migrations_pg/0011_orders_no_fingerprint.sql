-- orders.fingerprint has no reader (storage/migrations/0011_orders_no_fingerprint.sql).
ALTER TABLE orders DROP COLUMN fingerprint;
