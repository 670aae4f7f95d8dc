-- The validity rule of a feed line and its staged values (record.py documents both; its
-- staged() is the Python twin of feed_ok and feed_staged, and a test holds them to the same
-- answers). x: the strings json_extract_string gives for record.FIELDS, by position.

-- A non-negative number (JSON number or numeric string) as a BIGINT, rounded half away from
-- zero; NULL when it is not one or does not fit.
CREATE MACRO IF NOT EXISTS feed_num(s) AS
    CASE WHEN regexp_full_match(s, '${number}') THEN try_cast(s AS BIGINT) END;

CREATE MACRO IF NOT EXISTS feed_time_ok(s) AS
    CASE WHEN s IS NULL THEN false
         WHEN regexp_full_match(s, '${number}') THEN feed_num(s) IS NOT NULL
         ELSE regexp_full_match(s, '${iso_time}') AND try_cast(s AS TIMESTAMPTZ) IS NOT NULL
    END;

-- The token counts of a line, each parsed once: input, output, cache read, cache write,
-- 1-hour cache write, reasoning.
CREATE MACRO IF NOT EXISTS feed_nums(x) AS
    list_transform([x[${i_input}], x[${i_output}], x[${i_cache_read}], x[${i_cache_write}],
                    x[${i_cache_write_1h}], x[${i_reasoning}]], lambda s: feed_num(s));

CREATE MACRO IF NOT EXISTS feed_ok(x, n) AS
    feed_time_ok(x[${i_timestamp}]) AND coalesce(x[${i_model}], '') <> ''
    AND n[1] IS NOT NULL AND n[2] IS NOT NULL
    AND (x[${i_cache_read}] IS NULL OR n[3] IS NOT NULL)
    AND (x[${i_cache_write}] IS NULL OR n[4] IS NOT NULL)
    AND (x[${i_cache_write_1h}] IS NULL OR n[5] IS NOT NULL)
    AND coalesce(n[5], 0) <= coalesce(n[4], 0)
    AND (x[${i_cached_included}] IS DISTINCT FROM 'true'
         OR n[1]::HUGEINT >= coalesce(n[3], 0)::HUGEINT + coalesce(n[4], 0)::HUGEINT);

-- What a valid line stages (record.STAGED): uncached input, cache writes split by lifetime,
-- reasoning only when it fits in the output.
CREATE MACRO IF NOT EXISTS feed_staged(x, n) AS
    [x[${i_timestamp}], x[${i_model}],
     (n[1] - CASE WHEN x[${i_cached_included}] = 'true'
                  THEN coalesce(n[3], 0) + coalesce(n[4], 0) ELSE 0 END)::VARCHAR,
     n[2]::VARCHAR, coalesce(n[3], 0)::VARCHAR,
     (coalesce(n[4], 0) - coalesce(n[5], 0))::VARCHAR, coalesce(n[5], 0)::VARCHAR,
     CASE WHEN n[6] <= n[2] THEN n[6]::VARCHAR END,
     x[${i_cost}], x[${i_session_id}], x[${i_project}], x[${i_service}], x[${i_request_id}]];

-- A staged timestamp: an epoch number's unit is told by its magnitude (seconds, milliseconds,
-- microseconds, else nanoseconds); an ISO-8601 string carries its own offset.
CREATE MACRO IF NOT EXISTS feed_ts(s) AS
    CASE WHEN regexp_full_match(s, '${number}')
         THEN to_timestamp(0) + to_microseconds(
             CASE WHEN try_cast(s AS DOUBLE) < ${below_ms} THEN round(try_cast(s AS DOUBLE) * 1e6)::BIGINT
                  WHEN try_cast(s AS DOUBLE) < ${below_us} THEN round(try_cast(s AS DOUBLE) * 1e3)::BIGINT
                  WHEN try_cast(s AS DOUBLE) < ${below_ns} THEN feed_num(s)
                  ELSE feed_num(s) // 1000
             END)
         ELSE try_cast(s AS TIMESTAMPTZ)
    END;
