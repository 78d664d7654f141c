-- Reserved: PostgreSQL's spelling of storage/migrations/0017_digest_rollup.sql, filled in by issue 13 work.
SELECT 1;
