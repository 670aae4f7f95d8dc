-- The sessions most recently active (by their last call), newest first, with what names
-- their project: the main thread's first working directory and a project a source logged.
SELECT c.session_id, epoch(max(c.ts)) AS last, any_value(c.source),
       coalesce(arg_min(c.cwd, c.ts) FILTER (WHERE NOT c.is_sidechain AND c.cwd IS NOT NULL),
                arg_min(c.cwd, c.ts)),
       any_value(c.project) FILTER (WHERE c.project IS NOT NULL)
FROM calls c
JOIN priced p USING (cid)
WHERE c.ts >= $since
GROUP BY c.session_id
ORDER BY last DESC, c.session_id
LIMIT $limit
