-- PostgreSQL's side of storage/migrations/0019_portable_sql.sql: nothing to change. Its 0001
-- made users_username on lower(username) already, and 0009 spelled the sharers_hidden
-- predicate `hidden <> 0`; the number is kept so both stores count the same versions.
SELECT 1;
