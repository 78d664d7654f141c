-- sku_day keyed by day first (storage/migrations/0008_sku_day_by_day.sql).

CREATE TABLE sku_day_by_day (
    sku       TEXT COLLATE "C" NOT NULL,
    day       BIGINT NOT NULL,
    sharer_id TEXT COLLATE "C" NOT NULL,
    valid_fen BIGINT NOT NULL,
    orders    BIGINT NOT NULL,
    PRIMARY KEY (day, sku, sharer_id)
);
INSERT INTO sku_day_by_day SELECT sku, day, sharer_id, valid_fen, orders FROM sku_day;
DROP TABLE sku_day;
ALTER TABLE sku_day_by_day RENAME TO sku_day;
ALTER TABLE sku_day RENAME CONSTRAINT sku_day_by_day_pkey TO sku_day_pkey;
