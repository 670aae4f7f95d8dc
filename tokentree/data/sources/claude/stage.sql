-- Staging rows of one scan → typed raw tables (appended). Fields are addressed by their
-- position in lines.FIELDS_BY_KIND (the same for an assistant line, A, and an agent_progress
-- copy of one, P); token counts are cast leniently (numbers written as strings or floats are
-- accepted; anything else counts as 0). A copy is a sidechain call of the subagent named by its
-- progress line (agentId), in the session of that line. The statements on `line` run for
-- batches with calls (scan.Scanner._stage).
-- staging kinds: A, P
CREATE OR REPLACE TEMP TABLE line AS
SELECT file_id,
       x[${a_message_id}] AS message_id, x[${a_request_id}] AS request_id,
       x[${a_session_id}] AS session_id, x[${a_agent_id}] AS agent_id,
       kind = 'P' OR coalesce(x[${a_is_sidechain}] = 'true', false) AS is_sidechain,
       kind = 'P' AS is_copy,
       try_cast(x[${a_timestamp}] AS TIMESTAMPTZ) AS ts,
       x[${a_model}] AS model,
       tok(x[${a_input}]) AS input, tok(x[${a_output}]) AS output,
       tok(x[${a_cache_read}]) AS cache_read,
       CASE WHEN x[${a_cache_write_5m}] IS NULL AND x[${a_cache_write_1h}] IS NULL
            THEN tok(x[${a_cache_creation}]) ELSE tok(x[${a_cache_write_5m}]) END
           AS cache_write_5m,
       tok(x[${a_cache_write_1h}]) AS cache_write_1h,
       x[${a_speed}] AS speed, x[${a_cwd}] AS cwd, x[${a_uuid}] AS uuid,
       coalesce(x[${a_is_api_error}] = 'true', false) AS is_api_error,
       CASE WHEN overflow IS NOT NULL THEN overflow
            WHEN x[${a_b0_type}] = 'tool_use'
            THEN [{'id': x[${a_b0_id}], 'name': x[${a_b0_name}],
                   'detail': left(coalesce(${a_detail}), ${detail_limit})}]
       END AS tools,
       CASE WHEN contains(x[${a_iterations}], '"advisor_message"') THEN x[${a_iterations}] END
           AS iterations
FROM staging
WHERE kind IN ('A', 'P') AND bad IS NULL AND x[1] = 'assistant'
  AND (kind = 'A' OR x[${p_progress_type}] = 'agent_progress')
  AND (x[${a_input}] IS NOT NULL OR x[${a_output}] IS NOT NULL
       OR x[${a_cache_read}] IS NOT NULL OR x[${a_cache_creation}] IS NOT NULL);

