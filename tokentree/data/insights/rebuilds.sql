-- The cache rebuilds of a scope (insight_rebuilds), most expensive first (money as ${money}).
SELECT week, day, session_id, turn_id, call_id, ts, gap_s, ttl_s, cache_write, cw_cost::${money},
       extra::${money}
FROM insight_rebuilds
WHERE ($week IS NULL OR week = $week) AND ($day IS NULL OR day = $day)
  AND ($session IS NULL OR session_id = $session)
ORDER BY cw_cost DESC, ts, call_id;
