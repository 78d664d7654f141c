-- Settled statements read exactly as they were settled: what /commission shows next to the
-- amounts (the direct rate applied, the level, the counts, the pending part) is frozen with
-- them. Lines settled before this migration have NULLs; they read from the frozen rules.
ALTER TABLE settlement_lines ADD COLUMN direct_rate TEXT;      -- e.g. "8%" (step + level bonus)
ALTER TABLE settlement_lines ADD COLUMN level TEXT;            -- level key
ALTER TABLE settlement_lines ADD COLUMN orders INTEGER;        -- orders with a valid amount
ALTER TABLE settlement_lines ADD COLUMN customers INTEGER;     -- distinct buyers among them
ALTER TABLE settlement_lines ADD COLUMN pending INTEGER;       -- fen still in the refund window
ALTER TABLE settlement_lines ADD COLUMN team_valid_fen INTEGER;
ALTER TABLE settlement_lines ADD COLUMN recruits INTEGER;
