-- Rollups behind the managers' digest and reports (storage/digest.py), so that a day, a week
-- or a month is read from a few hundred rows instead of millions of orders. No new index on
-- orders itself: a narrower one than its others made SQLite scan orders through it for the
-- import's joins with its small temp tables.

-- Per local day, over every order paid that day whatever became of it (GMV counts refunded
-- and cancelled ones): amounts, orders and distinct buyers (buyer_day's rows of the day).
-- A row exists while the day has an order.
CREATE TABLE order_day (
    day        INTEGER PRIMARY KEY,
    amount_fen INTEGER NOT NULL,
    valid_fen  INTEGER NOT NULL,
    orders     INTEGER NOT NULL,
    customers  INTEGER NOT NULL
);

-- Orders per (day, buyer), every status; a row exists while its group has an order. Distinct
-- buyers cannot be summed from days: a span's are buyer_day's distinct buyer_ids over its
-- days. (A table per (month, buyer) made a month's count one range, but each import chunk
-- rewrote pages all over it: the first import of 300k orders took three times as long.)
CREATE TABLE buyer_day (
    day      INTEGER NOT NULL,
    buyer_id TEXT NOT NULL,
    orders   INTEGER NOT NULL,
    PRIMARY KEY (day, buyer_id)
) WITHOUT ROWID;

INSERT INTO buyer_day SELECT day, buyer_id, COUNT(*) FROM orders GROUP BY day, buyer_id;
INSERT INTO order_day SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), 0 FROM orders
GROUP BY day;
UPDATE order_day SET customers = (SELECT COUNT(*) FROM buyer_day b WHERE b.day = order_day.day);

-- The import shifts these two itself (storage/order_sql.py), set-based, with the triggers
-- below resting; they keep them for any other writer of orders (tests, the demo). A day's
-- customers move when its buyer's buyer_day row appears or goes.
CREATE TRIGGER order_day_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_day (day, amount_fen, valid_fen, orders, customers)
    VALUES (new.day, new.amount_fen, new.valid_fen, 1, NOT EXISTS (SELECT 1 FROM buyer_day
        WHERE day = new.day AND buyer_id = new.buyer_id))
    ON CONFLICT(day) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen,
        valid_fen = valid_fen + excluded.valid_fen, orders = orders + 1,
        customers = customers + excluded.customers;
    INSERT INTO buyer_day (day, buyer_id, orders) VALUES (new.day, new.buyer_id, 1)
    ON CONFLICT(day, buyer_id) DO UPDATE SET orders = orders + 1;
END;
CREATE TRIGGER order_day_update AFTER UPDATE OF day, buyer_id, amount_fen, valid_fen
ON orders BEGIN
    UPDATE buyer_day SET orders = orders - 1 WHERE day = old.day AND buyer_id = old.buyer_id;
    UPDATE order_day SET amount_fen = amount_fen - old.amount_fen,
        valid_fen = valid_fen - old.valid_fen, orders = orders - 1,
        customers = customers - EXISTS (SELECT 1 FROM buyer_day WHERE day = old.day
            AND buyer_id = old.buyer_id AND orders = 0)
    WHERE day = old.day;
    DELETE FROM buyer_day WHERE day = old.day AND buyer_id = old.buyer_id AND orders = 0;
    INSERT INTO order_day (day, amount_fen, valid_fen, orders, customers)
    VALUES (new.day, new.amount_fen, new.valid_fen, 1, NOT EXISTS (SELECT 1 FROM buyer_day
        WHERE day = new.day AND buyer_id = new.buyer_id))
    ON CONFLICT(day) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen,
        valid_fen = valid_fen + excluded.valid_fen, orders = orders + 1,
        customers = customers + excluded.customers;
    DELETE FROM order_day WHERE day = old.day AND orders = 0;
    INSERT INTO buyer_day (day, buyer_id, orders) VALUES (new.day, new.buyer_id, 1)
    ON CONFLICT(day, buyer_id) DO UPDATE SET orders = orders + 1;
END;
CREATE TRIGGER order_day_delete AFTER DELETE ON orders BEGIN
    UPDATE buyer_day SET orders = orders - 1 WHERE day = old.day AND buyer_id = old.buyer_id;
    UPDATE order_day SET amount_fen = amount_fen - old.amount_fen,
        valid_fen = valid_fen - old.valid_fen, orders = orders - 1,
        customers = customers - EXISTS (SELECT 1 FROM buyer_day WHERE day = old.day
            AND buyer_id = old.buyer_id AND orders = 0)
    WHERE day = old.day;
    DELETE FROM buyer_day WHERE day = old.day AND buyer_id = old.buyer_id AND orders = 0;
    DELETE FROM order_day WHERE day = old.day AND orders = 0;
END;

