-- Change counters that every process reads: PostgreSQL spelling of
-- storage/migrations/0020_data_versions.sql (read its comments for the meaning). The
-- triggers are statement-level: one bump per statement, however many rows it changed.
CREATE TABLE data_versions (
    name    TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name, version) VALUES ('boards', 0), ('faq', 0), ('users', 0);

CREATE FUNCTION crewbot_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
    RETURN NULL;
END $$;

CREATE TRIGGER data_versions_sharer_month_insert AFTER INSERT ON sharer_month
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');
CREATE TRIGGER data_versions_sharer_month_update AFTER UPDATE ON sharer_month
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');
CREATE TRIGGER data_versions_sharer_month_delete AFTER DELETE ON sharer_month
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');
CREATE TRIGGER data_versions_sharers_insert AFTER INSERT ON sharers
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');
CREATE TRIGGER data_versions_sharers_update AFTER UPDATE OF sharer_id, hidden, leader_id ON sharers
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');
CREATE TRIGGER data_versions_sharers_delete AFTER DELETE ON sharers
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('boards');

CREATE TRIGGER data_versions_faq_insert AFTER INSERT ON faq
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('faq');
CREATE TRIGGER data_versions_faq_update AFTER UPDATE ON faq
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('faq');
CREATE TRIGGER data_versions_faq_delete AFTER DELETE ON faq
    FOR EACH STATEMENT EXECUTE FUNCTION crewbot_data_version('faq');

-- Row-level: a statement-level trigger cannot look at the new value.
CREATE TRIGGER data_versions_users_unreachable AFTER UPDATE OF unreachable ON users
    FOR EACH ROW WHEN (NEW.unreachable <> 0) EXECUTE FUNCTION crewbot_data_version('users');

-- 0009 spelled the sharers_hidden predicate `hidden <> 0` here already.

CREATE INDEX outbox_chat_pending ON outbox(chat_id, due_at, id) WHERE status = 'pending';
