-- The raw (per-file, not yet deduplicated) tables: the contract between the sources and the
-- engine (tokentree/data/source.py), and what the persisted cache stores. Every row carries the
-- file_id it was read from (identity.file_id: a stable hash of source and path).
CREATE MACRO IF NOT EXISTS tok(s) AS
    greatest(coalesce(try_cast(s AS BIGINT), try_cast(trunc(try_cast(s AS DOUBLE)) AS BIGINT), 0), 0);

-- A line that was not parsed but does not end in '}' is certainly broken (counted as skipped).
CREATE MACRO IF NOT EXISTS broken_line(kind, line) AS
    kind IS NULL AND line IS NOT NULL
    AND NOT (ends_with(line, '}') OR ends_with(line, '}' || chr(13)));

-- One row per billed model request and file (a source collapses a request's lines within a
-- file). call_id: the source's native id of the request; dedup_key: what identifies the same
-- request in another file of the same source (NULL: never merged); token columns follow
-- Anthropic's additive semantics (input excludes cache reads and writes; output includes
-- reasoning, which is repeated in `reasoning` for information); cost_usd: a cost the log itself
-- reports (NULL: priced by tokentree); session_total: the row is a whole session's total (the
-- source logs no per-request usage); is_copy: the row was read from a copy of the request kept in
-- another record (Claude's agent_progress lines): on equal output the record itself is kept.
-- k is the engine's, never a source's: the row's call key (sql/call_key.sql), set once the row
-- is read (tokentree.data.ingest), so that a change of some files finds its calls cheaply.
-- device: the machine another device's synced row came from (tokentree.data.sync); NULL for
-- this machine's own rows (local_device() names it).
CREATE TABLE IF NOT EXISTS raw_calls (
    file_id UBIGINT, source VARCHAR, lines BIGINT DEFAULT 1, call_id VARCHAR,
    dedup_key VARCHAR, request_id VARCHAR, session_id VARCHAR, agent_id VARCHAR,
    is_sidechain BOOLEAN DEFAULT false, ts TIMESTAMPTZ, model VARCHAR,
    input BIGINT DEFAULT 0, output BIGINT DEFAULT 0, cache_read BIGINT DEFAULT 0,
    cache_write_5m BIGINT DEFAULT 0, cache_write_1h BIGINT DEFAULT 0, reasoning BIGINT,
    speed VARCHAR, cwd VARCHAR, project VARCHAR, uuid VARCHAR,
    is_api_error BOOLEAN DEFAULT false, cost_usd DOUBLE, session_total BOOLEAN DEFAULT false,
    is_copy BOOLEAN DEFAULT false,
    tools STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[] DEFAULT [],
    k UBIGINT,
    device VARCHAR
);
-- Human prompts and other user lines that may start a turn (sql/prompts.sql decides).
CREATE TABLE IF NOT EXISTS raw_prompts (
    file_id UBIGINT, uuid VARCHAR, session_id VARCHAR, ts TIMESTAMPTZ,
    is_sidechain BOOLEAN DEFAULT false, is_meta BOOLEAN DEFAULT false,
    is_compact_summary BOOLEAN DEFAULT false, texts VARCHAR[], has_image BOOLEAN DEFAULT false,
    cwd VARCHAR
);
-- Session events (compaction).
CREATE TABLE IF NOT EXISTS raw_events (
    file_id UBIGINT, session_id VARCHAR, ts TIMESTAMPTZ, subtype VARCHAR, pre_tokens BIGINT,
    trigger VARCHAR
);
-- Subagents: which tool call of the parent session spawned each agent.
CREATE TABLE IF NOT EXISTS raw_agents (
    file_id UBIGINT, session_id VARCHAR, agent_id VARCHAR, agent_type VARCHAR, tool_use_id VARCHAR
);
-- Official rate-limit readings logged by the assistant (Codex token_count.rate_limits, Claude
-- Code's statusline input): the live pane prefers them to estimates. window_minutes: 300 for
-- the 5-hour window, 10080 for the week; resets_at: when the window resets; scope: a model
-- family for per-model buckets (NULL: all models).
CREATE TABLE IF NOT EXISTS raw_limits (
    file_id UBIGINT, source VARCHAR, session_id VARCHAR, ts TIMESTAMPTZ, limit_id VARCHAR,
    scope VARCHAR, window_minutes BIGINT, used_percent DOUBLE, resets_at TIMESTAMPTZ,
    plan VARCHAR
);
-- The manifest: every file read, with what is needed to reuse or extend its rows.
CREATE TABLE IF NOT EXISTS files (
    file_id UBIGINT, path VARCHAR, source VARCHAR, format VARCHAR, size BIGINT, mtime_ns BIGINT,
    end_offset BIGINT, tail_sig VARCHAR, lines BIGINT, skipped BIGINT, truncated_tail BOOLEAN,
    error VARCHAR
);
