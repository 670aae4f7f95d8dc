-- Per source in $sources, the last call since $since that follows a gap of five hours or more
-- (or the first call since $since): a 5-hour block certainly opens there, so the block chain
-- can start from it without the rest of the history.
SELECT source, epoch(max(ts))
FROM (
    SELECT c.source, c.ts, lag(c.ts) OVER (PARTITION BY c.source ORDER BY c.ts) AS prev
    FROM calls c
    JOIN priced p USING (cid)
    WHERE c.ts >= $since AND list_contains($sources::VARCHAR[], c.source)
)
WHERE prev IS NULL OR ts - prev >= INTERVAL 5 HOUR
GROUP BY source
