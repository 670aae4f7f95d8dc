-- One row per billed API call, deduplicated across all files (docs/counting.md):
--  * key (message.id, requestId); lines without message.id are never merged;
--  * of each key's rows keep the whole row of the main thread with the largest output (ties:
--    the later line), its tools being the union over all rows;
--  * drop sidechain replays: a sidechain call whose message.id is also a main-thread call;
--  * <synthetic> and API-error lines carry no tokens and are not calls.
-- raw_calls already holds one row per call and file, so most keys have a single row: the
-- ranking runs on a narrow projection, lists are merged only for keys seen in several files,
-- and the winning rows are fetched by rowid (which is also the call's id in this build, cid).
CREATE OR REPLACE TABLE calls AS
WITH candidates AS (
    SELECT rowid AS rid,
           CASE WHEN message_id IS NULL THEN hash(file_id, uuid, ts)
                ELSE hash(message_id, request_id) END AS k,
           message_id, is_sidechain, output, ts, file_id, lines, tools
    FROM raw_calls
    WHERE ts IS NOT NULL AND coalesce(model, '') <> '<synthetic>' AND NOT is_api_error
),
winners AS (
    SELECT k, count(*) AS n,
           arg_max(rid, {'main': NOT is_sidechain, 'output': output, 'ts': ts,
                         'file': file_id}) AS rid
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
    SELECT DISTINCT message_id FROM candidates WHERE NOT is_sidechain AND message_id IS NOT NULL
)
SELECT w.rid AS cid,
       coalesce(r.message_id, r.uuid, 'line-' || w.rid) AS call_id,
       r.message_id, r.request_id,
       coalesce(r.session_id, 'unknown') AS session_id,
       r.agent_id, r.is_sidechain, r.ts, r.model,
       r.input, r.output, r.cache_read, r.cache_write_5m, r.cache_write_1h,
       r.cache_write_5m + r.cache_write_1h AS cache_write,
       r.speed, r.cwd, r.uuid,
       coalesce(m.tools, r.tools) AS tools,
       coalesce(m.merged_lines, r.lines) AS merged_lines,
       coalesce(m.file_ids, [r.file_id]) AS file_ids
FROM winners w
JOIN raw_calls r ON r.rowid = w.rid
LEFT JOIN merged m ON m.k = w.k
WHERE NOT (r.is_sidechain AND r.message_id IS NOT NULL
           AND r.message_id IN (SELECT message_id FROM main_thread_ids));
