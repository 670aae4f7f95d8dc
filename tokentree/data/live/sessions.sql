-- Totals of the sessions in $sessions (all their calls): source, tokens, cost units, calls,
-- unpriced calls, last call time, latest model and the files they were read from.
SELECT c.session_id, any_value(c.source),
       coalesce(arg_min(c.cwd, c.ts) FILTER (WHERE NOT c.is_sidechain AND c.cwd IS NOT NULL),
                arg_min(c.cwd, c.ts)),
       any_value(c.project) FILTER (WHERE c.project IS NOT NULL),
       sum(c.input + c.output + c.cache_read + c.cache_write)::BIGINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT, epoch(max(c.ts)),
       list_distinct(flatten(list(c.file_ids)))
FROM calls c
JOIN priced p USING (cid)
WHERE list_contains($sessions::VARCHAR[], c.session_id)
GROUP BY c.session_id
