-- Part 2 of 3 (after threads.sql): what each file billed.

-- token_count events: the thread's cumulative usage (t_*), the last request's (l_*), limits.
CREATE OR REPLACE TEMP TABLE cx_tc AS
SELECT file_id, ordinal, try_cast(x[${t_timestamp}] AS TIMESTAMPTZ) AS ts,
       coalesce(x[${t_t_input}], x[${t_t_output}], x[${t_t_cached}]) IS NOT NULL AS has_t,
       coalesce(x[${t_l_input}], x[${t_l_output}], x[${t_l_cached}]) IS NOT NULL AS has_l,
       tok(x[${t_t_input}]) AS t_in, tok(x[${t_t_cached}]) AS t_cached,
       tok(coalesce(x[${t_t_cache_write}], x[${t_t_cache_creation}])) AS t_cw,
       tok(x[${t_t_output}]) AS t_out, tok(x[${t_t_reasoning}]) AS t_reas,
       tok(x[${t_l_input}]) AS l_in, tok(x[${t_l_cached}]) AS l_cached,
       tok(coalesce(x[${t_l_cache_write}], x[${t_l_cache_creation}])) AS l_cw,
       tok(x[${t_l_output}]) AS l_out, tok(x[${t_l_reasoning}]) AS l_reas,
       nullif(coalesce(x[${t_info_model}], x[${t_model}]), '') AS model_hint,
       x[${t_limit_id}] AS limit_id, x[${t_limit_name}] AS limit_name, x[${t_plan}] AS plan,
       [{'minutes': coalesce(try_cast(x[${t_p_window}] AS BIGINT), 300),
         'used': try_cast(x[${t_p_used}] AS DOUBLE),
         'at': try_cast(x[${t_p_resets_at}] AS DOUBLE),
         'after': try_cast(x[${t_p_resets_in}] AS DOUBLE)},
        {'minutes': coalesce(try_cast(x[${t_s_window}] AS BIGINT), 10080),
         'used': try_cast(x[${t_s_used}] AS DOUBLE),
         'at': try_cast(x[${t_s_resets_at}] AS DOUBLE),
         'after': try_cast(x[${t_s_resets_in}] AS DOUBLE)}] AS windows
FROM staging
WHERE kind = 'T' AND bad IS NULL AND x[1] = 'event_msg' AND x[3] = 'token_count';

-- Where a file's own content starts (copy_end; NULL: the file copied nothing). A file with a
-- parent, or with an ancestor's session_meta inside, copied history when its first usage event
-- is not a fresh counter: it follows an ancestor's session_meta, or its cumulative total holds
-- more than its last request, or it predates the thread. The copy then ends at the first
-- takeover marker (the owner's session_meta again, a trigger_turn message), or, without one,
-- after the burst of usage events written at the fork (each within a second of the one before,
-- the first within a second of the owner's session_meta; copies that keep their original,
-- earlier timestamps belong to the burst too).
CREATE OR REPLACE TEMP TABLE cx_bound AS
WITH usage AS (
    SELECT u.*, f.created, f.meta_ts
    FROM cx_tc u
    JOIN cx_file f USING (file_id)
    WHERE u.has_t OR u.has_l
),
first_event AS (
    SELECT * FROM usage QUALIFY row_number() OVER (PARTITION BY file_id ORDER BY ordinal) = 1
),
runs AS (
    SELECT file_id, ordinal,
           NOT (coalesce(ts < created, false)
                OR coalesce(ts <= coalesce(lag(ts) OVER (PARTITION BY file_id ORDER BY ordinal),
                                           meta_ts, ts) + INTERVAL 1 SECOND, false))
               AS breaks
    FROM usage
),
burst AS (
    SELECT file_id, max(ordinal) AS last_copy
    FROM (SELECT *, bool_or(breaks) OVER (PARTITION BY file_id ORDER BY ordinal) AS after
          FROM runs)
    WHERE NOT after
    GROUP BY file_id
),
shaped AS (
    SELECT f.file_id, f.foreign_ord, least(f.repeat_ord, f.trigger_ord) AS marker,
           e.ordinal AS first_usage, b.last_copy,
           f.lineage AND e.ordinal IS NOT NULL AND (
               coalesce(e.ordinal > f.foreign_ord, false)
               OR (e.has_t AND e.has_l
                   AND (e.t_in, e.t_cached, e.t_cw, e.t_out, e.t_reas)
                       <> (e.l_in, e.l_cached, e.l_cw, e.l_out, e.l_reas))
               OR coalesce(e.ts < f.created, false)
           ) AS copied
    FROM cx_file f
    LEFT JOIN first_event e USING (file_id)
    LEFT JOIN burst b USING (file_id)
)
SELECT file_id,
       CASE WHEN copied AND marker IS NOT NULL THEN marker
            WHEN copied THEN coalesce(last_copy + 1, first_usage)
            WHEN foreign_ord IS NOT NULL AND first_usage IS NULL THEN marker
       END AS copy_end
FROM shaped;

-- Per-request usage of every token_count: the positive delta of the cumulative total against
-- the file's previous one (basis 'delta'); an unchanged total is a re-emission ('repeat',
-- nothing billed); a total that went down, or equals the last request alone, is a restarted
-- counter, and a file's first total continues a history kept elsewhere: both bill the last
-- request ('last'; the total when no last request is logged).
CREATE OR REPLACE TEMP TABLE cx_usage AS
WITH previous AS (
    SELECT file_id, ordinal,
           lag(t_in) OVER w AS p_in, lag(t_cached) OVER w AS p_cached, lag(t_cw) OVER w AS p_cw,
           lag(t_out) OVER w AS p_out, lag(t_reas) OVER w AS p_reas
    FROM cx_tc
    WHERE has_t
    WINDOW w AS (PARTITION BY file_id ORDER BY ordinal)
),
based AS (
    SELECT u.*, p.p_in, p.p_cached, p.p_cw, p.p_out, p.p_reas,
           CASE WHEN NOT u.has_t THEN 'last'
                WHEN p.p_in IS NULL THEN CASE WHEN u.has_l THEN 'last' ELSE 'total' END
                WHEN (u.t_in, u.t_cached, u.t_cw, u.t_out, u.t_reas)
                     = (p.p_in, p.p_cached, p.p_cw, p.p_out, p.p_reas) THEN 'repeat'
                WHEN u.t_in < p.p_in OR u.t_cached < p.p_cached OR u.t_cw < p.p_cw
                     OR u.t_out < p.p_out OR u.t_reas < p.p_reas
                     OR (u.has_l AND (u.t_in, u.t_cached, u.t_cw, u.t_out, u.t_reas)
                                     = (u.l_in, u.l_cached, u.l_cw, u.l_out, u.l_reas))
                THEN CASE WHEN u.has_l THEN 'last' ELSE 'total' END
                ELSE 'delta'
           END AS basis
    FROM cx_tc u
    LEFT JOIN previous p USING (file_id, ordinal)
    WHERE u.has_t OR u.has_l
)
SELECT file_id, ordinal, ts, model_hint, basis,
       CASE basis WHEN 'last' THEN l_in WHEN 'total' THEN t_in ELSE t_in - p_in END AS u_in,
       CASE basis WHEN 'last' THEN l_cached WHEN 'total' THEN t_cached
                  ELSE t_cached - p_cached END AS u_cached,
       CASE basis WHEN 'last' THEN l_cw WHEN 'total' THEN t_cw ELSE t_cw - p_cw END AS u_cw,
       CASE basis WHEN 'last' THEN l_out WHEN 'total' THEN t_out ELSE t_out - p_out END AS u_out,
       CASE basis WHEN 'last' THEN l_reas WHEN 'total' THEN t_reas
                  ELSE t_reas - p_reas END AS u_reas,
       'tc|' || coalesce(epoch_ms(ts)::VARCHAR, '') || '|'
           || CASE WHEN has_t THEN concat_ws(',', t_in, t_cached, t_cw, t_out, t_reas) ELSE '' END
           || '|' || CASE WHEN has_l THEN concat_ws(',', l_in, l_cached, l_cw, l_out, l_reas)
                          ELSE '' END AS dedup_key
