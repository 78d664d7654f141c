-- Sharer programme: identities, orders with their rollups, imports and settlements.
-- Money is integer fen; times are Unix seconds (UTC); `month` is the local yyyymm and `day`
-- the local yyyymmdd of paid_at in the deployment's time zone, fixed at import.

CREATE TABLE sharers (
    sharer_id     TEXT PRIMARY KEY,             -- the platform's id, as in order exports
    name          TEXT NOT NULL DEFAULT '',
    buyer_id      TEXT,                         -- the sharer's own customer id (self-purchase)
    inviter_id    TEXT,                         -- who recruited them (a sharer_id)
    leader_id     TEXT,                         -- their team leader (a sharer_id)
    is_leader     INTEGER NOT NULL DEFAULT 0,   -- set by /leader
    user_id       INTEGER,                      -- the approved Telegram account
    referral_code TEXT UNIQUE,                  -- t.me/<bot>?start=r_<code>
    hidden        INTEGER NOT NULL DEFAULT 0,   -- /hide_me: not shown on leaderboards
    level         TEXT,                         -- last computed level key (for display only)
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX sharers_user ON sharers(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sharers_inviter ON sharers(inviter_id) WHERE inviter_id IS NOT NULL;
CREATE INDEX sharers_leader ON sharers(leader_id) WHERE leader_id IS NOT NULL;

CREATE TABLE bind_requests (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    sharer_id  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_at INTEGER NOT NULL,
    decided_by INTEGER,
    decided_at INTEGER
);
CREATE INDEX bind_requests_pending ON bind_requests(sharer_id) WHERE status = 'pending';

CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    paid_at     INTEGER NOT NULL,
    month       INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    sharer_id   TEXT NOT NULL DEFAULT '',       -- '' when the order is not attributed
    buyer_id    TEXT NOT NULL DEFAULT '',
    sku         TEXT NOT NULL DEFAULT '',
    product     TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL DEFAULT 1,
    amount_fen  INTEGER NOT NULL,
    refund_fen  INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('paid', 'refunded', 'cancelled')),
    valid_fen   INTEGER NOT NULL,               -- 0 if refunded/cancelled, else amount − refund
    creator     TEXT NOT NULL DEFAULT '',       -- creator handle whose video or live sold it
    fingerprint INTEGER NOT NULL,               -- of the normalised row: unchanged rows skip
    imported_at INTEGER NOT NULL,
    -- Of the row's raw cells as last imported (0: unknown): a re-import skips parsing a row
    -- whose cells are byte-for-byte what they were (storage/orders.py).
    raw_fp      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- Covering for a sharer's month statement (/me: valid amounts by SKU, day, own purchase and
-- pending, and distinct customers) and for rebuilding sharer_month and sharer_day
-- (GROUP BY sharer_id, month[, day]) without a sort or a lookup per order.
CREATE INDEX orders_sharer_month ON orders(sharer_id, month, day, valid_fen, buyer_id, sku, paid_at);

-- Rollups kept up to date by every import, so that reads stay fast at millions of orders.
CREATE TABLE sharer_day (
    sharer_id TEXT NOT NULL,
    day       INTEGER NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,                 -- orders with a valid amount > 0
    PRIMARY KEY (sharer_id, day)
) WITHOUT ROWID;
CREATE INDEX sharer_day_day ON sharer_day(day);

CREATE TABLE sharer_month (
    sharer_id TEXT NOT NULL,
    month     INTEGER NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (sharer_id, month)
) WITHOUT ROWID;
CREATE INDEX sharer_month_month ON sharer_month(month, valid_fen);

CREATE TABLE sku_day (
    sku       TEXT NOT NULL,
    day       INTEGER NOT NULL,
    sharer_id TEXT NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (sku, day, sharer_id)
) WITHOUT ROWID;

-- A sharer's ISO week (year*100 + ISO week of the local day): the week leaderboard reads one
-- row per sharer instead of summing seven sharer_day rows each. Kept equal to sharer_day summed
-- by week by the triggers below, whoever writes sharer_day (the import, tests, the demo); the
-- import drops them for a bulk load and rebuilds this table by one GROUP BY.
CREATE TABLE sharer_week (
    sharer_id TEXT NOT NULL,
    week      INTEGER NOT NULL,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    PRIMARY KEY (sharer_id, week)
) WITHOUT ROWID;
CREATE INDEX sharer_week_week ON sharer_week(week, valid_fen);

