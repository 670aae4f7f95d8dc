-- What the activity flow of the new calls reads besides them. tail_last: the last stored call
-- of each thread (agent, sidechain or main) of the new calls' sessions, ranked as call_flow
-- ranks them; tail_flow_calls: the new calls and those; tail_prompts: the prompts after the
-- main thread's last stored call (all of them when it has none).
CREATE OR REPLACE TABLE tail_last AS
SELECT cid, session_id, thread
FROM (
    SELECT cid, session_id,
           coalesce(agent_id, CASE WHEN is_sidechain THEN '~sidechain' ELSE '' END) AS thread,
           row_number() OVER w AS rn, count(*) OVER (PARTITION BY session_id, thread) AS n
    FROM delta_calls
    WHERE session_id IN (SELECT session_id FROM tail_calls)
      AND cid NOT IN (SELECT k FROM delta_keys)
    WINDOW w AS (PARTITION BY session_id, thread ORDER BY ts, cid IS NOT NULL, call_id, cid)
)
WHERE rn = n;
CREATE OR REPLACE TABLE tail_flow_calls AS
SELECT * FROM tail_calls
UNION ALL
SELECT * FROM delta_calls WHERE cid IN (SELECT cid FROM tail_last);
CREATE OR REPLACE TABLE tail_prompts AS
SELECT p.*
FROM delta_prompts p
WHERE p.session_id IN (SELECT session_id FROM tail_calls)
  AND p.ts > coalesce((SELECT max(c.ts) FROM delta_calls c JOIN tail_last l USING (cid)
                       WHERE l.thread = '' AND l.session_id = p.session_id),
                      '-infinity'::TIMESTAMPTZ);
