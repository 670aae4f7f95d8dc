-- The sessions a change touched as the store held them before it: those of the changed calls
-- (delta_keys) and of the changed prompts (their uuids, $1).
SELECT session_id FROM calls WHERE cid IN (SELECT k FROM delta_keys)
UNION
SELECT session_id FROM prompts WHERE uuid IN (SELECT unnest($1::VARCHAR[]));
