-- Call nodes (leaves), in tree order; ${last}: the last rows of that order only, latest first
-- (a live pane keeps a long turn's latest calls without fetching all of them).
SELECT p.week, p.day, c.session_id, t.turn_id, c.call_id AS id, c.ts AS start_ts, c.ts AS end_ts,
       c.input, c.output, c.cache_read, c.cache_write,
       coalesce(p.cost_pusd, 0)::HUGEINT, p.cost_units, 1::BIGINT, (NOT p.priced)::BIGINT,
       0::BIGINT AS child_count,
       c.model, c.tools, c.agent_id, c.is_sidechain, c.request_id, c.speed, c.merged_lines,
       c.cache_write_5m, c.cache_write_1h, c.file_ids, c.cid, c.source, c.reasoning,
       c.session_total, coalesce(c.device, local_device()) AS device${activity_column}
FROM calls c
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)${activity_join}
WHERE in_node(p.week, p.day, c.session_id, t.turn_id, c.call_id, $week, $day, $session, $turn, $call)
ORDER BY p.day${desc}, t.session_start${desc}, c.session_id${desc}, t.turn_start${desc},
         t.turn_id${desc}, c.ts${desc}, c.call_id${desc}, c.cid${desc}${last};
