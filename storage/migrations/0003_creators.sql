-- Creator pipeline (SPEC §2): creators, notes, samples with their stage and chase schedule,
-- chases, and ad results. Times are Unix seconds (UTC); money integer fen; shares and rates
-- in basis points (1% = 100) so they stay exact integers.

CREATE TABLE creators (
    id              INTEGER PRIMARY KEY,
    handle          TEXT NOT NULL,                -- as the BD wrote it (display)
    handle_key      TEXT NOT NULL,                -- bot.domain.creators.handle_key(handle)
    platform        TEXT NOT NULL DEFAULT 'other'
                    CHECK (platform IN ('tiktok', 'douyin', 'channels', 'xiaohongshu', 'other')),
    tier            TEXT NOT NULL CHECK (tier IN ('S', 'A', 'B')),
    owner_id        INTEGER NOT NULL,             -- the BD who registered them
    followers       INTEGER,
    category        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    blocked_reason  TEXT,                         -- not NULL: do not work with them again
    blocked_at      INTEGER,
    review_flag     TEXT,                         -- why the creator is up for tier review
    -- screening figures (/creator_stats, import-creators)
    categories      TEXT NOT NULL DEFAULT '',     -- comma-separated top categories
    adult_bp        INTEGER,                      -- share of fans aged 18+
    female_bp       INTEGER,                      -- share of female fans
    posts_30d       INTEGER,                      -- videos + lives in the last 30 days
    interaction_bp  INTEGER,                      -- likes / views over 30 days
    products_28d    INTEGER,                      -- products promoted in the last 28 days
    stats_at        INTEGER,
    last_contact_at INTEGER,                      -- note, chase, sample or video
    checkin_due_at  INTEGER,                      -- S-tier weekly check-in
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (platform, handle_key)
);
CREATE INDEX creators_handle ON creators(handle_key);
CREATE INDEX creators_owner ON creators(owner_id);
CREATE INDEX creators_tier ON creators(tier);

CREATE TABLE creator_notes (
    id         INTEGER PRIMARY KEY,
    creator_id INTEGER NOT NULL REFERENCES creators(id),
    author_id  INTEGER NOT NULL,
    text       TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX creator_notes_creator ON creator_notes(creator_id);

CREATE TABLE samples (
    id                INTEGER PRIMARY KEY,        -- the sample number shown as #N
    creator_id        INTEGER NOT NULL REFERENCES creators(id),
    owner_id          INTEGER NOT NULL,           -- the BD who sent it
    product           TEXT NOT NULL,
    shipping_order_id TEXT,
    urgent            INTEGER NOT NULL DEFAULT 0,
    stage             TEXT NOT NULL,              -- bot.domain.pipeline.Stage values
    shipped_at        INTEGER NOT NULL,
    signed_at         INTEGER,
    video_url         TEXT,
    video_key         TEXT UNIQUE,                -- canonical link: the same video twice is refused
    video_platform    TEXT,
    video_at          INTEGER,
    quality           TEXT,                       -- good | poor
    quality_note      TEXT,
    rated_at          INTEGER,
    code              TEXT,
    code_valid_days   INTEGER,
    code_at           INTEGER,
    code_expires_at   INTEGER,
    code_warn_at      INTEGER,                    -- 3 days before expiry
    handed_at         INTEGER,
    chase_due_at      INTEGER,                    -- next reminder; NULL when not being chased
    reminders_sent    INTEGER NOT NULL DEFAULT 0, -- reminder rounds posted by the bot
    chases            INTEGER NOT NULL DEFAULT 0, -- chases logged (command or button)
    chases_replied    INTEGER NOT NULL DEFAULT 0,
    last_chase_at     INTEGER,
    closed_at         INTEGER,                    -- done, no_show or cancelled
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX samples_chase_due ON samples(chase_due_at) WHERE chase_due_at IS NOT NULL;
CREATE INDEX samples_code_warn ON samples(code_warn_at) WHERE code_warn_at IS NOT NULL;
CREATE INDEX samples_creator ON samples(creator_id, stage);
CREATE INDEX samples_owner ON samples(owner_id, stage);

CREATE TABLE chases (
    id        INTEGER PRIMARY KEY,
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    by_id     INTEGER,
    replied   INTEGER NOT NULL,
    reminder  INTEGER,                            -- the reminder round answered by a button
    at        INTEGER NOT NULL,
    UNIQUE (sample_id, reminder)                  -- a button press counts once per round
);
CREATE INDEX chases_sample ON chases(sample_id);

CREATE TABLE ad_reports (
    id          INTEGER PRIMARY KEY,
    sample_id   INTEGER NOT NULL REFERENCES samples(id),
    reporter_id INTEGER NOT NULL,
    spend_fen   INTEGER NOT NULL,
    impressions INTEGER NOT NULL,
    clicks      INTEGER NOT NULL,
    orders      INTEGER NOT NULL,
    gmv_fen     INTEGER,
    at          INTEGER NOT NULL
);
CREATE INDEX ad_reports_sample ON ad_reports(sample_id);
