-- Goose's per-request usage (``usage_ledger``, schema 15 and later): one row per provider
-- response, in the order Goose wrote them. Columns a schema lacks are replaced by NULL.
SELECT ${columns} FROM usage_ledger ORDER BY session_id, created_timestamp, id
