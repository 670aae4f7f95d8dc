-- The same parts for a SQLite without JSON functions: every part's raw data, parsed in Python.
SELECT message_id, ${time_created} AS time_created, data FROM part ORDER BY message_id, id
