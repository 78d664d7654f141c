-- Reserved: PostgreSQL's spelling of storage/migrations/0020_data_versions.sql, filled in by issue 13 work.
SELECT 1;
