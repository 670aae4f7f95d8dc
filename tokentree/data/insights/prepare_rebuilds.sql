-- Cache rebuilds for the insights (docs/attribution.md), built once per data version after the
-- attribution tables (sql/activity.sql), alongside sql/insights_prepare.sql. ${rebuild_min} is
-- substituted by the code; ${call_flow} and the other tables read are the whole tables (or
-- some sessions' rows for a delta, tokentree.data.delta). Statements end with ";" + newline.

-- The cache rebuilds: a large cache write (>= the minimum and at least half the prompt) after
-- the thread was idle longer than the cache TTL, with what it cost and what it cost beyond
-- reading the same tokens from a warm cache (extra).
CREATE OR REPLACE TABLE insight_rebuilds AS
SELECT p.week, p.day, c.session_id, t.turn_id, c.call_id, c.ts, f.gap_s, f.ttl_s,
       c.cache_write, k.cw_cost::HUGEINT AS cw_cost, (k.cw_cost - k.cw_as_read)::HUGEINT AS extra
FROM ${call_flow} f
JOIN ${calls} c USING (cid)
JOIN ${priced} p USING (cid)
JOIN ${call_turns} t USING (cid)
JOIN ${call_cost_parts} k USING (cid)
WHERE f.gap_s > f.ttl_s AND c.cache_write >= ${rebuild_min} AND c.cache_write * 2 >= f.prompt;
