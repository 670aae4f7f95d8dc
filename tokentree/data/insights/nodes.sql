-- Sums per node of a scope's rollup levels in (${levels}) (`level` as in insights_reads.sql) from the turns (insight_turns); with each node's number of turns and of
-- turns that cost money, and the main thread's context: the prompt size at the start of its
-- first main-thread turn, at the end of its last one, and the peak. Money as ${money} (see
-- tokentree.data.insight_facts).
SELECT * FROM (
SELECT week, day, session_id, GROUPING(week, day, session_id) * 2 + 1 AS level,
       count(*) AS turns, count(*) FILTER (WHERE cost > 0) AS costly,
       sum(calls)::BIGINT AS calls, sum(input)::BIGINT AS input,
       sum(output)::BIGINT AS output, sum(cache_read)::BIGINT AS cache_read,
       sum(cache_write)::BIGINT AS cache_write, sum(cost)::${money} AS cost,
       sum(ctx_cost)::${money} AS ctx_cost, sum(sub_calls)::BIGINT AS sub_calls,
       sum(sub_tokens)::BIGINT AS sub_tokens, sum(sub_cost)::${money} AS sub_cost,
       sum(rebuilds)::BIGINT AS rebuilds, sum(rebuild_tokens)::BIGINT AS rebuild_tokens,
       sum(rebuild_cost)::${money} AS rebuild_cost,
       sum(rebuild_extra)::${money} AS rebuild_extra, sum(main_calls)::BIGINT AS main_calls,
       arg_min(p_start, turn_no) FILTER (WHERE main_calls > 0) AS p_start,
       arg_max(p_end, turn_no) FILTER (WHERE main_calls > 0) AS p_end,
       max(p_max) FILTER (WHERE main_calls > 0) AS p_max
FROM insight_turns
WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
GROUP BY GROUPING SETS ((), (week), (week, day), (week, day, session_id))
)
WHERE level IN (${levels});
