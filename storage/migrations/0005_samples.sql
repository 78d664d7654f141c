-- /pipeline's overdue list and counts per BD read only this small partial index (samples still
-- waiting for a video), ordered by signing time, without touching the table: it stays fast
-- however many finished samples pile up.
CREATE INDEX samples_chasing ON samples(owner_id, signed_at, chase_due_at, reminders_sent)
    WHERE chase_due_at IS NOT NULL;
