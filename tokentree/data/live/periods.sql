-- Usage of the current local day, ISO week and month (live pane, statusline summary, budgets).
-- $day: today's local date; $week: its ISO week id; $week_start / $month_start: the local
-- dates those periods began.
SELECT coalesce(sum(c.input + c.output + c.cache_read + c.cache_write) FILTER (WHERE p.day = $day), 0)::BIGINT,
       coalesce(sum(p.cost_units) FILTER (WHERE p.day = $day), 0)::BIGINT,
       count(*) FILTER (WHERE p.day = $day)::BIGINT,
       count(*) FILTER (WHERE p.day = $day AND NOT p.priced)::BIGINT,
       coalesce(sum(c.input + c.output + c.cache_read + c.cache_write) FILTER (WHERE p.week = $week), 0)::BIGINT,
       coalesce(sum(p.cost_units) FILTER (WHERE p.week = $week), 0)::BIGINT,
       count(*) FILTER (WHERE p.week = $week)::BIGINT,
       count(*) FILTER (WHERE p.week = $week AND NOT p.priced)::BIGINT,
       coalesce(sum(c.input + c.output + c.cache_read + c.cache_write) FILTER (WHERE p.day >= $month_start), 0)::BIGINT,
       coalesce(sum(p.cost_units) FILTER (WHERE p.day >= $month_start), 0)::BIGINT,
       count(*) FILTER (WHERE p.day >= $month_start)::BIGINT,
       count(*) FILTER (WHERE p.day >= $month_start AND NOT p.priced)::BIGINT
FROM priced p
JOIN calls c USING (cid)
WHERE p.day >= least($week_start, $month_start) AND p.day <= $day
