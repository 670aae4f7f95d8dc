-- Calls and tokens per source over every call read (hidden sources included): what the
-- explorer's source toggle lists.
SELECT source, count(*)::BIGINT AS calls,
       sum(input + output + cache_read + cache_write)::BIGINT AS tokens
FROM calls
GROUP BY source
ORDER BY source
