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
