-- Staging rows of one scan → raw tables (docs/counting.md, "Codex CLI"). Fields are addressed by
-- their position in lines.FIELDS_BY_KIND; every rule that depends on what came before a line
-- (the previous cumulative total, the current model, the tools of a request, where a fork's
-- copied history ends) follows the lines' order within their file (staging.ordinal).

-- session_meta lines: the first of a file owns its identity; later ones with another id are
-- copies of an ancestor's history (forks, spawned subagents), a repeat of the owner's ends them.
CREATE OR REPLACE TEMP TABLE cx_meta AS
SELECT file_id, ordinal,
       nullif(x[${m_id}], '') AS id,
       try_cast(x[${m_timestamp}] AS TIMESTAMPTZ) AS line_ts,
       try_cast(x[${m_created}] AS TIMESTAMPTZ) AS created,
       x[${m_cwd}] AS cwd,
       nullif(coalesce(x[${m_forked_from}], x[${m_spawn_forked_from}]), '') AS forked_from,
       x[${m_subagent}] AS subagent,
       nullif(coalesce(x[${m_spawn_parent}], x[${m_parent_thread}]), '') AS parent_thread,
       nullif(x[${m_tree_session}], '') AS tree_session,
       x[${m_thread_source}] AS thread_source,
       coalesce(x[${m_spawn_role}], x[${m_agent_role}],
                CASE WHEN NOT starts_with(x[${m_subagent}], '{') THEN x[${m_subagent}] END)
           AS agent_type,
       x[${m_spawn_call}] AS spawn_call,
       nullif(x[${m_model}], '') AS model
FROM staging
WHERE kind = 'M' AND bad IS NULL AND x[1] = 'session_meta';

-- One row per file: whose thread it is, where it belongs, and its copy markers.
CREATE OR REPLACE TEMP TABLE cx_file AS
WITH files AS (
    SELECT DISTINCT file_id FROM staging WHERE kind IS NOT NULL AND bad IS NULL
),
owner AS (
    SELECT * FROM cx_meta QUALIFY row_number() OVER (PARTITION BY file_id ORDER BY ordinal) = 1
),
shaped AS (
    SELECT f.file_id, coalesce(o.ordinal, -1) AS owner_ord,
           coalesce(o.id, 'file-' || f.file_id) AS thread,
           o.line_ts AS meta_ts, o.created, o.cwd AS meta_cwd, o.model AS meta_model,
           o.agent_type, o.spawn_call, o.forked_from, o.parent_thread,
           coalesce(o.subagent IS NOT NULL OR o.thread_source = 'subagent', false) AS spawned,
           nullif(o.tree_session, o.id) AS tree_parent
    FROM files f
    LEFT JOIN owner o USING (file_id)
),
later AS (
    SELECT m.file_id,
           min(m.ordinal) FILTER (WHERE m.id IS DISTINCT FROM s.thread) AS foreign_ord,
           min(m.ordinal) FILTER (WHERE m.id = s.thread) AS repeat_ord
    FROM cx_meta m
    JOIN shaped s ON s.file_id = m.file_id AND m.ordinal > s.owner_ord
    GROUP BY m.file_id
),
triggers AS (
    SELECT st.file_id, min(st.ordinal) AS trigger_ord
    FROM staging st
    JOIN shaped s ON s.file_id = st.file_id AND st.ordinal > s.owner_ord
    WHERE st.kind = 'I' AND st.bad IS NULL AND st.x[1] = 'inter_agent_communication'
      AND st.x[${i_trigger}] = 'true'
    GROUP BY st.file_id
),
placed AS (
    SELECT s.*, l.foreign_ord, l.repeat_ord, t.trigger_ord,
           CASE WHEN s.spawned THEN coalesce(s.parent_thread, s.tree_parent, s.forked_from) END
               AS parent,
           s.forked_from IS NOT NULL OR s.spawned OR s.parent_thread IS NOT NULL
               OR l.foreign_ord IS NOT NULL AS lineage
    FROM shaped s
    LEFT JOIN later l USING (file_id)
    LEFT JOIN triggers t USING (file_id)
)
SELECT *, parent IS NOT NULL AS is_sidechain,
       CASE WHEN parent IS NOT NULL THEN coalesce(tree_parent, parent) ELSE thread END
           AS session_id,
       CASE WHEN parent IS NOT NULL THEN thread END AS agent_id
