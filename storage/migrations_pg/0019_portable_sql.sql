-- Reserved: PostgreSQL's spelling of storage/migrations/0019_portable_sql.sql, filled in by issue 13 work.
SELECT 1;
