-- Day nodes of the weeks in scope, rolled up from day_totals.sql (a row per day and session).
SELECT week, day AS id, min(start_ts) AS start_ts, max(end_ts) AS end_ts,
       sum(input)::BIGINT AS input, sum(output)::BIGINT AS output,
       sum(cache_read)::BIGINT AS cache_read, sum(cache_write)::BIGINT AS cache_write,
       sum(cost_pusd)::HUGEINT AS cost_pusd, sum(cost_units)::BIGINT AS cost_units,
       sum(calls)::BIGINT AS calls, sum(unpriced)::BIGINT AS unpriced, count(*)::BIGINT AS child_count
FROM day_totals
WHERE in_node(week, day, NULL, NULL, NULL, $week, $day, NULL, NULL, NULL)
GROUP BY week, day
ORDER BY day;