FROM based
WHERE basis <> 'repeat';

-- The billed requests of this batch: token_usage_record lines (≥ 0.151, one per response) from
-- the first one on, token_count deltas before it; nothing in copied history.
CREATE OR REPLACE TEMP TABLE cx_req AS
WITH records AS (
    SELECT r.file_id, r.ordinal, try_cast(r.x[${r_timestamp}] AS TIMESTAMPTZ) AS ts,
           nullif(r.x[${r_response_id}], '') AS response_id,
           tok(r.x[${r_u_input}]) AS u_in, tok(r.x[${r_u_cached}]) AS u_cached,
           tok(coalesce(r.x[${r_u_cache_write}], r.x[${r_u_cache_creation}])) AS u_cw,
           tok(r.x[${r_u_output}]) AS u_out, tok(r.x[${r_u_reasoning}]) AS u_reas,
           nullif(r.x[${r_model}], '') AS model_hint
    FROM staging r
    JOIN cx_file f USING (file_id)
    LEFT JOIN cx_bound b USING (file_id)
    WHERE r.kind = 'R' AND r.bad IS NULL AND r.x[1] = 'token_usage_record'
      AND coalesce(r.x[${r_thread_id}] = f.thread, true)
      AND (b.copy_end IS NULL OR r.ordinal >= b.copy_end)
),
switch AS (
    SELECT file_id, min(ordinal) AS first_record FROM records GROUP BY file_id
),
counts AS (
    SELECT u.file_id, u.ordinal, u.ts, u.model_hint, NULL AS response_id, u.dedup_key,
           u.u_in, u.u_cached, u.u_cw, u.u_out, u.u_reas
    FROM cx_usage u
    LEFT JOIN cx_bound b USING (file_id)
    LEFT JOIN switch s USING (file_id)
    WHERE (b.copy_end IS NULL OR u.ordinal >= b.copy_end)
      AND (s.first_record IS NULL OR u.ordinal < s.first_record)
),
billed AS (
    SELECT * FROM counts
    UNION ALL BY NAME
    SELECT file_id, ordinal, ts, model_hint, response_id,
           CASE WHEN response_id IS NOT NULL THEN 'resp|' || response_id END AS dedup_key,
           u_in, u_cached, u_cw, u_out, u_reas
    FROM records
)
SELECT *,
       row_number() OVER (PARTITION BY file_id, response_id IS NULL ORDER BY ordinal) AS n
FROM billed
WHERE u_in > 0 OR u_cached > 0 OR u_cw > 0 OR u_out > 0;
