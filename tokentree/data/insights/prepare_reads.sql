-- File reads for the insights (docs/attribution.md), built once per data version after the
-- attribution tables (sql/activity.sql), independently of the other insight tables (so it
-- runs alongside them). ${read_tools}, ${edit_tools} and ${reading} are substituted by the
-- code. Per session: ${calls} and the other tables read are the whole tables for a full build
-- and some sessions' rows for a delta (tokentree.data.delta). Statements end with ";" +
-- newline.

-- File reads per turn and file. A read is a re-read when the same thread already read the file
-- since the last edit of it (by any thread of the session) and since the thread's last context
-- reset: the thread's previous read of the file in the same reset segment came after as many
-- edits of it. Tokens a read brought in (estimate): the input-side tokens that the attribution
-- gives to "reading" in the call that consumed the reading call's results, divided by the
-- number of reading tool uses of that call. Over all calls of a session (an edit may precede
-- the range); uses are ordered by (ts, call_id, place in the call).
CREATE OR REPLACE TABLE insight_reads AS
WITH uses AS (
    SELECT u.cid, c.session_id, c.ts, c.call_id, u.idx, u.name IN (${read_tools}) AS is_read,
           u.file
    FROM (SELECT cid, t.name AS name, t.detail AS file, idx
          FROM (SELECT cid, unnest(tools) AS t, generate_subscripts(tools, 1) AS idx
                FROM ${calls} WHERE len(tools) > 0)) u
    JOIN ${calls} c USING (cid)
    WHERE u.file IS NOT NULL AND u.name IN (${read_tools}, ${edit_tools})
),
counted AS (  -- edits: the edits of the file in the session up to the use
    SELECT *,
           count(*) FILTER (WHERE NOT is_read)
               OVER (PARTITION BY session_id, file ORDER BY ts, call_id, idx
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS edits
    FROM uses
),
reads AS (  -- a re-read: the thread's previous read of the file (same segment) saw as many edits
    SELECT r.cid, r.session_id, r.file, f.n_reading,
           lag(r.edits) OVER (PARTITION BY r.session_id, r.file, f.thread, f.seg
                              ORDER BY r.ts, r.call_id, r.idx) IS NOT DISTINCT FROM r.edits
               AS re_read
    FROM counted r
    JOIN (SELECT f.cid, f.thread, f.seg, coalesce(ct.n_reading, 0) AS n_reading
          FROM ${call_flow} f LEFT JOIN ${call_tools} ct USING (cid)) f USING (cid)
    WHERE r.is_read
),
consumed AS (
    SELECT f.prev_cid AS cid, sum(a.tokens)::BIGINT AS tokens, sum(a.cost_pusd)::HUGEINT AS cost
    FROM ${call_activity} a
    JOIN ${call_flow} f USING (cid)
    WHERE a.side = 2 AND a.cat = ${reading} AND f.prev_cid IS NOT NULL
    GROUP BY f.prev_cid
),
shares AS (
    SELECT r.cid, r.session_id, r.file, r.re_read,
           coalesce(co.tokens, 0) // greatest(r.n_reading, 1) AS tokens,
           tt_div(coalesce(co.cost, 0), greatest(r.n_reading, 1)) AS cost
    FROM reads r
    LEFT JOIN consumed co USING (cid)
)
SELECT p.week, p.day, s.session_id, t.turn_id, s.file, count(*) AS reads,
       count(*) FILTER (WHERE s.re_read) AS re_reads,
       sum(s.tokens)::BIGINT AS tokens, sum(s.cost)::HUGEINT AS cost,
       coalesce(sum(s.tokens) FILTER (WHERE s.re_read), 0)::BIGINT AS re_read_tokens,
       coalesce(sum(s.cost) FILTER (WHERE s.re_read), 0)::HUGEINT AS re_read_cost
FROM shares s
JOIN ${priced} p USING (cid)
JOIN ${call_turns} t USING (cid)
GROUP BY ALL;
