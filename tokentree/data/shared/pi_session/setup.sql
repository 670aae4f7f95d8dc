-- Counting rules of a pi assistant message's usage (docs/counting.md, "pi and OpenClaw").

-- A time as pi writes message.timestamp: epoch milliseconds (a number); NULL otherwise.
CREATE MACRO IF NOT EXISTS pi_epoch_ms(s) AS
    CASE WHEN regexp_full_match(s, '[0-9]{1,16}(\.[0-9]+)?')
         THEN to_timestamp(0) + to_microseconds(round(s::DOUBLE * 1000)::BIGINT) END;

-- A line's time: message.timestamp (when the request was made; epoch ms, or an ISO string in
-- hand-made files), else the entry's ISO timestamp (when the line was written).
CREATE MACRO IF NOT EXISTS pi_time(message_ts, entry_ts) AS
    coalesce(pi_epoch_ms(message_ts), try_cast(message_ts AS TIMESTAMPTZ),
             try_cast(entry_ts AS TIMESTAMPTZ));

-- pi's Google providers (Gemini API key, Vertex) log the prompt count, which includes the cache
-- reads, as `input`, and the API's total (prompt + output) as `totalTokens`: a usage whose total
-- equals input + output while it reads from the cache holds its cache reads twice.
CREATE MACRO IF NOT EXISTS pi_cached_in_input(i, o, r, w, t) AS
    r > 0 AND w = 0 AND t IS NOT NULL AND t = i + o AND i >= r;

-- Uncached input: the logged input, less the cache reads it holds (above).
CREATE MACRO IF NOT EXISTS pi_input(i, o, r, w, t) AS
    CASE WHEN pi_cached_in_input(i, o, r, w, t) THEN i - r ELSE i END;

-- Output: the logged output, plus whatever a larger totalTokens holds beyond the parts (a usage
-- that logs only a total bills it all as output, as ccusage counts it).
CREATE MACRO IF NOT EXISTS pi_output(i, o, r, w, t) AS
    o + greatest(coalesce(t, 0) - (pi_input(i, o, r, w, t) + o + r + w), 0);
