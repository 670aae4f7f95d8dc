-- The last ${keep} calls of each session in $sessions: id, model, tokens and cost units (a
-- transcript's tail may hold a later copy of one of them).
SELECT session_id, call_id, model, tokens, cost_units
FROM (
    SELECT c.session_id, c.call_id, c.model,
           (c.input + c.output + c.cache_read + c.cache_write)::BIGINT AS tokens,
           coalesce(p.cost_units, 0)::BIGINT AS cost_units,
           row_number() OVER (PARTITION BY c.session_id ORDER BY c.ts DESC, c.cid DESC) AS n
    FROM calls c
    JOIN priced p USING (cid)
    WHERE list_contains($sessions::VARCHAR[], c.session_id)
)
WHERE n <= ${keep}
