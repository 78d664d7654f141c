-- The FAQ (SPEC §4): entries managers write, and questions asked in chats that no entry
-- answered confidently (/faq_gaps), kept until an entry is made from them or they age out.

CREATE TABLE faq (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: /faq_del 3 stays gone
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE faq_unanswered (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id     INTEGER NOT NULL,
    user_id     INTEGER,
    text        TEXT NOT NULL,
    asked_at    INTEGER NOT NULL,
    faq_id      INTEGER                          -- the entry made from it; NULL: still open
);

CREATE INDEX faq_unanswered_open ON faq_unanswered(asked_at) WHERE faq_id IS NULL;
