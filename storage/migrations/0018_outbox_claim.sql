-- Delivery semantics (issue 12). A row is *claimed* (claimed_at, claimed_by: the run of the
-- bot that sends it) and committed right before its request goes to Telegram, and unclaimed
-- when the answer is stored. A claim found by another run, or left for minutes, is a send
-- whose outcome nobody knows: `delivery` says which way to err then.
--   at_least_once: send it again (money: settlement DMs, payout files);
--   at_most_once:  give it up as failed with last_error 'uncertain: …' (reminders, boards,
--                  broadcasts: a repeat is noise).
ALTER TABLE outbox ADD COLUMN delivery TEXT NOT NULL DEFAULT 'at_most_once'
    CHECK (delivery IN ('at_most_once', 'at_least_once'));
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
UPDATE outbox SET delivery = 'at_least_once'
    WHERE substr(key, 1, 7) = 'settle:' OR substr(key, 1, 7) = 'payout:';
CREATE INDEX outbox_claimed ON outbox(claimed_at) WHERE claimed_at IS NOT NULL;
