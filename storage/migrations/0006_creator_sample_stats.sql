-- Per-creator sample figures (signed, with a video, chases, replies), kept by triggers as
-- samples change, so that /find reads one row per creator instead of aggregating every sample.
-- The counting is that of bot.domain.creator_stats.compute_stats (tests/storage check it).

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
    )
)
GROUP BY creator_id;

CREATE TABLE creator_sample_stats (
    creator_id INTEGER PRIMARY KEY REFERENCES creators(id),
    signed     INTEGER NOT NULL,
    video      INTEGER NOT NULL,
    chases     INTEGER NOT NULL,
    replied    INTEGER NOT NULL
);

INSERT INTO creator_sample_stats SELECT * FROM creator_sample_figures;

CREATE TRIGGER creator_sample_stats_insert AFTER INSERT ON samples
BEGIN
    INSERT OR REPLACE INTO creator_sample_stats
        SELECT * FROM creator_sample_figures WHERE creator_id = NEW.creator_id;
END;

CREATE TRIGGER creator_sample_stats_update
AFTER UPDATE OF creator_id, stage, signed_at, video_at, chases, chases_replied ON samples
BEGIN
    INSERT OR REPLACE INTO creator_sample_stats
        SELECT * FROM creator_sample_figures WHERE creator_id IN (NEW.creator_id, OLD.creator_id);
END;

CREATE TRIGGER creator_sample_stats_delete AFTER DELETE ON samples
BEGIN
    DELETE FROM creator_sample_stats WHERE creator_id = OLD.creator_id;
    INSERT OR REPLACE INTO creator_sample_stats
        SELECT * FROM creator_sample_figures WHERE creator_id = OLD.creator_id;
END;
