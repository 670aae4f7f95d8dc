-- The same parts for a SQLite without JSON functions: the raw data of the candidate parts
-- (db_parts.sql), parsed in Python.
SELECT message_id, ${time_created} AS time_created, data FROM part
WHERE ${candidates}
ORDER BY message_id, id
