-- Rollups behind the managers' digest and reports (storage/digest.py), so that a day, a week
-- or a month is read from a few hundred rows instead of millions of orders.
--
-- orders_day: every order by local day and buyer, covering the day's totals. The day's
-- distinct buyers are one ordered walk of that day's entries, and order_day below is rebuilt
-- for any set of days from it without touching the table. SQLite keeps it for every writer.
CREATE INDEX orders_day ON orders(day, buyer_id, amount_fen, valid_fen);

-- Per local day, over every order paid that day whatever became of it (GMV counts refunded
-- and cancelled ones): amounts, orders and distinct buyers. A row exists while the day has
-- an order. The import recomputes the days it touched from orders_day; the triggers below
-- keep it for any other writer.
CREATE TABLE order_day (
    day        INTEGER PRIMARY KEY,
    amount_fen INTEGER NOT NULL,
    valid_fen  INTEGER NOT NULL,
    orders     INTEGER NOT NULL,
    customers  INTEGER NOT NULL
);

-- Orders per (month, buyer): a month's distinct buyers are its row count, and a month to
-- date is that count less the buyers whose every order of the month falls after it (their
-- count here equals their orders on those days). Distinct buyers cannot be summed from days.
-- Shifted by the import like sharer_month; the triggers below keep it for other writers.
CREATE TABLE buyer_month (
    month    INTEGER NOT NULL,
    buyer_id TEXT NOT NULL,
    orders   INTEGER NOT NULL,
    PRIMARY KEY (month, buyer_id)
) WITHOUT ROWID;

INSERT INTO order_day
SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), COUNT(DISTINCT buyer_id)
FROM orders GROUP BY day;
INSERT INTO buyer_month SELECT month, buyer_id, COUNT(*) FROM orders GROUP BY month, buyer_id;

-- For writers other than the import (tests, the demo), which drops these for its span and
-- keeps both tables itself, set-based. A buyer counts on a day while some order of theirs is
-- on it: each probe leaves out the order at hand (one index look-up on orders_day).
CREATE TRIGGER order_day_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_day (day, amount_fen, valid_fen, orders, customers)
    VALUES (new.day, new.amount_fen, new.valid_fen, 1, NOT EXISTS (SELECT 1 FROM orders
        WHERE day = new.day AND buyer_id = new.buyer_id AND order_id <> new.order_id))
    ON CONFLICT(day) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen,
        valid_fen = valid_fen + excluded.valid_fen, orders = orders + 1,
        customers = customers + excluded.customers;
    INSERT INTO buyer_month (month, buyer_id, orders) VALUES (new.month, new.buyer_id, 1)
    ON CONFLICT(month, buyer_id) DO UPDATE SET orders = orders + 1;
END;
CREATE TRIGGER order_day_update AFTER UPDATE OF day, month, buyer_id, amount_fen, valid_fen
ON orders BEGIN
    UPDATE order_day SET amount_fen = amount_fen - old.amount_fen,
        valid_fen = valid_fen - old.valid_fen, orders = orders - 1,
        customers = customers - NOT EXISTS (SELECT 1 FROM orders WHERE day = old.day
            AND buyer_id = old.buyer_id AND order_id <> old.order_id)
    WHERE day = old.day;
    INSERT INTO order_day (day, amount_fen, valid_fen, orders, customers)
    VALUES (new.day, new.amount_fen, new.valid_fen, 1, NOT EXISTS (SELECT 1 FROM orders
        WHERE day = new.day AND buyer_id = new.buyer_id AND order_id <> new.order_id))
    ON CONFLICT(day) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen,
        valid_fen = valid_fen + excluded.valid_fen, orders = orders + 1,
        customers = customers + excluded.customers;
    DELETE FROM order_day WHERE orders = 0 AND day = old.day;
    UPDATE buyer_month SET orders = orders - 1 WHERE month = old.month AND buyer_id = old.buyer_id;
    INSERT INTO buyer_month (month, buyer_id, orders) VALUES (new.month, new.buyer_id, 1)
    ON CONFLICT(month, buyer_id) DO UPDATE SET orders = orders + 1;
    DELETE FROM buyer_month WHERE orders = 0 AND month = old.month AND buyer_id = old.buyer_id;
END;
CREATE TRIGGER order_day_delete AFTER DELETE ON orders BEGIN
    UPDATE order_day SET amount_fen = amount_fen - old.amount_fen,
        valid_fen = valid_fen - old.valid_fen, orders = orders - 1,
        customers = customers - NOT EXISTS (SELECT 1 FROM orders WHERE day = old.day
            AND buyer_id = old.buyer_id)
    WHERE day = old.day;
    DELETE FROM order_day WHERE orders = 0 AND day = old.day;
    UPDATE buyer_month SET orders = orders - 1 WHERE month = old.month AND buyer_id = old.buyer_id;
    DELETE FROM buyer_month WHERE orders = 0 AND month = old.month AND buyer_id = old.buyer_id;
