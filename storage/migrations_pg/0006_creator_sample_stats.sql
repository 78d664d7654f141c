-- Per-creator sample figures kept by triggers (storage/migrations/0006_creator_sample_stats.sql).
-- SQLite's INSERT OR REPLACE becomes an upsert; subqueries in FROM need an alias before
-- PostgreSQL 16.

CREATE VIEW creator_sample_figures AS
SELECT creator_id,
       SUM(signed) AS signed,
       SUM(video) AS video,
       SUM(chases) AS chases,
       SUM(chases_replied) AS replied
FROM (
    SELECT creator_id, chases, chases_replied,
           CASE WHEN has_video THEN 1 ELSE 0 END AS video,
           CASE WHEN has_video THEN 1
                WHEN stage = 'cancelled' THEN 0
                WHEN signed_at IS NOT NULL OR stage <> 'shipped' THEN 1
                ELSE 0 END AS signed
    FROM (
        SELECT creator_id, stage, signed_at, chases, chases_replied,
               video_at IS NOT NULL OR stage IN ('video_posted', 'rated_good', 'rated_poor',
                   'code_received', 'handed_to_ads', 'done') AS has_video
        FROM samples
    ) AS facts
) AS counted
GROUP BY creator_id;

CREATE TABLE creator_sample_stats (
    creator_id BIGINT PRIMARY KEY REFERENCES creators(id),
    signed     BIGINT NOT NULL,
    video      BIGINT NOT NULL,
    chases     BIGINT NOT NULL,
    replied    BIGINT NOT NULL
);

INSERT INTO creator_sample_stats SELECT * FROM creator_sample_figures;

CREATE FUNCTION crewbot_creator_sample_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM creator_sample_stats WHERE creator_id = OLD.creator_id;
    END IF;
    INSERT INTO creator_sample_stats AS s (creator_id, signed, video, chases, replied)
    SELECT f.creator_id, f.signed, f.video, f.chases, f.replied FROM creator_sample_figures f
    WHERE f.creator_id IN (
        CASE WHEN TG_OP = 'DELETE' THEN OLD.creator_id ELSE NEW.creator_id END,
        CASE WHEN TG_OP = 'UPDATE' THEN OLD.creator_id
             WHEN TG_OP = 'DELETE' THEN OLD.creator_id ELSE NEW.creator_id END)
    ON CONFLICT (creator_id) DO UPDATE SET signed = excluded.signed, video = excluded.video,
        chases = excluded.chases, replied = excluded.replied;
    RETURN NULL;
END $$;

CREATE TRIGGER creator_sample_stats_insert AFTER INSERT ON samples
    FOR EACH ROW EXECUTE FUNCTION crewbot_creator_sample_stats();
CREATE TRIGGER creator_sample_stats_update
    AFTER UPDATE OF creator_id, stage, signed_at, video_at, chases, chases_replied ON samples
    FOR EACH ROW EXECUTE FUNCTION crewbot_creator_sample_stats();
CREATE TRIGGER creator_sample_stats_delete AFTER DELETE ON samples
    FOR EACH ROW EXECUTE FUNCTION crewbot_creator_sample_stats();
