-- Portable SQL (issue 13): repositories write SQL that both stores accept. A username is
-- looked up as lower(username) = lower(?), since PostgreSQL has no COLLATE NOCASE; SQLite
-- uses an index for that only when the index is on the same expression. Both fold ASCII only,
-- as NOCASE did (Telegram usernames are ASCII).
DROP INDEX IF EXISTS users_username;
CREATE INDEX users_username ON users(lower(username));
