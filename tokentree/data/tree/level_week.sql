-- Week nodes (optionally one week), rolled up from day_totals.sql (a row per day and session).
SELECT week AS id, min(start_ts) AS start_ts, max(end_ts) AS end_ts,
       sum(input)::BIGINT, sum(output)::BIGINT, sum(cache_read)::BIGINT,
       sum(cache_write)::BIGINT, sum(cost_pusd)::HUGEINT, sum(cost_units)::BIGINT,
       sum(calls)::BIGINT, sum(unpriced)::BIGINT, count(DISTINCT day)::BIGINT AS child_count
FROM day_totals
WHERE in_node(week, NULL, NULL, NULL, NULL, $week, NULL, NULL, NULL, NULL)
GROUP BY week
ORDER BY week;
