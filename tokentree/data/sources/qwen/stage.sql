-- Staging rows of one scan of Qwen Code chats → typed raw tables (appended). Fields are
-- addressed by their position in records.FIELDS_BY_KIND, the path's facts (file_context) by
-- their position in chat.CONTEXT_FIELDS. The counting rules are records.py's:
--  * uncached input = prompt − cached (+ tool-use prompt); cache read = cached;
--  * output = candidates + thoughts, unless the record's total shows the thoughts already inside
--    the candidates (total = prompt + candidates + tool-use prompt); a total above every part
--    adds the difference to the output;
--  * one call per record (its uuid, time and prompt count): a record re-appended in a file
--    collapses (the largest kept), and a /branch copy (forkedFrom: the same record in another
--    session) is a copy of the original's call; a record without a uuid is known by its time,
--    model and counts.
CREATE OR REPLACE TEMP TABLE qwen_line AS
SELECT rid, file_id, uuid, ts_text, session_id, ts, model, cwd, sidechain, agent_id, forked, tools,
       p, k, u, t, thoughts_inside, c + CASE WHEN thoughts_inside THEN 0 ELSE t END AS out_base,
       n
FROM (
    SELECT rowid AS rid, file_id,
           nullif(x[${a_uuid}], '') AS uuid, nullif(x[${a_session_id}], '') AS session_id,
           x[${a_timestamp}] AS ts_text, try_cast(x[${a_timestamp}] AS TIMESTAMPTZ) AS ts,
           nullif(x[${a_model}], '') AS model,
           nullif(x[${a_cwd}], '') AS cwd, coalesce(x[${a_sidechain}] = 'true', false) AS sidechain,
           nullif(x[${a_agent_id}], '') AS agent_id, x[${a_forked_from}] IS NOT NULL AS forked,
           coalesce(overflow, []) AS tools,
           tok(x[${a_prompt}]) AS p, tok(x[${a_candidates}]) AS c, tok(x[${a_cached}]) AS k,
           tok(x[${a_thoughts}]) AS t, tok(x[${a_tool_prompt}]) AS u, tok(x[${a_total}]) AS n,
           tok(x[${a_thoughts}]) > 0 AND tok(x[${a_total}]) > 0
               AND tok(x[${a_total}]) = tok(x[${a_prompt}]) + tok(x[${a_candidates}])
                                         + tok(x[${a_tool_prompt}]) AS thoughts_inside
    FROM staging
    WHERE kind = 'A' AND bad IS NULL AND x[1] = 'assistant' AND starts_with(x[${a_usage}], '{')
)
WHERE p + c + k + t + u + n > 0;

INSERT INTO raw_calls BY NAME
WITH keyed AS (
    SELECT *,
           CASE WHEN uuid IS NOT NULL THEN uuid || ':' || coalesce(ts_text, '') || ':' || p
                ELSE 'ts:' || coalesce(ts_text, '') || ':' || coalesce(model, '') || ':' || p
                     || ':' || out_base || ':' || k END AS key,
           greatest(p - k, 0) + u AS t_input,
           out_base + greatest(n - p - u - out_base, 0) AS t_output
    FROM qwen_line
),
winners AS (
    SELECT file_id, key, count(*)::BIGINT AS lines,
           arg_max(rid, t_input + t_output + k) AS rid,
           list_sort(list_distinct(flatten(list(tools)))) AS tools
    FROM keyed
    GROUP BY file_id, key
)
SELECT l.file_id, 'qwen' AS source, w.lines, l.uuid AS call_id, l.key AS dedup_key,
       coalesce(l.session_id, f.ctx[${c_stem}]) AS session_id, l.agent_id,
       l.sidechain AS is_sidechain, l.forked AS is_copy,
       coalesce(l.ts, to_timestamp(0)) AS ts, l.model,
       l.t_input AS input, l.t_output AS output, l.k AS cache_read, l.t AS reasoning,
       l.cwd, coalesce(nullif(regexp_extract(l.cwd, '([^/\\]+)[/\\]*$$', 1), ''),
                       f.ctx[${c_project}]) AS project,
       l.key AS uuid, w.tools
FROM winners w
JOIN keyed l ON l.rid = w.rid
JOIN file_context f ON f.file_id = l.file_id
WHERE l.ts IS NOT NULL;

DROP TABLE qwen_line;

-- What the user typed: user records of the main thread whose parts hold text (a record holding
-- only function responses is not a prompt; goal and system injections are not either).
INSERT INTO raw_prompts BY NAME
WITH users AS (
    SELECT file_id, nullif(x[${u_uuid}], '') AS uuid, nullif(x[${u_session_id}], '') AS session_id,
           try_cast(x[${u_timestamp}] AS TIMESTAMPTZ) AS ts, nullif(x[${u_cwd}], '') AS cwd,
           coalesce(x[${u_sidechain}] = 'true', false) AS sidechain,
           list_filter(coalesce(try(json_extract_string(x[${u_parts}], '$$[*].text')), []),
                       lambda t: t IS NOT NULL AND NOT regexp_full_match(t, '\s*')) AS texts,
           coalesce(contains(x[${u_parts}], '"inlineData"'), false) AS has_image
    FROM staging
    WHERE kind = 'U' AND bad IS NULL AND x[1] = 'user'
      AND coalesce(x[${u_role}], 'user') = 'user' AND x[${u_subtype}] IS NULL
      AND coalesce(x[${u_provenance}], 'real_user') = 'real_user'
)
SELECT u.file_id, u.uuid, coalesce(u.session_id, f.ctx[${c_stem}]) AS session_id, u.ts,
       u.sidechain AS is_sidechain,
       list_transform(u.texts, lambda t: left(t, ${text_limit})) AS texts, u.has_image, u.cwd
FROM users u
JOIN file_context f USING (file_id)
WHERE u.uuid IS NOT NULL AND u.ts IS NOT NULL AND (len(u.texts) > 0 OR u.has_image);