FROM placed;

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

-- turn_context lines: the model and cwd of the requests after them.
CREATE OR REPLACE TEMP TABLE cx_ctx AS
SELECT file_id, ordinal, nullif(x[${c_model}], '') AS model, nullif(x[${c_cwd}], '') AS cwd
FROM staging
WHERE kind = 'C' AND bad IS NULL AND x[1] = 'turn_context';

-- Tool calls of the thread's own requests, each attached to the request whose usage follows it.
CREATE OR REPLACE TEMP TABLE cx_tools AS
WITH invoked AS (
    SELECT t.file_id, t.ordinal,
           coalesce(t.x[${f_call_id}], t.x[${f_id}]) AS id,
           CASE t.x[3] WHEN 'local_shell_call' THEN 'local_shell' ELSE t.x[${f_name}] END AS name,
           cx_tool_detail(t.x[${f_name}], t.x[${f_arguments}], t.x[${f_input}],
                          t.x[${f_command}]) AS detail
    FROM staging t
    LEFT JOIN cx_bound b USING (file_id)
    WHERE t.kind = 'F' AND t.bad IS NULL AND t.x[1] = 'response_item'
      AND t.x[3] IN ('function_call', 'custom_tool_call', 'local_shell_call')
      AND (b.copy_end IS NULL OR t.ordinal >= b.copy_end)
)
SELECT q.file_id, q.ordinal,
       list({'id': c.id, 'name': c.name, 'detail': c.detail} ORDER BY c.ordinal) AS tools
FROM invoked c
ASOF JOIN cx_req q ON q.file_id = c.file_id AND c.ordinal <= q.ordinal
GROUP BY q.file_id, q.ordinal;

INSERT INTO raw_calls BY NAME
WITH modelled AS (
    SELECT q.*,
           coalesce(q.model_hint, m.model, fm.model, f.meta_model, '${fallback_model}') AS model0,
           coalesce(w.cwd, f.meta_cwd) AS cwd
    FROM cx_req q
    JOIN cx_file f USING (file_id)
    ASOF LEFT JOIN (SELECT file_id, ordinal, model FROM cx_ctx WHERE model IS NOT NULL) m
        ON m.file_id = q.file_id AND q.ordinal >= m.ordinal
    ASOF LEFT JOIN (SELECT file_id, ordinal, cwd FROM cx_ctx WHERE cwd IS NOT NULL) w
        ON w.file_id = q.file_id AND q.ordinal >= w.ordinal
    LEFT JOIN (SELECT file_id, arg_min(model, ordinal) AS model FROM cx_ctx
               WHERE model IS NOT NULL GROUP BY file_id) fm
        ON fm.file_id = q.file_id
),
reviewed AS (
    SELECT m.*, CASE WHEN m.model0 = '${auto_review}' THEN coalesce(a.model, '${fallback_model}')
                     ELSE m.model0 END AS model
    FROM modelled m
    ASOF LEFT JOIN cx_auto_review a ON m.ts::DATE >= a.released
)
SELECT q.file_id, 'codex' AS source,
       coalesce(q.response_id, f.thread || ':' || q.n) AS call_id,
       q.dedup_key, q.response_id AS request_id,
       f.session_id, f.agent_id, f.is_sidechain, q.ts, q.model,
       greatest(q.u_in - least(q.u_cached, q.u_in) - q.u_cw, 0) AS input,
       q.u_out AS output,
       least(q.u_cached, q.u_in) AS cache_read,
       least(q.u_cw, q.u_in - least(q.u_cached, q.u_in)) AS cache_write_5m,
       q.u_reas AS reasoning,
       q.cwd,
       coalesce(t.tools, []) AS tools
FROM reviewed q
JOIN cx_file f USING (file_id)
LEFT JOIN cx_tools t USING (file_id, ordinal);

