-- What a change of the files $1 touches, before their rows go (tokentree.data.store.delta):
-- 'c' the call keys of their raw call rows (every row with $2, else only rows not yet keyed)
-- with the main-thread call id, 'p' the uuids of their prompts added after row $3, 'a' the
-- sessions of their subagent records.
SELECT 'c', coalesce(k, call_key(source, dedup_key, file_id, call_id, uuid, ts)), source,
       CASE WHEN NOT is_sidechain THEN call_id END
FROM raw_calls WHERE file_id IN (SELECT unnest($1::UBIGINT[])) AND ($2 OR k IS NULL)
UNION
SELECT 'p', NULL, NULL, uuid FROM raw_prompts
WHERE file_id IN (SELECT unnest($1::UBIGINT[])) AND uuid IS NOT NULL AND rowid > $3
UNION
SELECT 'a', NULL, NULL, session_id FROM raw_agents
WHERE file_id IN (SELECT unnest($1::UBIGINT[])) AND session_id IS NOT NULL