END;

-- sharer_day by day, covering what the digest reads of a day or a few (active sharers, top
-- sharers, the days a report leaves out of sharer_month or sharer_week) without a look-up
-- into the table per row.
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

-- Each sharer's first day with a valid order (sharer_day.orders > 0): the new sharers of a day
-- or a period are one range of its index, instead of a probe into sharer_day per active
-- sharer. Kept by the triggers below whoever writes sharer_day (the import's shift, tests);
-- rebuilt after a bulk load.
CREATE TABLE sharer_first (
    sharer_id TEXT PRIMARY KEY,
    day       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sharer_first_day ON sharer_first(day);
INSERT INTO sharer_first SELECT sharer_id, MIN(day) FROM sharer_day WHERE orders > 0
GROUP BY sharer_id;

-- sku_day summed over sharers: a month's top SKUs sum some 6,000 rows instead of 300,000.
-- Kept by the triggers below whoever writes sku_day; rebuilt after a bulk load.
CREATE TABLE sku_day_total (
    day       INTEGER NOT NULL,
    sku       TEXT NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (day, sku)
) WITHOUT ROWID;
INSERT INTO sku_day_total SELECT day, sku, SUM(valid_fen), SUM(orders) FROM sku_day
GROUP BY day, sku;

-- A sharer's first day can only move later when the row of that day stops counting; then it
-- is looked up again (the sharer's first counting row by the primary key). No OR IGNORE in
-- these bodies: an upsert that fires them (the import's shift) imposes its ON CONFLICT on them.
CREATE TRIGGER sharer_first_insert AFTER INSERT ON sharer_day WHEN new.orders > 0 BEGIN
    INSERT INTO sharer_first (sharer_id, day) VALUES (new.sharer_id, new.day)
    ON CONFLICT(sharer_id) DO UPDATE SET day = min(day, excluded.day);
END;
CREATE TRIGGER sharer_first_update AFTER UPDATE ON sharer_day BEGIN
    DELETE FROM sharer_first WHERE sharer_id = old.sharer_id AND day = old.day
        AND NOT EXISTS (SELECT 1 FROM sharer_day WHERE sharer_id = old.sharer_id
            AND day = old.day AND orders > 0);
    INSERT INTO sharer_first SELECT sharer_id, day FROM sharer_day
        WHERE sharer_id = old.sharer_id AND orders > 0 AND NOT EXISTS (SELECT 1
            FROM sharer_first WHERE sharer_id = old.sharer_id) ORDER BY day LIMIT 1;
    INSERT INTO sharer_first (sharer_id, day) SELECT new.sharer_id, new.day WHERE new.orders > 0
    ON CONFLICT(sharer_id) DO UPDATE SET day = min(day, excluded.day);
END;
CREATE TRIGGER sharer_first_delete AFTER DELETE ON sharer_day BEGIN
    DELETE FROM sharer_first WHERE sharer_id = old.sharer_id AND day = old.day;
    INSERT INTO sharer_first SELECT sharer_id, day FROM sharer_day
        WHERE sharer_id = old.sharer_id AND orders > 0 AND NOT EXISTS (SELECT 1
            FROM sharer_first WHERE sharer_id = old.sharer_id) ORDER BY day LIMIT 1;
END;

CREATE TRIGGER sku_day_total_insert AFTER INSERT ON sku_day BEGIN
    INSERT INTO sku_day_total (day, sku, valid_fen, orders)
    VALUES (new.day, new.sku, new.valid_fen, new.orders)
    ON CONFLICT(day, sku) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
END;
CREATE TRIGGER sku_day_total_update AFTER UPDATE ON sku_day BEGIN
    UPDATE sku_day_total SET valid_fen = valid_fen - old.valid_fen, orders = orders - old.orders
    WHERE day = old.day AND sku = old.sku;
    INSERT INTO sku_day_total (day, sku, valid_fen, orders)
    VALUES (new.day, new.sku, new.valid_fen, new.orders)
    ON CONFLICT(day, sku) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
    DELETE FROM sku_day_total WHERE day = old.day AND sku = old.sku AND orders = 0
        AND valid_fen = 0;
END;
CREATE TRIGGER sku_day_total_delete AFTER DELETE ON sku_day BEGIN
    UPDATE sku_day_total SET valid_fen = valid_fen - old.valid_fen, orders = orders - old.orders
    WHERE day = old.day AND sku = old.sku;
    DELETE FROM sku_day_total WHERE day = old.day AND sku = old.sku AND orders = 0
        AND valid_fen = 0;
END;
