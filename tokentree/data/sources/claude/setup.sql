-- Identity of a call within one file: message.id + requestId; a line without message.id is its
-- own call (collapsing a call's lines per file, stage.sql).
CREATE MACRO IF NOT EXISTS call_key(mid, rid, fid, uuid, ts) AS
    CASE WHEN mid IS NULL THEN 'line:' || fid || ':' || coalesce(uuid, '') || ':' || epoch_us(ts)
         ELSE mid || '|' || coalesce(rid, '') END;
