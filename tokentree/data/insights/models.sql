-- The model-choice what-if per node of a scope from insight_models (`level` as in
-- insights_reads.sql; only those in (${levels}) are computed): the two (model, alternative)
-- pairs that would have saved most, if any. Money as ${money}.
WITH scoped AS (
    SELECT * FROM insight_models
    WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
),
nodes AS (
    SELECT NULL AS week, NULL::DATE AS day, NULL AS session_id, NULL AS turn_id, 15 AS level,
           model, alt, sum(calls) AS calls, sum(output) AS output, sum(cost) AS cost,
           sum(alt_cost) AS alt_cost
    FROM scoped
    WHERE 15 IN (${levels})
    GROUP BY model, alt
    UNION ALL
    SELECT week, NULL, NULL, NULL, 7, model, alt, sum(calls), sum(output), sum(cost),
           sum(alt_cost)
    FROM scoped
    WHERE 7 IN (${levels})
    GROUP BY week, model, alt
    UNION ALL
    SELECT week, day, NULL, NULL, 3, model, alt, sum(calls), sum(output), sum(cost),
           sum(alt_cost)
    FROM scoped
    WHERE 3 IN (${levels})
    GROUP BY week, day, model, alt
    UNION ALL
    SELECT week, day, session_id, NULL, 1, model, alt, sum(calls), sum(output), sum(cost),
           sum(alt_cost)
    FROM scoped
    WHERE 1 IN (${levels})
    GROUP BY week, day, session_id, model, alt
    UNION ALL
    SELECT week, day, session_id, turn_id, 0, model, alt, calls, output, cost, alt_cost
    FROM scoped
    WHERE 0 IN (${levels})
)
SELECT week, day, session_id, turn_id, level, model, alt, calls::BIGINT, output::BIGINT,
       cost::${money}, alt_cost::${money}
FROM nodes
WHERE cost > alt_cost AND calls > 0
QUALIFY row_number() OVER (PARTITION BY level, week, day, session_id, turn_id
                           ORDER BY cost - alt_cost DESC, model, alt) <= 2;
