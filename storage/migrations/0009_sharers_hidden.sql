-- The few sharers hidden from leaderboards (/hide_me): the boards and a sharer's month rank
-- (storage/commission.py) leave them out by walking this instead of all sharers.

CREATE INDEX sharers_hidden ON sharers(sharer_id) WHERE hidden;
