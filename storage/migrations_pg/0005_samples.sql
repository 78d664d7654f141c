-- /pipeline's overdue list and counts per BD (storage/migrations/0005_samples.sql).
CREATE INDEX samples_chasing ON samples(owner_id, signed_at, chase_due_at, reminders_sent)
    WHERE chase_due_at IS NOT NULL;
