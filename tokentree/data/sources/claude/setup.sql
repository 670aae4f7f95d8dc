-- What identifies a call across files (the engine's calls.sql merges rows with the same
-- dedup_key): message.id + requestId on the main thread; message.id alone on a sidechain, where
-- a subagent's own lines, the agent_progress copies of them in the parent (older versions write
-- them without requestId) and /btw replays (a new requestId) meet.
CREATE MACRO IF NOT EXISTS claude_dedup_key(mid, rid, sidechain) AS
    CASE WHEN sidechain THEN mid || '|*' ELSE mid || '|' || coalesce(rid, '') END;
-- Identity of a call within one file: its dedup_key; a line without message.id is its own call
-- (collapsing a call's lines per file, stage.sql).
CREATE MACRO IF NOT EXISTS claude_line_key(mid, rid, sidechain, fid, uuid, ts) AS
    CASE WHEN mid IS NULL THEN 'line:' || fid || ':' || coalesce(uuid, '') || ':' || epoch_us(ts)
         ELSE claude_dedup_key(mid, rid, sidechain) END;
