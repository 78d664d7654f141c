-- Sales challenges (/challenge): a product boost for a period, read by the commission engine
-- with the rules file's boosts, and a daily board in the sharers' group while it runs.

CREATE TABLE challenges (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL,
    rate        TEXT NOT NULL,                  -- "15%": exact, as rates are kept elsewhere
    start_day   TEXT NOT NULL,                  -- local dates, inclusive, YYYY-MM-DD
    end_day     TEXT NOT NULL,                  -- moved by an early end (before start_day: void)
    planned_end TEXT NOT NULL,                  -- the last day as created
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    ended_by    INTEGER,
    ended_at    INTEGER                         -- set by /challenge_end
);
-- The boosts in force and the boards due read the challenges not over long ago.
CREATE INDEX challenges_end ON challenges(end_day);
