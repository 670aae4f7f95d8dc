-- The activity split of the turns $turns (ids), one row per turn: its keys, then the
-- categories in order and each one's tokens and cost as ${money} (activity_for_turns).
SELECT week, day, session_id, turn_id, list(cat ORDER BY cat), list(tokens ORDER BY cat),
       list(${money} ORDER BY cat)
FROM (
    SELECT p.week, p.day, c.session_id, t.turn_id, a.cat,
           sum(a.tokens)::BIGINT AS tokens, sum(a.cost_pusd)::HUGEINT AS cost
    FROM call_turns t JOIN priced p USING (cid) JOIN calls c USING (cid)
    JOIN call_activity a USING (cid)
    WHERE t.turn_id IN (SELECT unnest($turns))
    GROUP BY ALL
)
GROUP BY ALL
