-- orders.fingerprint: no reader since re-imports compare raw cell hashes (raw_fp) and the
-- stored columns themselves (storage/order_sql.py); the import wrote 0 into it.

ALTER TABLE orders DROP COLUMN fingerprint;
