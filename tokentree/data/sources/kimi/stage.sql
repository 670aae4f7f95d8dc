-- Staging rows of one scan of Kimi CLI wire logs → typed raw tables (appended). Values are
-- addressed by their position in lines.FIELDS, the path's facts (file_context) by their position
-- in context.CONTEXT_FIELDS.
--  * a call: a StatusUpdate with token_usage, in the log itself or relayed from a subagent in a
--    SubagentEvent; input_other is uncached input, output includes thinking; a `total` above the
--    parts (never written by current builds) adds the difference to the output, as ccusage does;
--  * the same step in several logs (a subagent's own log and its parent's relay, a forked or
--    imported session's copied lines) counts once: dedup_key is the response's message_id, else
--    its time and counts; the relayed copy is marked is_copy, so the subagent's own line wins;
--  * a step's tools: the ToolCall lines of the same agent since its previous StatusUpdate;
--  * a turn: each TurnBegin of the main agent.
CREATE OR REPLACE TEMP TABLE kimi_line AS
SELECT file_id, ordinal, relayed, mtype,
       coalesce(ts, last_value(ts IGNORE NULLS) OVER (PARTITION BY file_id ORDER BY ordinal))
           AS ts,
       message_id, has_usage, t_input, t_output + greatest(t_total - t_input - t_output
           - t_cache_read - t_cache_creation, 0) AS t_output,
       t_cache_read, t_cache_creation, user_input, tool_id, tool_name, tool_args,
       coalesce(event_agent, '') AS agent_key, event_agent
FROM (
    SELECT file_id, ordinal, relayed,
           CASE WHEN relayed THEN x[${i_e_type}] ELSE x[${i_type}] END AS mtype,
           to_timestamp(try_cast(x[${i_timestamp}] AS DOUBLE)) AS ts,
           nullif(CASE WHEN relayed THEN x[${i_e_message_id}] ELSE x[${i_message_id}] END, '')
               AS message_id,
           starts_with(CASE WHEN relayed THEN x[${i_e_usage}] ELSE x[${i_usage}] END, '{')
               AS has_usage,
           tok(CASE WHEN relayed THEN x[${i_e_input_other}] ELSE x[${i_input_other}] END) AS t_input,
           tok(CASE WHEN relayed THEN x[${i_e_output}] ELSE x[${i_output}] END) AS t_output,
           tok(CASE WHEN relayed THEN x[${i_e_cache_read}] ELSE x[${i_cache_read}] END)
               AS t_cache_read,
           tok(CASE WHEN relayed THEN x[${i_e_cache_creation}] ELSE x[${i_cache_creation}] END)
               AS t_cache_creation,
           tok(CASE WHEN relayed THEN x[${i_e_total}] ELSE x[${i_total}] END) AS t_total,
           CASE WHEN relayed THEN x[${i_e_user_input}] ELSE x[${i_user_input}] END AS user_input,
           CASE WHEN relayed THEN x[${i_e_tool_id}] ELSE x[${i_tool_id}] END AS tool_id,
           CASE WHEN relayed THEN x[${i_e_tool_name}] ELSE x[${i_tool_name}] END AS tool_name,
           CASE WHEN relayed THEN x[${i_e_tool_args}] ELSE x[${i_tool_args}] END AS tool_args,
           CASE WHEN relayed THEN nullif(x[${i_agent_id}], '') END AS event_agent
    FROM (
        SELECT file_id, ordinal, x, x[${i_type}] = 'SubagentEvent' AS relayed
        FROM staging
        WHERE kind = '${kind}' AND bad IS NULL
    )
);

CREATE OR REPLACE TEMP TABLE kimi_call AS
SELECT file_id, ordinal, agent_key, event_agent, relayed, ts, message_id,
       t_input, t_output, t_cache_read, t_cache_creation,
       coalesce(message_id,
                'ts:' || epoch_us(ts) || ':' || t_input || ':' || t_output || ':'
                || t_cache_read || ':' || t_cache_creation) AS k
FROM kimi_line
WHERE mtype = 'StatusUpdate' AND has_usage AND ts IS NOT NULL
  AND t_input + t_output + t_cache_read + t_cache_creation > 0;

-- Each ToolCall belongs to the next call of the same agent in its log.
CREATE OR REPLACE TEMP TABLE kimi_tool AS
WITH marks AS (
    SELECT file_id, ordinal, agent_key, mtype, tool_id, tool_name, tool_args,
           min(CASE WHEN mtype = 'StatusUpdate' AND has_usage THEN ordinal END) OVER (
               PARTITION BY file_id, agent_key ORDER BY ordinal
               ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS call_ordinal
    FROM kimi_line
    WHERE mtype IN ('StatusUpdate', 'ToolCall')
)
SELECT file_id, call_ordinal,
       list({'id': tool_id,
             'name': coalesce(${tool_names}[tool_name], tool_name),
             'detail': ${tool_detail}} ORDER BY ordinal) AS tools
FROM marks
WHERE mtype = 'ToolCall' AND coalesce(tool_name, '') <> '' AND call_ordinal IS NOT NULL
GROUP BY file_id, call_ordinal;

INSERT INTO raw_calls BY NAME
SELECT c.file_id, 'kimi' AS source, c.message_id AS call_id, c.k AS dedup_key,
       f.ctx[${c_session_id}] AS session_id,
       coalesce(f.ctx[${c_agent_id}], c.event_agent) AS agent_id,
       f.ctx[${c_agent_id}] IS NOT NULL OR c.relayed AS is_sidechain,
       c.relayed AS is_copy, c.ts, f.ctx[${c_model}] AS model,
       c.t_input AS input, c.t_output AS output, c.t_cache_read AS cache_read,
       c.t_cache_creation AS cache_write_5m,
       f.ctx[${c_cwd}] AS cwd, f.ctx[${c_project}] AS project, c.k AS uuid,
       coalesce(t.tools, []) AS tools
FROM kimi_call c
JOIN file_context f USING (file_id)
LEFT JOIN kimi_tool t ON t.file_id = c.file_id AND t.call_ordinal = c.ordinal;

-- A turn per TurnBegin of the main agent: its text parts (a plain string, or content parts).
INSERT INTO raw_prompts BY NAME
WITH turns AS (
    SELECT l.file_id, l.ordinal, l.ts, f.ctx[${c_session_id}] AS session_id,
           f.ctx[${c_agent_id}] IS NOT NULL AS is_sidechain, f.ctx[${c_cwd}] AS cwd,
           CASE WHEN parts THEN list_filter(try(json_extract_string(l.user_input, '$$[*].text')),
                                            lambda t: t IS NOT NULL)
                ELSE [l.user_input] END AS texts,
           parts AND contains(l.user_input, '"image_url"') AS has_image
    FROM (SELECT *, coalesce(try(json_type(user_input)) = 'ARRAY', false) AS parts
          FROM kimi_line) l
    JOIN file_context f USING (file_id)
    WHERE l.mtype = 'TurnBegin' AND NOT l.relayed AND l.ts IS NOT NULL
)
SELECT file_id, 'kimi:' || session_id || ':' || epoch_us(ts) AS uuid, session_id, ts,
       is_sidechain, list_transform(texts, lambda t: left(t, ${text_limit})) AS texts,
       has_image, cwd
FROM turns
WHERE session_id IS NOT NULL;

DROP TABLE kimi_tool;
DROP TABLE kimi_call;
DROP TABLE kimi_line;
