-- The calls under one node, given its id path ($week, $day, $session, $turn, $call; NULL =
-- any). Not a statement on its own: data/info.py puts it in front of every other info_*.sql.
WITH node_calls AS (
    SELECT c.cid, c.source, c.call_id, c.native_id, c.dedup_key, c.request_id, c.uuid, c.ts, c.model, c.speed,
           c.is_sidechain,
           c.input, c.output, c.cache_read, c.cache_write_5m, c.cache_write_1h,
           c.merged_lines, c.file_ids, p.cost_pusd, p.priced
    FROM calls c
    JOIN priced p USING (cid)
    JOIN call_turns t USING (cid)
    WHERE in_node(p.week, p.day, c.session_id, t.turn_id, c.call_id,
                  $week, $day, $session, $turn, $call)
)
