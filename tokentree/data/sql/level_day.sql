-- Day nodes of the weeks in scope.
SELECT p.week, p.day AS id, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT, sum(c.output)::BIGINT, sum(c.cache_read)::BIGINT,
       sum(c.cache_write)::BIGINT, coalesce(sum(p.cost_pusd), 0)::HUGEINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT,
       count(DISTINCT c.session_id)::BIGINT AS child_count
FROM calls c JOIN priced p USING (cid)
WHERE ($week IS NULL OR p.week = $week) AND ($day IS NULL OR p.day = $day)
GROUP BY p.week, p.day
ORDER BY p.day;
