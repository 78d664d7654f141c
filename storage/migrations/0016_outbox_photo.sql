-- An outbox row may carry a photo (PNG bytes) sent with sendPhoto, its text as the caption;
-- when the Bot API refuses the photo the text still goes as a message.
ALTER TABLE outbox ADD COLUMN photo BLOB;
