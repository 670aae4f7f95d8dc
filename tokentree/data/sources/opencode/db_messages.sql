-- Every v1 message (user and assistant) in id order, so that a fork's copies come after the
-- originals. data is MessageV2.Info without id and sessionID (they are columns).
SELECT id, session_id, ${time_created} AS time_created, data FROM message ORDER BY id
