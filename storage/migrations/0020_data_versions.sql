-- Change counters that every process reads (issue 13): a process keeps a cache (the boards,
-- the FAQ index) and re-reads it when the counter of its data moved, whichever process or
-- connection wrote. Triggers bump the counter in the writing transaction, so it moves if and
-- only if the change commits. SQLite has only row triggers (a statement changing many rows
-- bumps many times: the value means nothing, only that it moved); PostgreSQL's are
-- statement-level.
CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name, version) VALUES ('boards', 0), ('faq', 0), ('users', 0);

-- The boards: the rollups move with sharer_month (every writer of sales shifts or rebuilds
-- them together) and the sharers' hidden flag and leader decide who is shown.
CREATE TRIGGER data_versions_sharer_month_insert AFTER INSERT ON sharer_month
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;
CREATE TRIGGER data_versions_sharer_month_update AFTER UPDATE ON sharer_month
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;
CREATE TRIGGER data_versions_sharer_month_delete AFTER DELETE ON sharer_month
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;
CREATE TRIGGER data_versions_sharers_insert AFTER INSERT ON sharers
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;
CREATE TRIGGER data_versions_sharers_update AFTER UPDATE OF sharer_id, hidden, leader_id ON sharers
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;
CREATE TRIGGER data_versions_sharers_delete AFTER DELETE ON sharers
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'boards'; END;

-- The FAQ index: the entries (an `import-faq` from the command line is another process).
CREATE TRIGGER data_versions_faq_insert AFTER INSERT ON faq
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'faq'; END;
CREATE TRIGGER data_versions_faq_update AFTER UPDATE ON faq
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'faq'; END;
CREATE TRIGGER data_versions_faq_delete AFTER DELETE ON faq
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'faq'; END;

-- Users marked unreachable (a send answered Forbidden): a process that skips the upsert of
-- a sender it has seen (storage/users.py) must upsert again, which clears the mark.
CREATE TRIGGER data_versions_users_unreachable AFTER UPDATE OF unreachable ON users
WHEN NEW.unreachable <> 0
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'users'; END;

-- The boards say `hidden <> 0` (PostgreSQL reads no integer as a condition); SQLite uses a
-- partial index only for a query that repeats its predicate, so the index says it too.
DROP INDEX IF EXISTS sharers_hidden;
CREATE INDEX sharers_hidden ON sharers(sharer_id) WHERE hidden <> 0;

-- Outbox claims keep each chat's messages in order across processes: a row is claimed only
-- when no earlier due row of its chat is still pending (storage/outbox.py).
CREATE INDEX outbox_chat_pending ON outbox(chat_id, due_at, id) WHERE status = 'pending';
