-- Cache rebuilds of the scope (see tt_scope), most expensive first.
SELECT week, day, session_id, turn_id, call_id, ts, gap_s, ttl_s, cache_write,
       cw_cost::HUGEINT, (cw_cost - cw_as_read)::HUGEINT AS extra
FROM tt_scope($week, $day, $session)
WHERE rebuild AND ($turn IS NULL OR turn_id = $turn)
ORDER BY cw_cost DESC, ts, call_id;
