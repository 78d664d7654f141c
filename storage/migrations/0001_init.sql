-- Foundation: people, chats, roles, settings, the audit log and the outbox.
-- Times are Unix seconds (UTC). Any column holding a Telegram chat id is named chat_id
-- (or ends in _chat_id) so that a group's migration to a supergroup can follow it everywhere.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,          -- Telegram user id
    first_name    TEXT NOT NULL DEFAULT '',
    username      TEXT,
    language_code TEXT,                         -- as Telegram reports it
    lang          TEXT,                         -- chosen with /lang; wins over language_code
    started       INTEGER NOT NULL DEFAULT 0,   -- has opened a private chat with the bot
    unreachable   INTEGER NOT NULL DEFAULT 0,   -- blocked the bot (Forbidden)
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX users_username ON users(username COLLATE NOCASE);

CREATE TABLE roles (
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('manager', 'bd', 'ads', 'leader')),
    granted_by INTEGER,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE chats (
    chat_id    INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    purpose    TEXT CHECK (purpose IN ('bd', 'ads', 'sharers', 'managers')),
    lang       TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One chat per purpose: /setup moves a purpose from the old chat to the new one.
CREATE UNIQUE INDEX chats_purpose ON chats(purpose) WHERE purpose IS NOT NULL;

CREATE TABLE chat_settings (
    chat_id INTEGER NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (chat_id, key)
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER,                          -- NULL: the bot itself (a job)
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    before    TEXT,                             -- JSON
    after     TEXT                              -- JSON
);
CREATE INDEX audit_entity ON audit(entity, entity_id);

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,         -- what makes a message "the same one"
    chat_id       INTEGER NOT NULL,
    text          TEXT NOT NULL DEFAULT '',
    parse_mode    TEXT,
    buttons       TEXT,                         -- JSON rows of [text, callback_data | url]
    document_name TEXT,
    document      BLOB,
    due_at        INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sent', 'failed', 'unreachable', 'cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    sent_at       INTEGER,
    message_id    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(due_at) WHERE status = 'pending';
