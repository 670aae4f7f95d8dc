-- Subagent use per node of a scope, agent type and model, from insight_agents (`level` as in
-- insights_reads.sql; only those in (${levels}) are computed). agents: distinct threads (a
-- thread is in one session, and may span turns and days). Money as ${money}.
WITH scoped AS (
    SELECT * FROM insight_agents
    WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
),
by_session AS (
    SELECT week, day, session_id, thread, agent_type, model, sum(calls) AS calls,
           sum(tokens) AS tokens, sum(cost) AS cost
    FROM scoped
    WHERE 15 IN (${levels}) OR 7 IN (${levels}) OR 3 IN (${levels}) OR 1 IN (${levels})
    GROUP BY ALL
)
SELECT week, day, session_id, turn_id, level, agent_type, model, agents, calls::BIGINT,
       tokens::BIGINT, cost::${money}
FROM (
    SELECT NULL AS week, NULL::DATE AS day, NULL AS session_id, NULL AS turn_id, 15 AS level,
           agent_type, model, count(DISTINCT (session_id, thread)) AS agents,
           sum(calls) AS calls, sum(tokens) AS tokens, sum(cost) AS cost
    FROM by_session
    WHERE 15 IN (${levels})
    GROUP BY agent_type, model
    UNION ALL
    SELECT week, NULL, NULL, NULL, 7, agent_type, model, count(DISTINCT (session_id, thread)),
           sum(calls), sum(tokens), sum(cost)
    FROM by_session
    WHERE 7 IN (${levels})
    GROUP BY week, agent_type, model
    UNION ALL
    SELECT week, day, NULL, NULL, 3, agent_type, model, count(*), sum(calls), sum(tokens),
           sum(cost)
    FROM by_session
    WHERE 3 IN (${levels})
    GROUP BY week, day, agent_type, model
    UNION ALL
    SELECT week, day, session_id, NULL, 1, agent_type, model, count(*), sum(calls), sum(tokens),
           sum(cost)
    FROM by_session
    WHERE 1 IN (${levels})
    GROUP BY week, day, session_id, agent_type, model
    UNION ALL
    SELECT week, day, session_id, turn_id, 0, agent_type, model, count(*), sum(calls),
           sum(tokens), sum(cost)
    FROM scoped
    WHERE 0 IN (${levels})
    GROUP BY week, day, session_id, turn_id, agent_type, model
);
