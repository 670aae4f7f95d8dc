-- Staging rows of one scan of pi session files → raw tables (docs/counting.md, "pi and
-- OpenClaw"). Fields are addressed by their position in lines.FIELDS_BY_KIND, the path's facts
-- by their position in the file_context: [session id, project, 'copy' when the whole file is a
-- copy of another] from the source, then the file's modification time. ${source} is the source
-- whose files these are.

-- One row per file: its session (the path's, else the header's id), working directory, and
-- whether it is a fork (a header naming its parent session: its first lines copy the parent's).
CREATE OR REPLACE TEMP TABLE pi_file AS
WITH files AS (
    SELECT DISTINCT file_id FROM staging WHERE kind IS NOT NULL AND bad IS NULL
),
head AS (
    SELECT file_id,
           arg_min(x[${h_id}], ordinal) AS header_id,
           arg_min(x[${h_cwd}], ordinal) AS cwd,
           arg_min(coalesce(x[${h_parent}], x[${h_branched_from}]), ordinal) AS parent,
           arg_min(try_cast(x[${h_timestamp}] AS TIMESTAMPTZ), ordinal) AS started
    FROM staging
    WHERE kind = 'H' AND bad IS NULL AND x[1] = 'session'
    GROUP BY file_id
)
SELECT f.file_id,
       coalesce(nullif(c.ctx[1], ''), nullif(h.header_id, ''), 'file-' || f.file_id)
           AS session_id,
       nullif(c.ctx[2], '') AS project,
       coalesce(c.ctx[3] = 'copy', false) AS copy_file,
       nullif(h.cwd, '') AS cwd,
       coalesce(nullif(h.parent, '') IS NOT NULL, false) AS forked,
       h.started,
       try_cast(c.ctx[4] AS TIMESTAMPTZ) AS modified
FROM files f
LEFT JOIN head h USING (file_id)
LEFT JOIN file_context c USING (file_id);

-- Model switches: a model_change entry, or a model-snapshot custom entry (its data), names the
-- model and provider of the requests after it.
CREATE OR REPLACE TEMP TABLE pi_switch AS
SELECT file_id, ordinal,
       nullif(CASE WHEN x[1] = 'custom' THEN coalesce(x[${m_data_model_id}], x[${m_data_model}])
                   ELSE coalesce(x[${m_model_id}], x[${m_model}]) END, '') AS model,
       nullif(CASE WHEN x[1] = 'custom' THEN x[${m_data_provider}] ELSE x[${m_provider}] END, '')
           AS provider
FROM staging
WHERE kind = 'M' AND bad IS NULL
  AND (x[1] = 'model_change' OR (x[1] = 'custom' AND x[${m_custom_type}] = 'model-snapshot'));

-- Assistant messages with usage, each a billed request (a line without a type is read as a
-- message, as pi's early files allow). A request's time: when it was made, else when its line
-- was written, else the session's start, else the file's modification time.
CREATE OR REPLACE TEMP TABLE pi_call AS
WITH logged AS (
    SELECT file_id, ordinal, nullif(x[${a_id}], '') AS entry_id,
           pi_time(x[${a_message_ts}], NULL) AS message_ts,
           try_cast(x[${a_timestamp}] AS TIMESTAMPTZ) AS entry_ts,
           nullif(coalesce(nullif(x[${a_model_id}], ''), x[${a_model}]), '') AS logged_model,
           nullif(x[${a_provider}], '') AS logged_provider,
           tok(x[${a_input}]) AS i, tok(x[${a_output}]) AS o, tok(x[${a_cache_read}]) AS r,
           tok(x[${a_cache_write}]) AS w,
           CASE WHEN x[${a_total}] IS NOT NULL THEN tok(x[${a_total}]) END AS t,
           nullif(x[${a_response_id}], '') AS response_id,
           coalesce(overflow, []) AS tools
    FROM staging
    WHERE kind = 'A' AND bad IS NULL AND coalesce(x[1], 'message') = 'message'
      AND x[${a_role}] = 'assistant'
)
SELECT *, pi_input(i, o, r, w, t) AS input, pi_output(i, o, r, w, t) AS output
FROM logged;

INSERT INTO raw_calls BY NAME
WITH placed AS (
    SELECT c.*, f.session_id, f.project, f.cwd,
           coalesce(c.message_ts, c.entry_ts, f.started, f.modified) AS ts,
           coalesce(c.logged_model, m.model) AS model0,
           coalesce(c.logged_provider, p.provider) AS provider0,
           f.copy_file OR (f.forked AND coalesce(c.message_ts, c.entry_ts) < f.started) AS is_copy
    FROM pi_call c
    JOIN pi_file f USING (file_id)
    ASOF LEFT JOIN (SELECT file_id, ordinal, model FROM pi_switch WHERE model IS NOT NULL) m
        ON m.file_id = c.file_id AND c.ordinal >= m.ordinal
    ASOF LEFT JOIN (SELECT file_id, ordinal, provider FROM pi_switch WHERE provider IS NOT NULL) p
        ON p.file_id = c.file_id AND c.ordinal >= p.ordinal
    WHERE c.input + c.output + c.r + c.w > 0
)
SELECT file_id, '${source}' AS source,
       coalesce(response_id, entry_id, epoch_ms(ts)::VARCHAR) AS call_id,
       '${source}|' || concat_ws('|', coalesce(response_id, ''),
                                 coalesce(epoch_ms(coalesce(message_ts, entry_ts))::VARCHAR,
                                          'line:' || file_id || ':' || ordinal),
                                 coalesce(logged_provider, ''), coalesce(logged_model, ''),
                                 i, o, r, w, coalesce(t::VARCHAR, '')) AS dedup_key,
       response_id AS request_id, session_id, ts,
       CASE WHEN model0 IS NULL OR provider0 IS NULL OR starts_with(model0, provider0 || '/')
            THEN model0 ELSE provider0 || '/' || model0 END AS model,
       input, output, r AS cache_read, w AS cache_write_5m,
       cwd, project, entry_id AS uuid, is_copy, tools
FROM placed;

-- User messages: the human prompts that start turns (texts of the text blocks; an image block
-- is noted). A prompt is identified within its session by its entry id, else its time.
INSERT INTO raw_prompts BY NAME
WITH users AS (
    SELECT s.file_id, s.ordinal, f.session_id, f.cwd,
           coalesce(nullif(s.x[${u_id}], ''),
                    epoch_ms(pi_time(s.x[${u_message_ts}], s.x[${u_timestamp}]))::VARCHAR,
                    'line' || s.ordinal) AS entry_key,
           pi_time(s.x[${u_message_ts}], s.x[${u_timestamp}]) AS ts,
           s.x[${u_content}] AS content
    FROM staging s
    JOIN pi_file f USING (file_id)
    WHERE s.kind = 'U' AND s.bad IS NULL AND coalesce(s.x[1], 'message') = 'message'
      AND s.x[${u_role}] = 'user'
),
blocks AS (
    SELECT *,
           CASE WHEN starts_with(content, '[')
                THEN try(from_json(content, '[{"type":"VARCHAR","text":"VARCHAR"}]')) END AS parts
    FROM users
)
SELECT file_id, session_id || ':' || entry_key AS uuid, session_id, ts,
       CASE WHEN starts_with(content, '"')
            THEN list_filter([left(content ->> '$$', ${text_limit})], lambda t: trim(t) <> '')
            ELSE coalesce(list_transform(
                     list_filter(parts, lambda b: b.type = 'text' AND trim(coalesce(b.text, '')) <> ''),
                     lambda b: left(b.text, ${text_limit})), [])
       END AS texts,
       coalesce(list_contains(list_transform(parts, lambda b: b.type), 'image'), false)
           AS has_image,
       cwd
FROM blocks;

DROP TABLE pi_file;
DROP TABLE pi_switch;
DROP TABLE pi_call