-- sharer_day by day, covering what the digest reads of a day or a few (active sharers, top
-- sharers, the days a report leaves out of sharer_month or sharer_week) without a look-up
-- into the table per row. (A partial index of the counting rows was not covering: SQLite
-- 3.40 reads `orders` from the table to check the index's own WHERE.)
DROP INDEX sharer_day_day;
CREATE INDEX sharer_day_day ON sharer_day(day, orders, valid_fen);

-- sharer_month and sharer_week by period, now covering the orders too: a report's active
-- sharers and top sharers read one index range, with no look-up into the table per sharer.
DROP INDEX sharer_month_month;
CREATE INDEX sharer_month_month ON sharer_month(month, valid_fen, orders);
DROP INDEX sharer_week_week;
CREATE INDEX sharer_week_week ON sharer_week(week, valid_fen, orders);

-- The samples' dates by BD: the digest's creator figures and a report's samples by BD read
-- this narrow index (in BD order, no sort) instead of the wide rows.
CREATE INDEX samples_dates ON samples(owner_id, shipped_at, signed_at, video_at, handed_at,
    stage, closed_at);

-- Each sharer's first day with a valid order: the new sharers of a day or a period are one
-- range of its index, instead of a probe into sharer_day per active sharer.
CREATE TABLE sharer_first (
    sharer_id TEXT PRIMARY KEY,
    day       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sharer_first_day ON sharer_first(day);
INSERT INTO sharer_first SELECT sharer_id, MIN(day) FROM sharer_day WHERE orders > 0
GROUP BY sharer_id;

-- sku_day summed over sharers (orders with a valid amount, as sku_day counts them): a
-- month's top SKUs sum some 6,000 rows instead of 300,000.
CREATE TABLE sku_day_total (
    day       INTEGER NOT NULL,
    sku       TEXT NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (day, sku)
) WITHOUT ROWID;
INSERT INTO sku_day_total SELECT day, sku, SUM(valid_fen), SUM(orders) FROM sku_day
GROUP BY day, sku HAVING SUM(orders) > 0;

-- Both kept like order_day: by the import itself, and by these triggers on orders for any
-- other writer. A sharer's first day moves later only when an order on it stops counting;
-- then it is looked up again (the sharer's first valid order by orders_sharer_month). No
-- OR IGNORE in trigger bodies: an upsert that fires them would impose its ON CONFLICT.
CREATE TRIGGER sharer_first_insert AFTER INSERT ON orders WHEN new.valid_fen > 0 BEGIN
    INSERT INTO sharer_first (sharer_id, day) VALUES (new.sharer_id, new.day)
    ON CONFLICT(sharer_id) DO UPDATE SET day = min(day, excluded.day);
    INSERT INTO sku_day_total (day, sku, valid_fen, orders)
    VALUES (new.day, new.sku, new.valid_fen, 1)
    ON CONFLICT(day, sku) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + 1;
END;
CREATE TRIGGER sharer_first_out AFTER UPDATE OF day, sharer_id, sku, valid_fen ON orders
WHEN old.valid_fen > 0 BEGIN
    UPDATE sku_day_total SET valid_fen = valid_fen - old.valid_fen, orders = orders - 1
    WHERE day = old.day AND sku = old.sku;
    DELETE FROM sku_day_total WHERE day = old.day AND sku = old.sku AND orders = 0;
    DELETE FROM sharer_first WHERE sharer_id = old.sharer_id AND day = old.day;
    INSERT INTO sharer_first SELECT sharer_id, day FROM orders WHERE sharer_id = old.sharer_id
        AND valid_fen > 0 AND NOT EXISTS (SELECT 1 FROM sharer_first
            WHERE sharer_id = old.sharer_id) ORDER BY month, day LIMIT 1;
END;
CREATE TRIGGER sharer_first_in AFTER UPDATE OF day, sharer_id, sku, valid_fen ON orders
WHEN new.valid_fen > 0 BEGIN
    INSERT INTO sharer_first (sharer_id, day) VALUES (new.sharer_id, new.day)
    ON CONFLICT(sharer_id) DO UPDATE SET day = min(day, excluded.day);
    INSERT INTO sku_day_total (day, sku, valid_fen, orders)
    VALUES (new.day, new.sku, new.valid_fen, 1)
    ON CONFLICT(day, sku) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + 1;
END;
CREATE TRIGGER sharer_first_delete AFTER DELETE ON orders WHEN old.valid_fen > 0 BEGIN
    UPDATE sku_day_total SET valid_fen = valid_fen - old.valid_fen, orders = orders - 1
    WHERE day = old.day AND sku = old.sku;
    DELETE FROM sku_day_total WHERE day = old.day AND sku = old.sku AND orders = 0;
    DELETE FROM sharer_first WHERE sharer_id = old.sharer_id AND day = old.day;
    INSERT INTO sharer_first SELECT sharer_id, day FROM orders WHERE sharer_id = old.sharer_id
        AND valid_fen > 0 AND NOT EXISTS (SELECT 1 FROM sharer_first
            WHERE sharer_id = old.sharer_id) ORDER BY month, day LIMIT 1;
END;
