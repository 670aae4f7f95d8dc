-- The cache rebuilds of a scope (insight_rebuilds), most expensive first (money as ${money}).
SELECT week, day, session_id, turn_id, call_id, ts, gap_s, ttl_s, cache_write, cw_cost::${money},
       extra::${money}
FROM insight_rebuilds
WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
ORDER BY cw_cost DESC, ts, call_id;
