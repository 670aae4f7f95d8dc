-- Every call since $since, in order: time, tokens, cost (2^-30 USD units) and source (burn
-- rate, 5-hour windows, drift).
SELECT epoch(c.ts), (c.input + c.output + c.cache_read + c.cache_write)::BIGINT,
       coalesce(p.cost_units, 0)::BIGINT, c.source
FROM calls c
JOIN priced p USING (cid)
WHERE c.ts >= $since
ORDER BY c.ts, c.cid
