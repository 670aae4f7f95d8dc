-- Week nodes (optionally one week).
SELECT p.week AS id, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT, sum(c.output)::BIGINT, sum(c.cache_read)::BIGINT,
       sum(c.cache_write)::BIGINT, coalesce(sum(p.cost_pusd), 0)::HUGEINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT,
       count(DISTINCT p.day)::BIGINT AS child_count
FROM calls c JOIN priced p USING (cid)
WHERE ($week IS NULL OR p.week = $week)
GROUP BY p.week
ORDER BY p.week;
