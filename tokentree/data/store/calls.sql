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
-- and the winning rows are fetched by rowid. A row's key is raw_calls.k (sql/call_key.sql, set
-- before this runs); a call's id (cid) is its key: the same in every build, whichever files
-- were read when (rowids are not).
-- For a full build ${keys} and ${main_ids} are `true` and `rows` is not materialized (the
-- winners' rows are fetched from raw_calls by rowid). For a delta (tokentree.data.delta)
-- ${keys} limits the calls built to the keys in delta_keys, `rows` is materialized (fetching
-- a few winners from the whole table would read all of it) and ${main_ids} limits the
-- main-thread ids looked up to those of the sidechain rows among them.
CREATE OR REPLACE TABLE calls AS
WITH rows AS ${materialized} (
    SELECT rowid AS rid, * FROM raw_calls WHERE ${keys}
),
candidates AS (
    SELECT rid, k, source, call_id, is_sidechain, output, is_copy, ts, file_id, lines, tools
    FROM rows
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
    FROM raw_calls
    WHERE ts IS NOT NULL AND coalesce(model, '') <> '<synthetic>' AND NOT is_api_error
      AND NOT is_sidechain AND call_id IS NOT NULL AND ${main_ids}
)
SELECT w.k AS cid, r.source,
       coalesce(r.call_id, r.uuid, 'line-' || w.k) AS call_id,
       r.call_id AS native_id, r.dedup_key, r.request_id,
       coalesce(r.session_id, 'unknown') AS session_id,
       r.agent_id, r.is_sidechain, r.ts, r.model,
       r.input, r.output, r.cache_read, r.cache_write_5m, r.cache_write_1h,
       r.cache_write_5m + r.cache_write_1h AS cache_write, r.reasoning, r.cost_usd,
       r.session_total, r.speed, r.cwd, r.project, r.uuid,
       coalesce(m.tools, r.tools) AS tools,
       coalesce(m.merged_lines, r.lines) AS merged_lines,
       coalesce(m.file_ids, [r.file_id]) AS file_ids,
       r.device
FROM winners w
JOIN rows r ON r.rid = w.rid
LEFT JOIN merged m ON m.k = w.k
WHERE NOT (r.is_sidechain AND r.call_id IS NOT NULL
           AND (r.source, r.call_id) IN (SELECT (source, call_id) FROM main_thread_ids));
