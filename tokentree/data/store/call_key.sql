-- A raw call row's key: rows with the same key are one call (sql/calls.sql keeps one of them;
-- its key is the call's id, cid). The source's dedup_key where it has one; otherwise the row is
-- its own call, identified by its file, id, uuid and time. Also what a delta is keyed by
-- (tokentree.data.delta).
CREATE MACRO IF NOT EXISTS call_key(source, dedup_key, file_id, call_id, uuid, ts) AS
    CASE WHEN dedup_key IS NULL THEN hash(source, file_id, call_id, uuid, ts)
         ELSE hash(source, dedup_key) END;
-- The name of this machine's device (tokentree.data.sync): what a row read here (device NULL)
-- is labelled with. Replaced by UsageStore.set_device.
CREATE MACRO IF NOT EXISTS local_device() AS 'local';
