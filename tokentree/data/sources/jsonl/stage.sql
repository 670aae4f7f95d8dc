-- Staging rows of one scan → typed raw_calls rows (appended), one per record line. Values are
-- addressed by their position in record.STAGED; feed_ok (setup.sql) validated them.
--  * call_id and dedup_key: request_id (the same request in several lines or files counts once)
--  * a line without request_id is never merged with another: its identity is a digest of its
--    values plus its rank among the lines of its file with the same digest, counted on from
--    the rows already read from that file (an appended tail continues the count)
--  * session: session_id, else one session per file (and service and project, when given)
--  * the session's project label: project, with the service in brackets when both are given
INSERT INTO raw_calls BY NAME
WITH feed AS (
    SELECT rowid AS rid, file_id, x, overflow,
           nullif(x[${s_request_id}], '') AS request_id,
           nullif(x[${s_project}], '') AS project,
           nullif(x[${s_service}], '') AS service
    FROM staging
    WHERE kind = 'F' AND bad IS NULL
),
anonymous AS (
    SELECT rid, file_id, md5(x::VARCHAR) AS digest FROM feed WHERE request_id IS NULL
),
earlier AS (
    SELECT file_id, split_part(uuid, ':', 2) AS digest, count(*) AS n
    FROM raw_calls
    WHERE source = 'jsonl' AND uuid IS NOT NULL
      AND file_id IN (SELECT DISTINCT file_id FROM anonymous)
    GROUP BY ALL
),
named AS (
    SELECT a.rid,
           'line:' || a.digest || ':'
           || (coalesce(e.n, 0) + row_number() OVER (PARTITION BY a.file_id, a.digest)) AS uuid
    FROM anonymous a
    LEFT JOIN earlier e ON e.file_id = a.file_id AND e.digest = a.digest
)
SELECT f.file_id, 'jsonl' AS source, 1::BIGINT AS lines,
       f.request_id AS call_id, f.request_id AS dedup_key, f.request_id,
       coalesce(nullif(f.x[${s_session_id}], ''),
                'feed:' || printf('%016x', f.file_id)
                || CASE WHEN f.service IS NOT NULL OR f.project IS NOT NULL
                        THEN ':' || left(md5(concat_ws(chr(31), coalesce(f.service, ''),
                                                       coalesce(f.project, ''))), 8)
                        ELSE '' END) AS session_id,
       feed_ts(f.x[${s_timestamp}]) AS ts,
       f.x[${s_model}] AS model,
       f.x[${s_input}]::BIGINT AS input,
       f.x[${s_output}]::BIGINT AS output,
       f.x[${s_cache_read}]::BIGINT AS cache_read,
       f.x[${s_cache_write_5m}]::BIGINT AS cache_write_5m,
       f.x[${s_cache_write_1h}]::BIGINT AS cache_write_1h,
       f.x[${s_reasoning}]::BIGINT AS reasoning,
       CASE WHEN regexp_full_match(f.x[${s_cost}], '${number}')
            THEN try_cast(f.x[${s_cost}] AS DOUBLE) END AS cost_usd,
       CASE WHEN f.project IS NOT NULL AND f.service IS NOT NULL
            THEN f.project || ' (' || f.service || ')'
            ELSE coalesce(f.project, f.service) END AS project,
       n.uuid,
       coalesce(f.overflow, []) AS tools
FROM feed f
LEFT JOIN named n ON n.rid = f.rid;
