-- Live-stream forwarding (SPEC §4): a live is one date or a weekly series; each date it has
-- (made ahead by the scheduler) remembers the last post it got; forwards are counted per
-- sharer and date.

CREATE TABLE lives (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    once_at    INTEGER,                      -- a one-off: its start (Unix seconds, UTC)
    weekdays   TEXT,                         -- a series: '0,2,4' (0 = Monday)
    at_time    TEXT,                         -- a series: local 'HH:MM'
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((once_at IS NULL) <> (weekdays IS NULL))
);

CREATE TABLE live_dates (
    id        INTEGER PRIMARY KEY,
    live_id   INTEGER NOT NULL REFERENCES lives(id),
    starts_at INTEGER NOT NULL,
    status    TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    step      INTEGER NOT NULL DEFAULT 0,    -- bot.domain.lives.Step: the last post it got
    next_at   INTEGER,                       -- when it is owed its next post; NULL: none
    UNIQUE (live_id, starts_at)
);
CREATE INDEX live_dates_next ON live_dates(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX live_dates_start ON live_dates(starts_at);

CREATE TABLE live_forwards (
    date_id   INTEGER NOT NULL REFERENCES live_dates(id),
    sharer_id TEXT NOT NULL,
    user_id   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (date_id, sharer_id)
);
CREATE INDEX live_forwards_sharer ON live_forwards(sharer_id, at);
