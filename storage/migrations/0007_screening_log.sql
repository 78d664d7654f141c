-- What changed for /find since a cached screening profile was built: one row per change to a
-- creator, to their sample figures or (creator_id NULL) to the attributed-sales rollup.
-- Readers keep the last seq they saw and rebuild only those creators' profiles.

CREATE TABLE screening_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    creator_id INTEGER                          -- NULL: attributed sales changed
);

CREATE TRIGGER screening_creator_insert AFTER INSERT ON creators
BEGIN INSERT INTO screening_log (creator_id) VALUES (NEW.id); END;
CREATE TRIGGER screening_creator_update AFTER UPDATE ON creators
BEGIN INSERT INTO screening_log (creator_id) VALUES (NEW.id); END;
CREATE TRIGGER screening_creator_delete AFTER DELETE ON creators
BEGIN INSERT INTO screening_log (creator_id) VALUES (OLD.id); END;

CREATE TRIGGER screening_stats_insert AFTER INSERT ON creator_sample_stats
BEGIN INSERT INTO screening_log (creator_id) VALUES (NEW.creator_id); END;
CREATE TRIGGER screening_stats_update AFTER UPDATE ON creator_sample_stats
BEGIN INSERT INTO screening_log (creator_id) VALUES (NEW.creator_id); END;
CREATE TRIGGER screening_stats_delete AFTER DELETE ON creator_sample_stats
BEGIN INSERT INTO screening_log (creator_id) VALUES (OLD.creator_id); END;

-- Statement-level would do for sales, but SQLite has only row triggers: an import that
-- touches many creators' sales logs many NULL rows, which readers fold into one refresh.
CREATE TRIGGER screening_sales_insert AFTER INSERT ON creator_sales
BEGIN INSERT INTO screening_log (creator_id) VALUES (NULL); END;
CREATE TRIGGER screening_sales_update AFTER UPDATE ON creator_sales
BEGIN INSERT INTO screening_log (creator_id) VALUES (NULL); END;
CREATE TRIGGER screening_sales_delete AFTER DELETE ON creator_sales
BEGIN INSERT INTO screening_log (creator_id) VALUES (NULL); END;
