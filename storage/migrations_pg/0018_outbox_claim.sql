-- Reserved: PostgreSQL's spelling of storage/migrations/0018_outbox_claim.sql, filled in by issue 13 work.
SELECT 1;
