-- One partition's rows (source $1, month $2) of sync_out, in a stable order: the same rows
-- make the same bytes, so a second sync writes nothing.
SELECT * EXCLUDE (source, month)
FROM sync_out
WHERE source = $1 AND month = $2
ORDER BY ts, call_id, session_id, uuid, dedup_key, origin_file_id
