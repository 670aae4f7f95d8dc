-- The new calls' turns with their session's and turn's starts: a new call joins a turn or a
-- session-day that may have started before it (the earliest start of the stored and new calls).
CREATE OR REPLACE TABLE tail_turns AS
WITH old AS (
    SELECT p.day, c.session_id, t.turn_id, t.session_start, t.turn_start
    FROM call_turns t
    JOIN delta_calls c USING (cid)
    JOIN delta_priced p USING (cid)
),
days AS (SELECT day, session_id, min(session_start) AS start FROM old GROUP BY ALL),
turns AS (SELECT day, session_id, turn_id, min(turn_start) AS start FROM old GROUP BY ALL)
SELECT n.cid, n.turn_id,
       least(n.session_start, coalesce(d.start, n.session_start)) AS session_start,
       least(n.turn_start, coalesce(u.start, n.turn_start)) AS turn_start
FROM delta_new_call_turns n
JOIN tail_priced p USING (cid)
JOIN tail_calls c USING (cid)
LEFT JOIN days d ON d.day = p.day AND d.session_id = c.session_id
LEFT JOIN turns u ON u.day = p.day AND u.session_id = c.session_id AND u.turn_id = n.turn_id
