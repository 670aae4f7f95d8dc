-- Staging rows of one scan → raw tables, part 1 of 3 (then usage.sql, rows.sql; docs/counting.md,
-- "Codex CLI"): whose thread each file is. Fields are addressed by their position in
-- lines.FIELDS_BY_KIND; every rule that depends on what came before a line (the previous
-- cumulative total, the current model, the tools of a request, where a fork's copied history
-- ends) follows the lines' order within their file (staging.ordinal).

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
