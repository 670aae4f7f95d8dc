-- The transcript files a node's calls were read from, with the lines each contributed. A call
-- is every raw row sharing its (message.id, requestId) key, across files (as deduplicated in
-- calls.sql); a call without message.id is the single raw row of its (file, uuid, timestamp).
SELECT f.path, count(*)::BIGINT AS calls, sum(src.lines)::BIGINT AS lines
FROM (
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r
      ON r.message_id = n.message_id AND r.request_id IS NOT DISTINCT FROM n.request_id
    WHERE n.message_id IS NOT NULL AND r.ts IS NOT NULL AND NOT r.is_api_error
      AND coalesce(r.model, '') <> '<synthetic>'
    UNION ALL
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r
      ON r.message_id IS NULL AND r.file_id = n.file_ids[1]
     AND r.uuid IS NOT DISTINCT FROM n.uuid AND r.ts = n.ts
    WHERE n.message_id IS NULL
) src
JOIN files f USING (file_id)
GROUP BY f.path
ORDER BY lines DESC, f.path
