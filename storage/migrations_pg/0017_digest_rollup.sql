-- Rollups behind the managers' digest and reports: PostgreSQL spelling of
-- storage/migrations/0017_digest_rollup.sql (read its comments for what each one is for).
-- SQLite's row triggers become plpgsql functions doing the same statements in the same
-- order; upsert targets are qualified by the table's alias (a bare column next to excluded.x
-- is ambiguous here) and a condition counted as 0/1 is spelled as a CASE.

CREATE TABLE order_day (
    day        BIGINT PRIMARY KEY,
    amount_fen BIGINT NOT NULL,
    valid_fen  BIGINT NOT NULL,
    orders     BIGINT NOT NULL,
    customers  BIGINT NOT NULL
);

CREATE TABLE buyer_day (
    day      BIGINT NOT NULL,
    buyer_id TEXT COLLATE "C" NOT NULL,
    orders   BIGINT NOT NULL,
    PRIMARY KEY (day, buyer_id)
);

INSERT INTO buyer_day SELECT day, buyer_id, COUNT(*) FROM orders GROUP BY day, buyer_id;
INSERT INTO order_day SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), 0 FROM orders
GROUP BY day;
UPDATE order_day SET customers = (SELECT COUNT(*) FROM buyer_day b WHERE b.day = order_day.day);

-- order_day and buyer_day kept for any writer of orders other than the import
-- (which shifts them itself, set-based, with these resting), in SQLite's order of statements.
CREATE FUNCTION crewbot_order_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE buyer_day SET orders = orders - 1
        WHERE day = OLD.day AND buyer_id = OLD.buyer_id;
        UPDATE order_day SET amount_fen = amount_fen - OLD.amount_fen,
            valid_fen = valid_fen - OLD.valid_fen, orders = orders - 1,
            customers = customers - CASE WHEN EXISTS (SELECT 1 FROM buyer_day
                WHERE day = OLD.day AND buyer_id = OLD.buyer_id AND orders = 0) THEN 1 ELSE 0 END
        WHERE day = OLD.day;
        DELETE FROM buyer_day WHERE day = OLD.day AND buyer_id = OLD.buyer_id AND orders = 0;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM order_day WHERE day = OLD.day AND orders = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO order_day AS d (day, amount_fen, valid_fen, orders, customers)
        VALUES (NEW.day, NEW.amount_fen, NEW.valid_fen, 1, CASE WHEN EXISTS (SELECT 1
            FROM buyer_day WHERE day = NEW.day AND buyer_id = NEW.buyer_id) THEN 0 ELSE 1 END)
        ON CONFLICT (day) DO UPDATE SET amount_fen = d.amount_fen + excluded.amount_fen,
            valid_fen = d.valid_fen + excluded.valid_fen, orders = d.orders + 1,
            customers = d.customers + excluded.customers;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- After the new day is counted: when it is the old one, its row stays.
        DELETE FROM order_day WHERE day = OLD.day AND orders = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO buyer_day AS b (day, buyer_id, orders) VALUES (NEW.day, NEW.buyer_id, 1)
        ON CONFLICT (day, buyer_id) DO UPDATE SET orders = b.orders + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER order_day_insert AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION crewbot_order_day();
CREATE TRIGGER order_day_update AFTER UPDATE OF day, buyer_id, amount_fen, valid_fen ON orders
    FOR EACH ROW EXECUTE FUNCTION crewbot_order_day();
CREATE TRIGGER order_day_delete AFTER DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION crewbot_order_day();

DROP INDEX sharer_day_day;
CREATE INDEX sharer_day_day ON sharer_day(day, orders, valid_fen);

DROP INDEX sharer_month_month;
CREATE INDEX sharer_month_month ON sharer_month(month, valid_fen, orders);
DROP INDEX sharer_week_week;
CREATE INDEX sharer_week_week ON sharer_week(week, valid_fen, orders);

CREATE INDEX samples_dates ON samples(owner_id, shipped_at, signed_at, video_at, handed_at,
    stage, closed_at);

CREATE TABLE sharer_first (
    sharer_id TEXT COLLATE "C" PRIMARY KEY,
    day       BIGINT NOT NULL
);
CREATE INDEX sharer_first_day ON sharer_first(day);
INSERT INTO sharer_first SELECT sharer_id, MIN(day) FROM sharer_day WHERE orders > 0
GROUP BY sharer_id;

CREATE TABLE sku_day_total (
    day       BIGINT NOT NULL,
    sku       TEXT COLLATE "C" NOT NULL,
    valid_fen BIGINT NOT NULL,
    orders    BIGINT NOT NULL,
    PRIMARY KEY (day, sku)
);
INSERT INTO sku_day_total SELECT day, sku, SUM(valid_fen), SUM(orders) FROM sku_day
GROUP BY day, sku HAVING SUM(orders) > 0;

-- An order that stops counting (old) or starts (new): sharer_first and sku_day_total. A
-- sharer's first day moves later only when an order on it stops counting; then it is looked
-- up again (the sharer's first valid order, by orders_sharer_month).
CREATE FUNCTION crewbot_sharer_first_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sku_day_total SET valid_fen = valid_fen - OLD.valid_fen, orders = orders - 1
    WHERE day = OLD.day AND sku = OLD.sku;
    DELETE FROM sku_day_total WHERE day = OLD.day AND sku = OLD.sku AND orders = 0;
    DELETE FROM sharer_first WHERE sharer_id = OLD.sharer_id AND day = OLD.day;
    INSERT INTO sharer_first SELECT sharer_id, day FROM orders WHERE sharer_id = OLD.sharer_id
        AND valid_fen > 0 AND NOT EXISTS (SELECT 1 FROM sharer_first
            WHERE sharer_id = OLD.sharer_id) ORDER BY month, day LIMIT 1;
    RETURN NULL;
END $$;

CREATE FUNCTION crewbot_sharer_first_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sharer_first AS f (sharer_id, day) VALUES (NEW.sharer_id, NEW.day)
    ON CONFLICT (sharer_id) DO UPDATE SET day = LEAST(f.day, excluded.day);
    INSERT INTO sku_day_total AS t (day, sku, valid_fen, orders)
    VALUES (NEW.day, NEW.sku, NEW.valid_fen, 1)
    ON CONFLICT (day, sku) DO UPDATE SET valid_fen = t.valid_fen + excluded.valid_fen,
        orders = t.orders + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER sharer_first_insert AFTER INSERT ON orders
    FOR EACH ROW WHEN (NEW.valid_fen > 0) EXECUTE FUNCTION crewbot_sharer_first_in();
CREATE TRIGGER sharer_first_out AFTER UPDATE OF day, sharer_id, sku, valid_fen ON orders
    FOR EACH ROW WHEN (OLD.valid_fen > 0) EXECUTE FUNCTION crewbot_sharer_first_out();
CREATE TRIGGER sharer_first_in AFTER UPDATE OF day, sharer_id, sku, valid_fen ON orders
    FOR EACH ROW WHEN (NEW.valid_fen > 0) EXECUTE FUNCTION crewbot_sharer_first_in();
CREATE TRIGGER sharer_first_delete AFTER DELETE ON orders
    FOR EACH ROW WHEN (OLD.valid_fen > 0) EXECUTE FUNCTION crewbot_sharer_first_out();
