-- Session nodes: one per session and local day (a session crossing midnight is under each day).
-- (One session asked for: its first prompt and directory only, not every session's.)
-- archived: every file the session's calls were read from is gone (kept in the archive), with
-- the last time one of them was seen; ${archived} is a constant when nothing is archived.
WITH first_prompt AS (
    SELECT session_id, arg_min(text, (kind <> 'prompt', ts)) AS text
    FROM prompts WHERE in_node(NULL, NULL, session_id, NULL, NULL, NULL, NULL, $session, NULL, NULL)
    GROUP BY session_id
),
session_cwd AS (
    SELECT session_id,
           arg_min(cwd, ts) FILTER (WHERE NOT is_sidechain AND cwd IS NOT NULL) AS main_cwd,
           arg_min(cwd, ts) AS any_cwd
    FROM calls WHERE in_node(NULL, NULL, session_id, NULL, NULL, NULL, NULL, $session, NULL, NULL)
    GROUP BY session_id
),
archived AS (
    SELECT u.session_id, bool_and(a.file_id IS NOT NULL) AS archived, max(a.last_seen) AS last_seen
    FROM (SELECT session_id, unnest(file_ids) AS file_id FROM calls
          WHERE ${archived}
            AND in_node(NULL, NULL, session_id, NULL, NULL, NULL, NULL, $session, NULL, NULL)) u
    LEFT JOIN archived_files a USING (file_id)
    GROUP BY u.session_id
    HAVING max(a.last_seen) IS NOT NULL
)
SELECT p.week, p.day, c.session_id AS id, min(c.ts) AS start_ts, max(c.ts) AS end_ts,
       sum(c.input)::BIGINT, sum(c.output)::BIGINT, sum(c.cache_read)::BIGINT,
       sum(c.cache_write)::BIGINT, coalesce(sum(p.cost_pusd), 0)::HUGEINT,
       coalesce(sum(p.cost_units), 0)::BIGINT, count(*)::BIGINT,
       count(*) FILTER (WHERE NOT p.priced)::BIGINT,
       distinct_count(list(t.turn_id))::BIGINT AS child_count,
       any_value(coalesce(sc.main_cwd, sc.any_cwd)) AS cwd,
       any_value(fp.text) AS first_prompt,
       distinct_sorted(list(c.model)) AS models,
       count(*) FILTER (WHERE c.is_sidechain)::BIGINT AS subagent_calls,
       distinct_count(list(c.agent_id))::BIGINT AS agents,
       any_value(c.source) AS source,
       any_value(c.project) FILTER (WHERE c.project IS NOT NULL) AS project,
       bool_or(c.session_total) AS session_total,
       coalesce(any_value(ar.archived), false) AS archived,
       any_value(ar.last_seen) FILTER (WHERE ar.archived) AS last_seen,
       any_value(coalesce(c.device, local_device())) AS device
FROM calls c
JOIN priced p USING (cid)
JOIN call_turns t USING (cid)
LEFT JOIN session_cwd sc ON sc.session_id = c.session_id
LEFT JOIN first_prompt fp ON fp.session_id = c.session_id
LEFT JOIN archived ar ON ar.session_id = c.session_id
WHERE in_node(p.week, p.day, c.session_id, NULL, NULL, $week, $day, $session, NULL, NULL)
GROUP BY p.week, p.day, c.session_id
ORDER BY p.day, min(c.ts), c.session_id;
