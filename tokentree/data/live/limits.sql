-- The latest official rate-limit reading of every limit, window and scope (raw_limits: Codex
-- token_count rate limits and other logged readings).
SELECT source, limit_id, scope, window_minutes,
       arg_max(used_percent, ts), epoch(arg_max(resets_at, ts)), epoch(max(ts)),
       arg_max(plan, ts)
FROM raw_limits
WHERE used_percent IS NOT NULL AND ts IS NOT NULL
GROUP BY source, limit_id, scope, window_minutes
ORDER BY source, window_minutes, limit_id, scope
