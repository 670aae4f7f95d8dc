-- One row per billed API call, deduplicated across all files (docs/counting.md):
--  * key (source, dedup_key): the same request seen in several files of one source (Claude's
--    message.id + requestId, Gemini's message id …); a row without a dedup_key is never merged,
--    and calls of different sources never are;
--  * of each key's rows keep the whole row of the main thread with the largest output (ties: a
--    record before a copy of it, then the later line), its tools being the union over all rows;
--  * drop sidechain replays: a sidechain call whose call id is also a main-thread call of the
--    same source;
--  * <synthetic> and API-error lines carry no tokens and are not calls.
-- raw_calls already holds one row per call and file, so most keys have a single row: the
-- ranking runs on a narrow projection, lists are merged only for keys seen in several files,
-- and the winning rows are fetched by rowid (which is also the call's id in this build, cid).
CREATE OR REPLACE TABLE calls AS
WITH candidates AS (
    SELECT rowid AS rid,
           CASE WHEN dedup_key IS NULL THEN hash(source, file_id, call_id, uuid, ts)
                ELSE hash(source, dedup_key) END AS k,
           source, call_id, is_sidechain, output, is_copy, ts, file_id, lines, tools
    FROM raw_calls
    WHERE ts IS NOT NULL AND coalesce(model, '') <> '<synthetic>' AND NOT is_api_error
),
winners AS (
    SELECT k, count(*) AS n,
           arg_max(rid, {'main': NOT is_sidechain, 'output': output, 'own': NOT is_copy,
                         'ts': ts, 'file': file_id}) AS rid
    FROM candidates
    GROUP BY k
),
merged AS (
    SELECT k, sum(lines)::BIGINT AS merged_lines,
           list_sort(list(DISTINCT file_id)) AS file_ids,
           list_sort(list_distinct(flatten(list(tools)))) AS tools
    FROM candidates
    WHERE k IN (SELECT k FROM winners WHERE n > 1)
    GROUP BY k
),
main_thread_ids AS (
    SELECT DISTINCT source, call_id
    FROM candidates
    WHERE NOT is_sidechain AND call_id IS NOT NULL
)
SELECT w.rid AS cid, r.source,
       coalesce(r.call_id, r.uuid, 'line-' || w.rid) AS call_id,
       r.call_id AS native_id, r.dedup_key, r.request_id,
       coalesce(r.session_id, 'unknown') AS session_id,
       r.agent_id, r.is_sidechain, r.ts, r.model,
       r.input, r.output, r.cache_read, r.cache_write_5m, r.cache_write_1h,
       r.cache_write_5m + r.cache_write_1h AS cache_write, r.reasoning, r.cost_usd,
       r.session_total, r.speed, r.cwd, r.project, r.uuid,
       coalesce(m.tools, r.tools) AS tools,
       coalesce(m.merged_lines, r.lines) AS merged_lines,
       coalesce(m.file_ids, [r.file_id]) AS file_ids
FROM winners w
JOIN raw_calls r ON r.rowid = w.rid
LEFT JOIN merged m ON m.k = w.k
WHERE NOT (r.is_sidechain AND r.call_id IS NOT NULL
           AND (r.source, r.call_id) IN (SELECT (source, call_id) FROM main_thread_ids));
