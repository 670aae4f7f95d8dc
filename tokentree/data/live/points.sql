-- The calls since $since by source and minute, in order: the first call's time, tokens, cost
-- (2^-30 USD units), source, number of calls and the last call's time (burn rate, 5-hour
-- windows and drift count whole minutes: tokentree.model.blocks.Point).
SELECT min(epoch(c.ts)), sum(c.input + c.output + c.cache_read + c.cache_write)::BIGINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, c.source, count(*)::BIGINT, max(epoch(c.ts))
FROM calls c
JOIN priced p USING (cid)
WHERE c.ts >= $since
GROUP BY c.source, floor(epoch(c.ts) / 60)
ORDER BY 1, c.source
