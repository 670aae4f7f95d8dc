-- day_totals.sql for the sessions a change touched ($sessions: before and after it), once the
-- prices of their calls are current.
DELETE FROM day_totals WHERE list_contains($sessions, session_id);

INSERT INTO day_totals
SELECT p.week, p.day, c.session_id, min(c.ts), max(c.ts),
       sum(c.input)::BIGINT, sum(c.output)::BIGINT, sum(c.cache_read)::BIGINT,
       sum(c.cache_write)::BIGINT, coalesce(sum(p.cost_pusd), 0)::HUGEINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT
FROM calls c JOIN priced p USING (cid)
WHERE list_contains($sessions, c.session_id)
GROUP BY p.week, p.day, c.session_id;
