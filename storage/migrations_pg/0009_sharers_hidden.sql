-- The few sharers hidden from leaderboards (storage/migrations/0009_sharers_hidden.sql).
-- `hidden` is a 0/1 integer, which PostgreSQL does not read as a condition by itself.
CREATE INDEX sharers_hidden ON sharers(sharer_id) WHERE hidden <> 0;
