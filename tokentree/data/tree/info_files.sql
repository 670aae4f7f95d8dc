-- The files a node's calls were read from, with the lines each contributed. A call is every raw
-- row sharing its (source, dedup_key), across files (as deduplicated in calls.sql); a call
-- without a dedup_key is the single raw row of its file, id, uuid and timestamp. A file gone
-- from disk (archived) is listed with when it was last seen.
SELECT f.path, count(*)::BIGINT AS calls, sum(src.lines)::BIGINT AS lines,
       any_value(f.last_seen) AS last_seen
FROM (
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r ON r.source = n.source AND r.dedup_key = n.dedup_key
    WHERE n.dedup_key IS NOT NULL AND r.ts IS NOT NULL AND NOT r.is_api_error
      AND coalesce(r.model, '') <> '<synthetic>'
    UNION ALL
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r
      ON r.dedup_key IS NULL AND r.source = n.source AND r.file_id = n.file_ids[1]
     AND r.call_id IS NOT DISTINCT FROM n.native_id
     AND r.uuid IS NOT DISTINCT FROM n.uuid AND r.ts = n.ts
    WHERE n.dedup_key IS NULL
) src
JOIN (SELECT file_id, path, NULL::TIMESTAMPTZ AS last_seen FROM files
      UNION ALL SELECT file_id, path, last_seen FROM archived_files) f USING (file_id)
GROUP BY f.path
ORDER BY lines DESC, f.path
