-- Delivery semantics and claims of outbox rows: PostgreSQL spelling of
-- storage/migrations/0018_outbox_claim.sql (read its comments for the meaning).
ALTER TABLE outbox ADD COLUMN delivery TEXT COLLATE "C" NOT NULL DEFAULT 'at_most_once'
    CHECK (delivery IN ('at_most_once', 'at_least_once'));
ALTER TABLE outbox ADD COLUMN claimed_at BIGINT;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT COLLATE "C";
UPDATE outbox SET delivery = 'at_least_once'
    WHERE substr(key, 1, 7) = 'settle:' OR substr(key, 1, 7) = 'payout:';
CREATE INDEX outbox_claimed ON outbox(claimed_at) WHERE claimed_at IS NOT NULL;
