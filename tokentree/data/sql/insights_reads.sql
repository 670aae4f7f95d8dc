-- File reads per node (turn, session, day, week, all: `level` = GROUPING bitmask 0, 1, 3, 7,
-- 15) and file, for files read at least ${min_reads} times in the node. A read is a re-read
-- when the same thread already read the file since the last edit of it (by any thread of the
-- session) and since the thread's last context reset. Tokens a read brought in (estimate):
-- the input-side tokens that the attribution gives to "reading" in the call that consumed the
-- reading call's results, divided by the number of reading tool uses of that call.
WITH uses AS (
    SELECT u.cid, c.session_id, c.ts, c.call_id, u.idx, f.thread, f.seg, f.n_reading, u.name,
           u.file
    FROM (SELECT cid, t.name AS name, t.detail AS file, idx
          FROM (SELECT cid, unnest(tools) AS t, generate_subscripts(tools, 1) AS idx
                FROM calls WHERE len(tools) > 0)) u
    JOIN calls c USING (cid)
    JOIN call_flow f USING (cid)
    WHERE u.file IS NOT NULL AND u.name IN (${read_tools}, ${edit_tools})
      AND ($session IS NULL OR c.session_id = $session)
),
ordered AS (  -- one sequence per session: a call's tool uses in their order within the call
    SELECT *, row_number() OVER (PARTITION BY session_id ORDER BY ts, call_id, idx) AS seq
    FROM uses
),
marked AS (
    SELECT *, name IN (${read_tools}) AS is_read,
           max(CASE WHEN name IN (${edit_tools}) THEN seq END)
               OVER (PARTITION BY session_id, file ORDER BY seq
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_edit
    FROM ordered
),
reads AS (
    SELECT *, max(seq) OVER (PARTITION BY session_id, thread, seg, file ORDER BY seq
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_read
    FROM marked
    WHERE is_read
),
consumed AS (
    SELECT f.prev_cid AS cid, sum(a.tokens)::BIGINT AS tokens, sum(a.cost_pusd)::HUGEINT AS cost
    FROM call_activity a
    JOIN call_flow f USING (cid)
    WHERE a.side = 2 AND a.cat = ${reading} AND f.prev_cid IS NOT NULL
    GROUP BY f.prev_cid
),
shares AS (
    SELECT r.cid, r.session_id, r.file, r.ts,
           r.last_read IS NOT NULL AND (r.last_edit IS NULL OR r.last_edit < r.last_read)
               AS re_read,
           coalesce(co.tokens, 0) // greatest(r.n_reading, 1) AS tokens,
           coalesce(co.cost, 0) // greatest(r.n_reading, 1) AS cost
    FROM reads r
    LEFT JOIN consumed co USING (cid)
)
SELECT p.week, p.day, s.session_id, t.turn_id,
       GROUPING(p.week, p.day, s.session_id, t.turn_id) AS level, s.file,
       count(DISTINCT s.session_id) AS sessions, count(*) AS reads,
       count(*) FILTER (WHERE s.re_read) AS re_reads,
       sum(s.tokens)::BIGINT AS tokens, sum(s.cost)::HUGEINT AS cost,
       coalesce(sum(s.tokens) FILTER (WHERE s.re_read), 0)::BIGINT AS re_read_tokens,
       coalesce(sum(s.cost) FILTER (WHERE s.re_read), 0)::HUGEINT AS re_read_cost
FROM shares s
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)
WHERE ($week IS NULL OR p.week = $week) AND ($day IS NULL OR p.day = $day)
  AND ($turn IS NULL OR t.turn_id = $turn)
GROUP BY GROUPING SETS ((p.week, p.day, s.session_id, t.turn_id, s.file),
                        (p.week, p.day, s.session_id, s.file), (p.week, p.day, s.file),
                        (p.week, s.file), (s.file))
HAVING count(*) >= ${min_reads};