CREATE TRIGGER sharer_week_insert AFTER INSERT ON sharer_day BEGIN
    INSERT INTO sharer_week (sharer_id, week, valid_fen, orders)
    VALUES (new.sharer_id, (SELECT CAST(strftime('%Y', t) AS INTEGER) * 100 + (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1
         FROM (SELECT date(d, (3 - (CAST(strftime('%w', d) AS INTEGER) + 6) % 7) || ' days') AS t
         FROM (SELECT printf('%04d-%02d-%02d', new.day / 10000, new.day / 100 % 100, new.day % 100) AS d))), new.valid_fen, new.orders)
    ON CONFLICT (sharer_id, week) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
    DELETE FROM sharer_week WHERE orders = 0 AND sharer_id = new.sharer_id;
END;
CREATE TRIGGER sharer_week_update AFTER UPDATE ON sharer_day BEGIN
    INSERT INTO sharer_week (sharer_id, week, valid_fen, orders)
    VALUES (old.sharer_id, (SELECT CAST(strftime('%Y', t) AS INTEGER) * 100 + (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1
         FROM (SELECT date(d, (3 - (CAST(strftime('%w', d) AS INTEGER) + 6) % 7) || ' days') AS t
         FROM (SELECT printf('%04d-%02d-%02d', old.day / 10000, old.day / 100 % 100, old.day % 100) AS d))), -old.valid_fen, -old.orders)
    ON CONFLICT (sharer_id, week) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
    INSERT INTO sharer_week (sharer_id, week, valid_fen, orders)
    VALUES (new.sharer_id, (SELECT CAST(strftime('%Y', t) AS INTEGER) * 100 + (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1
         FROM (SELECT date(d, (3 - (CAST(strftime('%w', d) AS INTEGER) + 6) % 7) || ' days') AS t
         FROM (SELECT printf('%04d-%02d-%02d', new.day / 10000, new.day / 100 % 100, new.day % 100) AS d))), new.valid_fen, new.orders)
    ON CONFLICT (sharer_id, week) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
    DELETE FROM sharer_week WHERE orders = 0 AND sharer_id IN (old.sharer_id, new.sharer_id);
END;
CREATE TRIGGER sharer_week_delete AFTER DELETE ON sharer_day BEGIN
    INSERT INTO sharer_week (sharer_id, week, valid_fen, orders)
    VALUES (old.sharer_id, (SELECT CAST(strftime('%Y', t) AS INTEGER) * 100 + (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1
         FROM (SELECT date(d, (3 - (CAST(strftime('%w', d) AS INTEGER) + 6) % 7) || ' days') AS t
         FROM (SELECT printf('%04d-%02d-%02d', old.day / 10000, old.day / 100 % 100, old.day % 100) AS d))), -old.valid_fen, -old.orders)
    ON CONFLICT (sharer_id, week) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + excluded.orders;
    DELETE FROM sharer_week WHERE orders = 0 AND sharer_id = old.sharer_id;
END;

-- Σ valid_fen and the number of orders (every order naming the creator, refunded ones too, as
-- the creator card counts them) per creator as written on orders (creator <> ''): the card and
-- /find read this instead of scanning orders. Kept by the triggers below for any writer of
-- orders; the import drops them for its span and shifts this table itself, set-based.
CREATE TABLE creator_sales (
    creator   TEXT PRIMARY KEY,
    valid_fen INTEGER NOT NULL,
    orders    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER creator_sales_insert AFTER INSERT ON orders WHEN new.creator <> '' BEGIN
    INSERT INTO creator_sales (creator, valid_fen, orders) VALUES (new.creator, new.valid_fen, 1)
    ON CONFLICT (creator) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + 1;
END;
CREATE TRIGGER creator_sales_update AFTER UPDATE OF creator, valid_fen ON orders BEGIN
    UPDATE creator_sales SET valid_fen = valid_fen - old.valid_fen, orders = orders - 1
    WHERE creator = old.creator;
    INSERT INTO creator_sales (creator, valid_fen, orders)
    SELECT new.creator, new.valid_fen, 1 WHERE new.creator <> ''
    ON CONFLICT (creator) DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,
        orders = orders + 1;
    DELETE FROM creator_sales WHERE orders = 0 AND creator = old.creator;
END;
CREATE TRIGGER creator_sales_delete AFTER DELETE ON orders WHEN old.creator <> '' BEGIN
    UPDATE creator_sales SET valid_fen = valid_fen - old.valid_fen, orders = orders - 1
    WHERE creator = old.creator;
    DELETE FROM creator_sales WHERE orders = 0 AND creator = old.creator;
END;

CREATE TABLE imports (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,                    -- orders | sharers | creators
    filename  TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    actor_id  INTEGER,
    at        INTEGER NOT NULL,
    read      INTEGER NOT NULL,
    new       INTEGER NOT NULL,
    updated   INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected  INTEGER NOT NULL
);

CREATE TABLE settlements (
    month      INTEGER PRIMARY KEY,             -- yyyymm, frozen by /settle
    settled_at INTEGER NOT NULL,
    settled_by INTEGER,
    rules      TEXT NOT NULL                    -- the rules in force, as JSON
);

CREATE TABLE settlement_lines (
    month         INTEGER NOT NULL REFERENCES settlements(month),
    sharer_id     TEXT NOT NULL,
    valid_fen     INTEGER NOT NULL,
    direct        INTEGER NOT NULL,
    self_purchase INTEGER NOT NULL,
    level2        INTEGER NOT NULL,
    team          INTEGER NOT NULL,
    recruit       INTEGER NOT NULL,
    adjustment    INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    PRIMARY KEY (month, sharer_id)
) WITHOUT ROWID;
