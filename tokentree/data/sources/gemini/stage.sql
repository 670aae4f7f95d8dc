-- Staging rows of one scan of Gemini CLI chats → typed raw tables (appended). Fields are
-- addressed by their position in lines.FIELDS_BY_KIND, the path's facts by their position in
-- projects.CONTEXT_FIELDS (the engine's file_context table). The rules are records.py's and
-- session.py's, which the legacy reader applies in Python.

-- One row per file: whose session, which project (see session.py).
CREATE OR REPLACE TEMP TABLE gemini_file AS
WITH meta AS (
    SELECT file_id,
           min(x[${m_session_id}]) AS own_session, min(x[${m_project_hash}]) AS project_hash,
           min(x[${m_start}]) AS start_text, bool_or(x[${m_kind}] = 'subagent') AS subagent,
           min(x[${m_directories}]) AS directories
    FROM staging
    WHERE kind = 'M' AND bad IS NULL AND x[1] IS NULL
    GROUP BY file_id
),
files AS (
    SELECT DISTINCT file_id FROM staging WHERE kind IN ('G', 'U') AND bad IS NULL
)
SELECT f.file_id,
       coalesce(m.own_session, c.ctx[4]) AS own_session,
       coalesce(c.ctx[3], m.own_session, c.ctx[4]) AS session_id,
       c.ctx[3] IS NOT NULL OR coalesce(m.subagent, false) AS is_sidechain,
       coalesce(c.ctx[1],
                list_filter(try(from_json(m.directories, '["VARCHAR"]')),
                            lambda d: sha256(d) = m.project_hash)[1]) AS cwd,
       coalesce(c.ctx[2], left(m.project_hash, 8)) AS project,
       coalesce(try_cast(m.start_text AS TIMESTAMPTZ), try_cast(c.ctx[5] AS TIMESTAMPTZ))
           AS fallback_ts
FROM files f
LEFT JOIN meta m USING (file_id)
LEFT JOIN file_context c USING (file_id);

-- Gemini messages: every line of one id in one file collapses to one call. The copies carry
-- the same tokens (a copy without tokens is the message before they arrived); the copy with
-- the most tokens is kept, the tools are the union over all copies.
CREATE OR REPLACE TEMP TABLE gemini_line AS
SELECT file_id,
       x[${g_id}] AS message_id,
       coalesce(x[${g_id}], 'ts:' || coalesce(x[${g_timestamp}], '')) AS k,
       try_cast(x[${g_timestamp}] AS TIMESTAMPTZ) AS ts, x[${g_model}] AS model,
       starts_with(x[${g_tokens}], '{') AS has_tokens,
       tok(x[${g_input}]) AS t_input, tok(x[${g_output}]) AS t_output,
       tok(x[${g_cached}]) AS t_cached, tok(x[${g_thoughts}]) AS t_thoughts,
       tok(x[${g_tool}]) AS t_tool,
       overflow AS tools
FROM staging
WHERE kind = 'G' AND bad IS NULL AND x[1] = 'gemini';

INSERT INTO raw_calls BY NAME
WITH billed AS (
    SELECT rowid AS rid, file_id, k,
           greatest(t_input - t_cached, 0) + t_tool + t_output + t_thoughts + t_cached AS size
    FROM gemini_line
    WHERE has_tokens AND t_input + t_output + t_cached + t_thoughts + t_tool > 0
),
winners AS (
    SELECT file_id, k, arg_max(rid, size) AS rid FROM billed GROUP BY file_id, k
),
copies AS (
    SELECT file_id, k, count(*)::BIGINT AS lines,
           list_sort(list_distinct(flatten(list(tools) FILTER (WHERE tools IS NOT NULL))))
               AS tools
    FROM gemini_line
    GROUP BY file_id, k
)
SELECT l.file_id, 'gemini' AS source, c.lines, l.message_id AS call_id,
       CASE WHEN l.message_id IS NOT NULL THEN f.own_session || '/' || l.message_id END
           AS dedup_key,
       f.session_id, CASE WHEN f.is_sidechain THEN f.own_session END AS agent_id,
       f.is_sidechain, coalesce(l.ts, f.fallback_ts) AS ts, l.model,
       greatest(l.t_input - l.t_cached, 0) + l.t_tool AS input,
       l.t_output + l.t_thoughts AS output, l.t_cached AS cache_read,
       l.t_thoughts AS reasoning, f.cwd, f.project,
       coalesce(c.tools, []) AS tools
FROM winners w
JOIN gemini_line l ON l.rowid = w.rid
JOIN copies c ON c.file_id = w.file_id AND c.k = w.k
JOIN gemini_file f ON f.file_id = w.file_id;

DROP TABLE gemini_line;

-- User messages that are human prompts (records.prompt): what the user typed is
-- displayContent when present, else content; injected context is not a prompt; a slash
-- command takes the engine's command form.
INSERT INTO raw_prompts BY NAME
WITH users AS (
    SELECT file_id, x[${u_id}] ->> '$$' AS uuid, try_cast(x[${u_timestamp}] ->> '$$' AS TIMESTAMPTZ) AS ts,
           CASE WHEN coalesce(x[${u_display}], 'null') <> 'null' THEN x[${u_display}]
                ELSE x[${u_content}] END AS shown
    FROM staging
    WHERE kind = 'U' AND bad IS NULL AND x[1] = '"user"'
),
parts AS (
    SELECT *,
           CASE json_type(shown)
               WHEN 'VARCHAR' THEN [shown ->> '$$']
               WHEN 'OBJECT' THEN [shown ->> '$$.text']
               WHEN 'ARRAY' THEN json_extract_string(shown, '$$[*].text')
           END AS raw_texts,
           CASE json_type(shown)
               WHEN 'OBJECT' THEN json_exists(shown, '$$.inlineData')
               WHEN 'ARRAY' THEN list_bool_or(list_transform(json_extract(shown, '$$[*]'),
                                              lambda p: json_exists(p, '$$.inlineData')))
           END AS image
    FROM users
),
texts AS (
    SELECT *, list_filter(raw_texts, lambda t: NOT regexp_full_match(t, '\s*')) AS texts
    FROM parts
),
prompts AS (
    SELECT *, regexp_extract(texts[1], '^\s*(/\S+)\s*(.*)$$', ['name', 'args'], 's') AS command
    FROM texts
    WHERE (len(texts) > 0 OR coalesce(image, false))
      AND NOT coalesce(regexp_matches(texts[1], '^\s*<(session_context|hook_context)>'), false)
)
SELECT p.file_id, p.uuid, f.session_id, coalesce(p.ts, f.fallback_ts) AS ts,
       f.is_sidechain,
       CASE WHEN command.name <> ''
            THEN [left('<command-name>' || command.name || '</command-name><command-args>'
                       || trim(command.args) || '</command-args>', ${text_limit})]
            ELSE list_transform(texts, lambda t: left(t, ${text_limit}))
       END AS texts,
       coalesce(p.image, false) AS has_image, f.cwd
FROM prompts p
JOIN gemini_file f USING (file_id)
WHERE p.uuid IS NOT NULL;

DROP TABLE gemini_file;
