-- Files read at least ${min_reads} times in a node of a scope, from insight_reads: those with at
-- least two re-reads (or, for a day, read in several sessions), at most three per node, most
-- re-read cost first (then cost, then path). `level` is GROUPING(week, day, session_id,
-- turn_id): 15 all, 7 week, 3 day, 1 session, 0 turn; only those in (${levels}) are computed.
-- sessions: distinct sessions (one per session and turn rows; a session spans days). Money as
-- ${money}.
WITH scoped AS (
    SELECT * FROM insight_reads
    WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
),
by_session AS (
    SELECT week, day, session_id, file, sum(reads) AS reads, sum(re_reads) AS re_reads,
           sum(tokens) AS tokens, sum(cost) AS cost, sum(re_read_tokens) AS re_read_tokens,
           sum(re_read_cost) AS re_read_cost
    FROM scoped
    WHERE 15 IN (${levels}) OR 7 IN (${levels}) OR 3 IN (${levels}) OR 1 IN (${levels})
    GROUP BY ALL
),
nodes AS (
    SELECT NULL AS week, NULL::DATE AS day, NULL AS session_id, NULL AS turn_id, 15 AS level,
           file, count(DISTINCT session_id) AS sessions, sum(reads) AS reads,
           sum(re_reads) AS re_reads, sum(tokens) AS tokens, sum(cost) AS cost,
           sum(re_read_tokens) AS re_read_tokens, sum(re_read_cost) AS re_read_cost
    FROM by_session
    WHERE 15 IN (${levels})
    GROUP BY file
    UNION ALL
    SELECT week, NULL, NULL, NULL, 7, file, count(DISTINCT session_id), sum(reads),
           sum(re_reads), sum(tokens), sum(cost), sum(re_read_tokens), sum(re_read_cost)
    FROM by_session
    WHERE 7 IN (${levels})
    GROUP BY week, file
    UNION ALL
    SELECT week, day, NULL, NULL, 3, file, count(*), sum(reads), sum(re_reads), sum(tokens),
           sum(cost), sum(re_read_tokens), sum(re_read_cost)
    FROM by_session
    WHERE 3 IN (${levels})
    GROUP BY week, day, file
    UNION ALL
    SELECT week, day, session_id, NULL, 1, file, 1, reads, re_reads, tokens, cost,
           re_read_tokens, re_read_cost
    FROM by_session
    WHERE 1 IN (${levels})
    UNION ALL
    SELECT week, day, session_id, turn_id, 0, file, 1, reads, re_reads, tokens, cost,
           re_read_tokens, re_read_cost
    FROM scoped
    WHERE 0 IN (${levels})
)
SELECT week, day, session_id, turn_id, level, file, sessions, reads, re_reads, tokens,
       cost::${money}, re_read_tokens, re_read_cost::${money}
FROM nodes
WHERE reads >= ${min_reads} AND (re_reads >= 2 OR (level = 3 AND sessions > 1))
QUALIFY row_number() OVER (PARTITION BY level, week, day, session_id, turn_id
                           ORDER BY re_read_cost DESC, cost DESC, file) <= 3;
