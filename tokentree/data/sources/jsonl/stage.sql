-- Staging rows of one scan → typed raw_calls rows (appended), one per record line. Values are
-- addressed by their position in record.FIELDS and were validated by feed_ok (setup.sql).
--  * call_id and dedup_key: request_id (the same request in several lines or files counts once);
--  * a line without request_id is never merged with another: its identity is a digest of its
--    values plus its rank among the lines of its file with the same digest, counted on from
--    the rows already read from that file (an appended tail continues the count);
--  * session: session_id, else one session per file (and service and project, when given);
--  * the session's project label: project, with the service in brackets when both are given.
CREATE OR REPLACE TEMP TABLE feed_line AS
SELECT file_id, x, coalesce(overflow, []) AS tools,
       nullif(x[${i_request_id}], '') AS request_id,
       nullif(x[${i_session_id}], '') AS session_id,
       nullif(x[${i_project}], '') AS project,
       nullif(x[${i_service}], '') AS service,
       md5(x::VARCHAR) AS digest
FROM staging
WHERE kind = 'F' AND bad IS NULL;

INSERT INTO raw_calls BY NAME
WITH anonymous AS (
    SELECT DISTINCT file_id FROM feed_line WHERE request_id IS NULL
),
earlier AS (
    SELECT r.file_id, split_part(r.uuid, ':', 2) AS digest, count(*) AS n
    FROM raw_calls r
    WHERE r.source = 'jsonl' AND r.uuid IS NOT NULL
      AND r.file_id IN (SELECT file_id FROM anonymous)
    GROUP BY ALL
),
ranked AS (
    SELECT l.*,
           CASE WHEN l.request_id IS NULL
                THEN 'line:' || l.digest || ':'
                     || (coalesce(e.n, 0)
                         + row_number() OVER (PARTITION BY l.file_id, l.digest, l.request_id IS NULL))
           END AS uuid
    FROM feed_line l
    LEFT JOIN earlier e ON e.file_id = l.file_id AND e.digest = l.digest
)
SELECT file_id, 'jsonl' AS source, 1::BIGINT AS lines,
       request_id AS call_id, request_id AS dedup_key, request_id,
       coalesce(session_id,
                'feed:' || printf('%016x', file_id)
                || CASE WHEN service IS NOT NULL OR project IS NOT NULL
                        THEN ':' || left(md5(concat_ws(chr(31), coalesce(service, ''),
                                                       coalesce(project, ''))), 8)
                        ELSE '' END) AS session_id,
       feed_ts(x[${i_timestamp}]) AS ts,
       x[${i_model}] AS model,
       feed_num(x[${i_input}])
           - CASE WHEN x[${i_cached_included}] = 'true'
                  THEN coalesce(feed_num(x[${i_cache_read}]), 0)
                       + coalesce(feed_num(x[${i_cache_write}]), 0)
                  ELSE 0 END AS input,
       feed_num(x[${i_output}]) AS output,
       coalesce(feed_num(x[${i_cache_read}]), 0) AS cache_read,
       coalesce(feed_num(x[${i_cache_write}]), 0) - coalesce(feed_num(x[${i_cache_write_1h}]), 0)
           AS cache_write_5m,
       coalesce(feed_num(x[${i_cache_write_1h}]), 0) AS cache_write_1h,
       CASE WHEN feed_num(x[${i_reasoning}]) <= feed_num(x[${i_output}])
            THEN feed_num(x[${i_reasoning}]) END AS reasoning,
       CASE WHEN regexp_full_match(x[${i_cost}], '${number}')
            THEN try_cast(x[${i_cost}] AS DOUBLE) END AS cost_usd,
       CASE WHEN project IS NOT NULL AND service IS NOT NULL
            THEN project || ' (' || service || ')'
            ELSE coalesce(project, service) END AS project,
       uuid, tools
FROM ranked;

DROP TABLE feed_line;
