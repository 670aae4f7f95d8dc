-- Subagent calls per node (`level` as in insights_reads.sql), agent type and model. Types come
-- from the agents' sidecar files; the /compact summariser is "compaction"; agents without a
-- sidecar and older sidechains without an agent id are "untyped".
WITH types AS (
    SELECT session_id, agent_id, any_value(agent_type) AS agent_type
    FROM raw_agents
    GROUP BY ALL
),
sub AS (
    SELECT s.week, s.day, s.session_id, s.turn_id, s.thread, s.tokens, s.cost,
           coalesce(CASE WHEN s.thread LIKE 'acompact%' THEN 'compaction' END, ty.agent_type,
                    'untyped') AS agent_type,
           coalesce(s.model, '?') AS model
    FROM tt_scope($week, $day, $session) s
    LEFT JOIN types ty ON ty.session_id = s.session_id AND ty.agent_id = s.agent_id
    WHERE NOT s.is_main AND ($turn IS NULL OR s.turn_id = $turn)
)
SELECT week, day, session_id, turn_id, GROUPING(week, day, session_id, turn_id) AS level,
       agent_type, model, count(DISTINCT (session_id, thread)) AS agents, count(*) AS calls,
       sum(tokens)::BIGINT AS tokens, sum(cost)::HUGEINT AS cost
FROM sub
GROUP BY GROUPING SETS ((week, day, session_id, turn_id, agent_type, model),
                        (week, day, session_id, agent_type, model), (week, day, agent_type, model),
                        (week, agent_type, model), (agent_type, model));
