-- Settled statements read exactly as they were settled
-- (storage/migrations/0010_settlement_detail.sql).
ALTER TABLE settlement_lines ADD COLUMN direct_rate TEXT COLLATE "C";
ALTER TABLE settlement_lines ADD COLUMN level TEXT COLLATE "C";
ALTER TABLE settlement_lines ADD COLUMN orders BIGINT;
ALTER TABLE settlement_lines ADD COLUMN customers BIGINT;
ALTER TABLE settlement_lines ADD COLUMN pending BIGINT;
ALTER TABLE settlement_lines ADD COLUMN team_valid_fen BIGINT;
ALTER TABLE settlement_lines ADD COLUMN recruits BIGINT;
