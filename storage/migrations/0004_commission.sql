-- Sharer programme, commission features: remembered referrals, settlement corrections.

-- A referral link opened by someone who is not bound yet: applied when their /bind is approved.
CREATE TABLE referral_pending (
    user_id    INTEGER PRIMARY KEY,             -- the person who opened t.me/<bot>?start=r_<code>
    inviter_id TEXT NOT NULL,                   -- the sharer whose link it was
    at         INTEGER NOT NULL
);

-- Per-month corrections booked in a later settlement (the "adjustment" line, split by the
-- month it corrects), so that a month already corrected is never corrected twice.
CREATE TABLE settlement_corrections (
    month     INTEGER NOT NULL REFERENCES settlements(month),   -- booked in this settlement
    sharer_id TEXT NOT NULL,
    for_month INTEGER NOT NULL,                                -- the settled month corrected
    amount    INTEGER NOT NULL,                                -- fen (negative: clawback)
    PRIMARY KEY (month, sharer_id, for_month)
) WITHOUT ROWID;
CREATE INDEX settlement_corrections_sharer ON settlement_corrections(sharer_id, for_month);
CREATE INDEX settlement_lines_sharer ON settlement_lines(sharer_id, month);
CREATE INDEX bind_requests_user ON bind_requests(user_id, status);
