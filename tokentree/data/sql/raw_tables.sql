-- The raw (per-file, not yet deduplicated) tables: what the persisted cache stores.
CREATE MACRO IF NOT EXISTS tok(s) AS
    greatest(coalesce(try_cast(s AS BIGINT), try_cast(trunc(try_cast(s AS DOUBLE)) AS BIGINT), 0), 0);

-- Identity of a call: message.id + requestId; a line without message.id is its own call.
CREATE MACRO IF NOT EXISTS call_key(mid, rid, fid, uuid, ts) AS
    CASE WHEN mid IS NULL THEN 'line:' || fid || ':' || coalesce(uuid, '') || ':' || epoch_us(ts)
         ELSE mid || '|' || coalesce(rid, '') END;

CREATE TABLE IF NOT EXISTS raw_calls (
    file_id UBIGINT, lines BIGINT, message_id VARCHAR, request_id VARCHAR, session_id VARCHAR,
    agent_id VARCHAR, is_sidechain BOOLEAN, ts TIMESTAMPTZ, model VARCHAR,
    input BIGINT, output BIGINT, cache_read BIGINT, cache_write_5m BIGINT, cache_write_1h BIGINT,
    speed VARCHAR, cwd VARCHAR, uuid VARCHAR, is_api_error BOOLEAN, tools STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[]
);
CREATE TABLE IF NOT EXISTS raw_prompts (
    file_id UBIGINT, uuid VARCHAR, session_id VARCHAR, ts TIMESTAMPTZ, is_sidechain BOOLEAN,
    is_meta BOOLEAN, is_compact_summary BOOLEAN, texts VARCHAR[], has_image BOOLEAN, cwd VARCHAR
);
CREATE TABLE IF NOT EXISTS raw_events (
    file_id UBIGINT, session_id VARCHAR, ts TIMESTAMPTZ, subtype VARCHAR, pre_tokens BIGINT,
    trigger VARCHAR
);
CREATE TABLE IF NOT EXISTS raw_agents (
    file_id UBIGINT, session_id VARCHAR, agent_id VARCHAR, agent_type VARCHAR, tool_use_id VARCHAR
);
CREATE TABLE IF NOT EXISTS files (
    file_id UBIGINT, path VARCHAR, source VARCHAR, size BIGINT, mtime_ns BIGINT,
    end_offset BIGINT, tail_sig VARCHAR, lines BIGINT, skipped BIGINT, truncated_tail BOOLEAN,
    error VARCHAR
);
