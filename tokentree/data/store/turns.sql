-- Every call's turn: the last human prompt of its session at or before its anchor time. A
-- subagent's calls are anchored where the agent was spawned (the Task call named in its
-- sidecar) or at its first call, so the whole agent joins the turn that spawned it. Calls
-- before a session's first prompt belong to the turn '<session>:pre'. session_start and
-- turn_start order sessions and turns within a day, the same way at every level. Everything
-- here is per session: ${calls}, ${priced}, ${prompts} and ${raw_agents} are the whole tables
-- for a full build and some sessions' rows for a delta (tokentree.data.delta).
CREATE OR REPLACE TABLE call_turns AS
WITH spawn AS (
    SELECT a.session_id, a.agent_id, min(t.ts) AS spawn_ts
    FROM ${raw_agents} a
    JOIN (SELECT session_id, ts, unnest(tools).id AS tool_id FROM ${calls}) t
      ON t.tool_id = a.tool_use_id AND t.session_id = a.session_id
    GROUP BY ALL
),
anchored AS (
    SELECT c.cid, c.session_id, c.ts, p.day,
           CASE WHEN c.agent_id IS NOT NULL
                THEN coalesce(s.spawn_ts, min(c.ts) OVER (PARTITION BY c.session_id, c.agent_id))
                ELSE c.ts END AS anchor_ts
    FROM ${calls} c
    JOIN ${priced} p USING (cid)
    LEFT JOIN spawn s ON s.session_id = c.session_id AND s.agent_id = c.agent_id
),
joined AS (
    SELECT a.cid, a.session_id, a.ts, a.day,
           coalesce(pr.uuid, a.session_id || ':pre') AS turn_id
    FROM anchored a
    ASOF LEFT JOIN ${prompts} pr ON a.session_id = pr.session_id AND a.anchor_ts >= pr.ts
)
SELECT cid, turn_id,
       min(ts) OVER (PARTITION BY day, session_id) AS session_start,
       min(ts) OVER (PARTITION BY day, session_id, turn_id) AS turn_start
FROM joined;
