-- This machine's calls as sync rows (docs/sync.md), into the temp table sync_out: the export's
-- names and values (cost_usd in units of 2^-30 USD, so sums are exact), the activity split, and
-- what another device needs to rebuild the same tree (turns, subagent spawns, the call key's
-- parts). No prompt text, no path: the project is a name (sync_projects, made by the caller).
-- $categories: the activity category names by index.
CREATE OR REPLACE TEMP TABLE sync_out AS
WITH spawn AS (
    SELECT session_id, agent_id, min(tool_use_id) AS spawn_tool_id,
           min(agent_type) AS agent_type
    FROM raw_agents WHERE agent_id IS NOT NULL
    GROUP BY ALL
),
activity AS (
    SELECT cid, list({'category': ($categories::VARCHAR[])[cat + 1], 'tokens': tokens,
                      'cost_usd': units / 1073741824} ORDER BY cat) AS activity
    FROM (SELECT cid, cat, sum(tokens)::BIGINT AS tokens, sum(cost_units)::BIGINT AS units
          FROM call_activity GROUP BY cid, cat)
    GROUP BY cid
)
SELECT c.source, strftime(c.ts AT TIME ZONE 'UTC', '%Y-%m') AS month,
       c.session_id, c.call_id, c.ts, c.model,
       c.input, c.output, c.cache_read, c.cache_write, c.cache_write_5m, c.cache_write_1h,
       c.reasoning, p.cost_units / 1073741824 AS cost_usd, p.cost_units, p.priced,
       sp.project, a.activity,
       list_transform(c.tools, lambda t: t.name) AS tools,
       list_transform(c.tools, lambda t: t.id) AS tool_ids,
       t.turn_id, pr.ts AS turn_ts,
       c.agent_id, s.agent_type, s.spawn_tool_id, c.is_sidechain, c.speed, c.session_total,
       c.merged_lines AS lines, c.native_id, c.dedup_key, c.request_id, c.uuid,
       c.file_ids[1] AS origin_file_id, c.cost_usd AS logged_cost_usd
FROM calls c
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)
LEFT JOIN prompts pr ON pr.uuid = t.turn_id
LEFT JOIN sync_projects sp ON sp.session_id = c.session_id
LEFT JOIN spawn s ON s.session_id = c.session_id AND s.agent_id = c.agent_id
LEFT JOIN activity a USING (cid)
WHERE c.device IS NULL;
-- Per session: the directory its label is named after (as the session level picks it) and the
-- project a source logged; the caller turns them into sync_projects(session_id, project).
CREATE OR REPLACE TEMP TABLE sync_session_dirs AS
SELECT session_id,
       coalesce(arg_min(cwd, ts) FILTER (WHERE NOT is_sidechain AND cwd IS NOT NULL),
                arg_min(cwd, ts)) AS cwd,
       any_value(project) FILTER (WHERE project IS NOT NULL) AS project
FROM calls WHERE device IS NULL
GROUP BY session_id;