-- Human prompts (turns): user_message events and, from 0.148, item_completed UserMessage items
-- (the same prompt logged both ways right after each other counts once); copied history and
-- other threads' items are not this thread's prompts.
INSERT INTO raw_prompts BY NAME
WITH prompts AS (
    SELECT p.file_id, p.ordinal, try_cast(p.x[${u_timestamp}] AS TIMESTAMPTZ) AS ts,
           p.x[3] AS via, p.x[${u_item_id}] AS item_id,
           CASE WHEN p.x[3] = 'user_message' THEN p.x[${u_message}]
                ELSE array_to_string(list_filter([
                    CASE WHEN p.x[${u_b0_type}] = 'text' THEN p.x[${u_b0_text}] END,
                    CASE WHEN p.x[${u_b1_type}] = 'text' THEN p.x[${u_b1_text}] END,
                    CASE WHEN p.x[${u_b2_type}] = 'text' THEN p.x[${u_b2_text}] END],
                    lambda t: t IS NOT NULL), chr(10)) END AS message,
           p.x[${u_image}] IS NOT NULL OR p.x[${u_local_image}] IS NOT NULL
               OR coalesce(list_has_any([p.x[${u_b0_type}], p.x[${u_b1_type}], p.x[${u_b2_type}]],
                                        ['image', 'local_image']), false) AS has_image
    FROM staging p
    JOIN cx_file f USING (file_id)
    LEFT JOIN cx_bound b USING (file_id)
    WHERE p.kind = 'U' AND p.bad IS NULL AND p.x[1] = 'event_msg'
      AND (p.x[3] = 'user_message'
           OR (p.x[3] = 'item_completed' AND p.x[${u_item_type}] = 'UserMessage'))
      AND coalesce(p.x[${u_thread_id}] = f.thread, true)
      AND (b.copy_end IS NULL OR p.ordinal >= b.copy_end)
),
single AS (
    SELECT *
    FROM prompts
    WINDOW w AS (PARTITION BY file_id ORDER BY ordinal)
    QUALIFY NOT coalesce(
        lag(via) OVER w <> via AND lag(message) OVER w = message
        AND ts - lag(ts) OVER w <= INTERVAL 5 SECOND, false)
)
SELECT s.file_id,
       'codex:' || f.thread || ':' || coalesce(s.item_id, epoch_ms(s.ts)::VARCHAR) AS uuid,
       f.session_id, s.ts, f.is_sidechain,
       CASE WHEN s.message IS NULL OR trim(s.message) = '' THEN []::VARCHAR[]
            ELSE [left(coalesce(nullif(trim(regexp_extract(s.message,
                                            '## My request for Codex:\s*(.*)$', 1, 's')), ''),
                                s.message), ${text_limit})] END AS texts,
       s.has_image,
       coalesce(w.cwd, f.meta_cwd) AS cwd
FROM single s
JOIN cx_file f USING (file_id)
ASOF LEFT JOIN (SELECT file_id, ordinal, cwd FROM cx_ctx WHERE cwd IS NOT NULL) w
    ON w.file_id = s.file_id AND s.ordinal >= w.ordinal;

-- Official rate-limit readings (the 5-hour and weekly windows) of the thread's own events.
INSERT INTO raw_limits BY NAME
SELECT e.file_id, 'codex' AS source, f.session_id, e.ts,
       coalesce(e.limit_id, 'codex') AS limit_id,
       CASE WHEN coalesce(e.limit_id, 'codex') <> 'codex' THEN coalesce(e.limit_name, e.limit_id)
       END AS scope,
       e.w.minutes AS window_minutes, e.w.used AS used_percent,
       coalesce(to_timestamp(e.w.at), e.ts + to_seconds(e.w.after)) AS resets_at,
       e.plan
FROM (SELECT *, unnest(windows) AS w FROM cx_tc) e
JOIN cx_file f USING (file_id)
LEFT JOIN cx_bound b USING (file_id)
WHERE e.w.used IS NOT NULL AND e.ts IS NOT NULL
  AND (b.copy_end IS NULL OR e.ordinal >= b.copy_end);

-- Subagent threads: their type, and the spawning tool call when the log names it.
INSERT INTO raw_agents BY NAME
SELECT file_id, session_id, agent_id, agent_type, spawn_call AS tool_use_id
FROM cx_file
WHERE is_sidechain;

DROP TABLE cx_meta;
DROP TABLE cx_file;
DROP TABLE cx_tc;
DROP TABLE cx_bound;
DROP TABLE cx_usage;
DROP TABLE cx_req;
DROP TABLE cx_ctx;
DROP TABLE cx_tools