-- Advisor consultations: each advisor_message entry of usage.iterations is a request billed at
-- the advisor's own model, outside the line's top-level usage. It becomes a call of its own,
-- '<message.id>#advisor<k>' (the line's k-th advisor entry), at the line's time, in its session,
-- under its request. The other entries (the executor's message iterations) are already in the
-- top-level usage; fallback_message entries are not billed.
-- staging kinds: A, P
INSERT INTO line BY NAME
SELECT file_id, message_id || '#advisor' || a.k AS message_id, request_id, session_id,
       agent_id, is_sidechain, is_copy, ts, a.model, tok(a.input_tokens) AS input,
       tok(a.output_tokens) AS output, tok(a.cache_read_input_tokens) AS cache_read,
       CASE WHEN a.cache_creation.ephemeral_5m_input_tokens IS NULL
                 AND a.cache_creation.ephemeral_1h_input_tokens IS NULL
            THEN tok(a.cache_creation_input_tokens)
            ELSE tok(a.cache_creation.ephemeral_5m_input_tokens) END AS cache_write_5m,
       tok(a.cache_creation.ephemeral_1h_input_tokens) AS cache_write_1h,
       cwd, uuid, is_api_error
FROM (
    SELECT *, unnest(list_transform(
        list_filter(try(from_json(iterations, '[{"type": "VARCHAR", "model": "VARCHAR",
            "input_tokens": "VARCHAR", "output_tokens": "VARCHAR",
            "cache_read_input_tokens": "VARCHAR", "cache_creation_input_tokens": "VARCHAR",
            "cache_creation": {"ephemeral_5m_input_tokens": "VARCHAR",
                               "ephemeral_1h_input_tokens": "VARCHAR"}}]')),
            lambda it: it.type = 'advisor_message'),
        lambda it, k: struct_insert(it, k := k))) AS a
    FROM line
    WHERE iterations IS NOT NULL AND message_id IS NOT NULL
);

-- The lines of one call within one file collapse here by the same rule as across files
-- (the engine's calls.sql), so the raw table holds one row per call and file: rank on a narrow
-- projection, merge tool lists only where a call has several lines, fetch winners by rowid.
-- uuid is kept only where it is the call's identity (a line without message.id).
-- staging kinds: A, P
INSERT INTO raw_calls BY NAME
WITH keyed AS (
    SELECT rowid AS rid, file_id,
           claude_line_key(message_id, request_id, is_sidechain, file_id, uuid, ts) AS k,
           is_sidechain, output, is_copy, ts, uuid, tools
    FROM line
),
ranked AS (
    SELECT file_id, k, count(*)::BIGINT AS lines,
           arg_max(rid, {'main': NOT is_sidechain, 'output': output, 'own': NOT is_copy,
                         'ts': ts, 'uuid': coalesce(uuid, '')}) AS rid
    FROM keyed
    GROUP BY file_id, k
),
merged AS (
    SELECT file_id, k, list_sort(list_distinct(flatten(list(tools)))) AS tools
    FROM keyed
    WHERE tools IS NOT NULL
      AND (file_id, k) IN (SELECT (file_id, k) FROM ranked WHERE lines > 1)
    GROUP BY file_id, k
)
SELECT l.file_id, 'claude' AS source, r.lines, l.message_id AS call_id,
       CASE WHEN l.message_id IS NOT NULL
            THEN claude_dedup_key(l.message_id, l.request_id, l.is_sidechain) END AS dedup_key,
       l.request_id, l.session_id, l.agent_id, l.is_sidechain, l.ts, l.model, l.input, l.output,
       l.cache_read, l.cache_write_5m, l.cache_write_1h, l.speed, l.cwd,
       CASE WHEN l.message_id IS NULL THEN l.uuid END AS uuid,
       l.is_api_error, l.is_copy,
       coalesce(m.tools, l.tools, []) AS tools
FROM ranked r
JOIN line l ON l.rowid = r.rid
LEFT JOIN merged m ON m.file_id = r.file_id AND m.k = r.k;

-- staging kinds: A, P
DROP TABLE line;

-- staging kinds: U
INSERT INTO raw_prompts
SELECT file_id, x[${u_uuid}], x[${u_session_id}],
       try_cast(x[${u_timestamp}] AS TIMESTAMPTZ),
       coalesce(x[${u_is_sidechain}] = 'true', false),
       coalesce(x[${u_is_meta}] = 'true', false),
       coalesce(x[${u_is_compact_summary}] = 'true', false),
       CASE WHEN x[${u_b0_type}] IS NULL
            THEN CASE WHEN x[${u_content}] IS NULL THEN []::VARCHAR[]
                      ELSE [left(x[${u_content}], ${text_limit})] END
            ELSE list_filter([
                CASE WHEN x[${u_b0_type}] = 'text' THEN left(x[${u_b0_text}], ${text_limit}) END,
                CASE WHEN x[${u_b1_type}] = 'text' THEN left(x[${u_b1_text}], ${text_limit}) END,
                CASE WHEN x[${u_b2_type}] = 'text' THEN left(x[${u_b2_text}], ${text_limit}) END
            ], lambda t: t IS NOT NULL)
       END,
       coalesce('image' IN (x[${u_b0_type}], x[${u_b1_type}], x[${u_b2_type}]), false),
       x[${u_cwd}]
FROM staging
WHERE kind = 'U' AND bad IS NULL AND x[1] = 'user';

-- staging kinds: S
INSERT INTO raw_events
SELECT file_id, x[${s_session_id}], try_cast(x[${s_timestamp}] AS TIMESTAMPTZ),
       x[${s_subtype}], tok(x[${s_pre_tokens}]), x[${s_trigger}]
FROM staging
WHERE kind = 'S' AND bad IS NULL AND x[1] = 'system' AND x[${s_subtype}] = 'compact_boundary';
