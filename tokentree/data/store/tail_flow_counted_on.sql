-- The new calls' flow rows counted on from their thread's last stored call: positions and
-- segments continue where that call's left off.
CREATE OR REPLACE TABLE tail_new_flow AS
WITH before AS (
    SELECT l.session_id, l.thread, f.pos - 1 AS pos, f.seg
    FROM call_flow f JOIN tail_last l USING (cid)
)
SELECT n.* REPLACE (n.pos + coalesce(b.pos, 0) AS pos, n.seg + coalesce(b.seg, 0) AS seg)
FROM delta_new_call_flow n
JOIN tail_calls c USING (cid)
LEFT JOIN before b ON b.session_id = c.session_id AND b.thread = n.thread
