-- sku_day keyed by day first. Its rows are about one per order, and the import builds it by
-- one GROUP BY after a bulk load: days arrive nearly in order (exports list orders by time),
-- so the sort is a quarter cheaper than one by SKU first (bench/RESULTS-import.md).
-- /top <sku> reads the month's days one key range each: `day IN (...) AND sku = ?`.

CREATE TABLE sku_day_by_day (
    sku       TEXT NOT NULL,
    day       INTEGER NOT NULL,
    sharer_id TEXT NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (day, sku, sharer_id)
) WITHOUT ROWID;
INSERT INTO sku_day_by_day SELECT sku, day, sharer_id, valid_fen, orders FROM sku_day;
DROP TABLE sku_day;
ALTER TABLE sku_day_by_day RENAME TO sku_day;
