-- One row per local day of the priced calls: what the week and day levels show (level_week.sql,
-- level_day.sql read it instead of every call). Sums in the types those levels return;
-- `sessions` is the day's distinct sessions (its child count).
CREATE OR REPLACE TABLE day_totals AS
SELECT p.week, p.day, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT AS input, sum(c.output)::BIGINT AS output,
       sum(c.cache_read)::BIGINT AS cache_read, sum(c.cache_write)::BIGINT AS cache_write,
       coalesce(sum(p.cost_pusd), 0)::HUGEINT AS cost_pusd,
       coalesce(sum(p.cost_units), 0)::BIGINT AS cost_units, count(*)::BIGINT AS calls,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT AS unpriced,
       count(DISTINCT c.session_id)::BIGINT AS sessions
FROM calls c JOIN priced p USING (cid)
GROUP BY p.week, p.day;
