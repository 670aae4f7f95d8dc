-- Turn nodes under each (day, session).
SELECT p.week, p.day, c.session_id, t.turn_id AS id, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT, sum(c.output)::BIGINT, sum(c.cache_read)::BIGINT,
       sum(c.cache_write)::BIGINT, coalesce(sum(p.cost_pusd), 0)::HUGEINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT,
       count(*)::BIGINT AS child_count,
       any_value(pr.text) AS prompt_text,
       any_value(pr.ts) AS prompt_ts,
       any_value(pr.kind) AS prompt_kind,
       distinct_sorted(list(c.model)) AS models,
       count(*) FILTER (WHERE c.is_sidechain)::BIGINT AS subagent_calls
FROM calls c
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)
LEFT JOIN prompts pr ON pr.uuid = t.turn_id
WHERE in_node(p.week, p.day, c.session_id, t.turn_id, NULL, $week, $day, $session, $turn, NULL)
GROUP BY p.week, p.day, c.session_id, t.turn_id
ORDER BY p.day, any_value(t.session_start), c.session_id, min(c.ts), t.turn_id;
