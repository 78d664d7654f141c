-- Sharer programme, commission features: remembered referrals, settlement corrections.
-- PostgreSQL spelling of storage/migrations/0004_commission.sql.

CREATE TABLE referral_pending (
    user_id    BIGINT PRIMARY KEY,
    inviter_id TEXT COLLATE "C" NOT NULL,
    at         BIGINT NOT NULL
);

CREATE TABLE settlement_corrections (
    month     BIGINT NOT NULL REFERENCES settlements(month),
    sharer_id TEXT COLLATE "C" NOT NULL,
    for_month BIGINT NOT NULL,
    amount    BIGINT NOT NULL,
    PRIMARY KEY (month, sharer_id, for_month)
);
CREATE INDEX settlement_corrections_sharer ON settlement_corrections(sharer_id, for_month);
CREATE INDEX settlement_lines_sharer ON settlement_lines(sharer_id, month);
CREATE INDEX bind_requests_user ON bind_requests(user_id, status);
