-- The turns the rollup nodes of a scope name (levels ${levels}: GROUPING(week, day, session_id,
-- turn_id) as in insights_reads.sql), one row per node and role with the turns in order:
-- 'cost', its three most expensive turns (cost first, then start and key); 'split', the best
-- places for a new session: a session's best split (largest saving, then its first such turn),
-- and for a day, week or the range its five sessions' best splits (largest first, then key)
-- with their sum (`total`) and number (`n`). Money as ${money}.
WITH scoped AS (
    SELECT week, day, session_id, turn_id, turn_no, turn_start, cost, split_saving,
           {'week': week, 'day': day, 'session_id': session_id, 'turn_id': turn_id,
            'turn_no': turn_no, 'text': text, 'calls': calls, 'cost': cost::${money},
            'history': history, 'later_calls': later_calls,
            'split_saving': split_saving::${money}} AS turn
    FROM insight_turns
    WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
),
best AS (
    SELECT week, day, session_id,
           arg_min(turn, {'saving': -split_saving, 'turn_no': turn_no}) AS turn,
           arg_min(split_saving, {'saving': -split_saving, 'turn_no': turn_no}) AS saving
    FROM scoped
    WHERE split_saving > 0
    GROUP BY ALL
),
costly AS (
    SELECT 'cost' AS role, GROUPING(week, day, session_id) * 2 + 1 AS level, week, day,
           session_id, NULL::${money} AS total, NULL::BIGINT AS n,
           arg_min(turn, {'cost': -cost, 'start': turn_start, 'week': week, 'day': day,
                          'session_id': session_id, 'turn_id': turn_id}, 3) AS turns
    FROM scoped
    WHERE cost > 0
    GROUP BY GROUPING SETS ((), (week), (week, day), (week, day, session_id))
),
splits AS (
    SELECT 'split' AS role, GROUPING(week, day, session_id) * 2 + 1 AS level, week, day,
           session_id, sum(saving)::${money} AS total, count(*) AS n,
           arg_min(turn, {'saving': -saving, 'week': week, 'day': day, 'session_id': session_id,
                          'turn_id': turn.turn_id}, 5) AS turns
    FROM best
    GROUP BY GROUPING SETS ((), (week), (week, day), (week, day, session_id))
)
SELECT role, level, week, day, session_id, total, n, turns FROM costly
WHERE level IN (${levels})
UNION ALL
SELECT role, level, week, day, session_id, total, n, turns FROM splits
WHERE level IN (${levels});
