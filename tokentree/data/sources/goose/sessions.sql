-- Goose's sessions with their counters (one row per session). Columns an older or newer schema
-- lacks are replaced by NULL by the reader.
SELECT id, ${columns} FROM sessions
