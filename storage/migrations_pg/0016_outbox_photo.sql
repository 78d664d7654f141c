-- An outbox row may carry a photo (storage/migrations/0016_outbox_photo.sql).
ALTER TABLE outbox ADD COLUMN photo BYTEA;
