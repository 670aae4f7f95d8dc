-- The same messages for a SQLite without JSON functions: the raw data, parsed in Python.
SELECT id, session_id, ${time_created} AS time_created, data FROM message ORDER BY id
