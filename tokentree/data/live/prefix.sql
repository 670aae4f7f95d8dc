-- Sessions whose id starts with $prefix (at most two: one means the prefix is unique).
SELECT DISTINCT session_id
FROM calls
WHERE starts_with(session_id, $prefix)
ORDER BY session_id
LIMIT 2
