"""PostgreSQL migrations, numbered as storage/migrations/ (the same schema version means the
same tables on both stores); applied by storage.pg.db.Database.migrate."""
