-- The calls of a scope (NULL = any) with everything the insight queries need: keys, tokens,
-- the attribution's flow (thread, predecessor, context resets) and exact cost parts.
-- rebuild: a large cache write (>= ${rebuild_min} tokens and at least half the prompt) after
-- the thread was idle longer than the cache TTL (1 h when 1-hour writes are in use, else 5 min).
CREATE OR REPLACE MACRO tt_scope(wk, dy, ss) AS TABLE
SELECT c.cid, p.week, p.day, c.session_id, t.turn_id, t.turn_start, c.ts, c.call_id, c.model,
       c.input, c.output, c.cache_read, c.cache_write, c.cache_write_5m, c.cache_write_1h,
       c.input + c.output + c.cache_read + c.cache_write AS tokens,
       c.agent_id, f.thread, f.is_main, f.prompt, f.prev_ts, f.prev_prompt, f.seg,
       k.cost, k.ctx_cost, k.out_cost, k.cw_cost, k.cw_as_read, k.r_read, k.r_write,
       CASE WHEN f.prev_cw1 > 0 OR c.cache_write_1h > 0 THEN 3600 ELSE 300 END AS ttl_s,
       coalesce(epoch(c.ts - f.prev_ts), 0) AS gap_s,
       f.prev_ts IS NOT NULL AND c.cache_write >= ${rebuild_min} AND c.cache_write * 2 >= f.prompt
           AND epoch(c.ts - f.prev_ts)
               > CASE WHEN f.prev_cw1 > 0 OR c.cache_write_1h > 0 THEN 3600 ELSE 300 END
           AS rebuild
FROM calls c
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)
JOIN call_flow f USING (cid)
JOIN call_cost_parts k USING (cid)
WHERE (wk IS NULL OR p.week = wk) AND (dy IS NULL OR p.day = dy)
  AND (ss IS NULL OR c.session_id = ss);
