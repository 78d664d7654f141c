-- Announcements: /broadcast (one post in the sharers' group) and /dm_all (one private message
-- per bound sharer). The messages themselves are outbox rows whose keys name the broadcast
-- (broadcast:<id>, dm_all:<id>:<user id>), so their state is the outbox's; this table holds
-- what the manager wrote, where the progress message is and how far it got.
CREATE TABLE broadcasts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('group', 'dm')),
    text        TEXT NOT NULL,                  -- HTML, as the manager formatted it
    created_by  INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,               -- where it was asked: the progress message's chat
    message_id  INTEGER,                        -- the preview, then the progress message
    status      TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    queued      INTEGER NOT NULL DEFAULT 0,     -- messages queued when it was sent
    skipped     INTEGER NOT NULL DEFAULT 0,     -- sharers left out: known to have blocked the bot
    stopped_by  INTEGER,                        -- who pressed [Stop] while it was going out
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER
);
CREATE INDEX broadcasts_open ON broadcasts(status) WHERE status = 'sending';
