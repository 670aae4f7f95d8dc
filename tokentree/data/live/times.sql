-- The call times of one source since $since, in order (for chaining 5-hour blocks).
SELECT epoch(c.ts)
FROM calls c
JOIN priced p USING (cid)
WHERE c.source = $source AND c.ts >= $since
ORDER BY c.ts
