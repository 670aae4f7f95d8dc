-- One row per local day and session of the priced calls: what the week and day levels show
-- (level_week.sql, level_day.sql roll these up instead of reading every call). Per session so
-- that a live change recomputes only its sessions' rows (day_totals_delta.sql). Sums in the
-- types those levels return.
CREATE OR REPLACE TABLE day_totals AS
SELECT p.week, p.day, c.session_id, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT AS input, sum(c.output)::BIGINT AS output,
       sum(c.cache_read)::BIGINT AS cache_read, sum(c.cache_write)::BIGINT AS cache_write,
       coalesce(sum(p.cost_pusd), 0)::HUGEINT AS cost_pusd,
       coalesce(sum(p.cost_units), 0)::BIGINT AS cost_units, count(*)::BIGINT AS calls,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT AS unpriced
FROM calls c JOIN priced p USING (cid)
GROUP BY p.week, p.day, c.session_id;
