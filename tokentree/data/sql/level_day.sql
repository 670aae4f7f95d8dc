-- Day nodes of the weeks in scope (from day_totals.sql).
SELECT week, day AS id, start_ts, end_ts, input, output, cache_read, cache_write, cost_pusd,
       cost_units, calls, unpriced, sessions AS child_count
FROM day_totals
WHERE ($week IS NULL OR week = $week) AND ($day IS NULL OR day = $day)
ORDER BY day;
