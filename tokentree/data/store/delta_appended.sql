-- Whether the calls and prompts a delta is about to insert (delta_new_calls, and
-- ${new_prompts} the new prompts) are all new and come after every call and prompt their
-- sessions have (none untimed), and none of the calls is a subagent's or spawns a subagent
-- recorded already: an appended change (tokentree.data.store.delta.Scope.appended).
WITH new AS (
    SELECT session_id, ts FROM delta_new_calls ${new_prompts}
),
first AS (SELECT session_id, min(ts) AS ts, count(*) - count(ts) AS untimed FROM new GROUP BY ALL),
old AS (
    SELECT session_id, ts FROM calls WHERE session_id IN (SELECT session_id FROM first)
    UNION ALL
    SELECT session_id, ts FROM prompts WHERE session_id IN (SELECT session_id FROM first)
)
SELECT NOT EXISTS (SELECT 1 FROM calls WHERE cid IN (SELECT k FROM delta_keys))
   AND NOT EXISTS (SELECT 1 FROM prompts WHERE uuid IN (SELECT unnest($uuids::VARCHAR[])))
   AND NOT EXISTS (SELECT 1 FROM delta_new_calls WHERE agent_id IS NOT NULL)
   AND NOT EXISTS (SELECT 1 FROM first WHERE untimed > 0)
   AND NOT EXISTS (SELECT 1 FROM old JOIN first f USING (session_id) WHERE old.ts IS NULL
                   OR old.ts >= f.ts)
   AND NOT EXISTS (SELECT 1 FROM raw_agents WHERE session_id IN (SELECT session_id FROM first)
                   AND tool_use_id IN (SELECT unnest(tools).id FROM delta_new_calls))
