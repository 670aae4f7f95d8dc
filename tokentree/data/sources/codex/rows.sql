-- Part 3 of 3 (after usage.sql): the billed requests, prompts, rate limits and subagents of this
-- batch into the raw tables.

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
