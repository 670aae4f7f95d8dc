-- The validity rule of a feed line and the typing of its values (record.py documents both; its
-- valid() is the Python twin of feed_ok and a test holds them to the same answers). Values are
-- the strings json_extract_string gives for the fields of record.FIELDS, by position.

-- A non-negative number (JSON number or numeric string) as a BIGINT, rounded half away from
-- zero; NULL when it is not one or does not fit.
CREATE MACRO IF NOT EXISTS feed_num(s) AS
    CASE WHEN regexp_full_match(s, '${number}') THEN try_cast(s AS BIGINT) END;

CREATE MACRO IF NOT EXISTS feed_time_ok(s) AS
    CASE WHEN s IS NULL THEN false
         WHEN regexp_full_match(s, '${number}') THEN feed_num(s) IS NOT NULL
         ELSE regexp_full_match(s, '${iso_time}') AND try_cast(s AS TIMESTAMPTZ) IS NOT NULL
    END;

-- An epoch number's unit is told by its magnitude: seconds, milliseconds, microseconds, else
-- nanoseconds; an ISO-8601 string carries its own offset.
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

CREATE MACRO IF NOT EXISTS feed_ok(x) AS
    feed_time_ok(x[${i_timestamp}]) AND coalesce(x[${i_model}], '') <> ''
    AND feed_num(x[${i_input}]) IS NOT NULL AND feed_num(x[${i_output}]) IS NOT NULL
    AND (x[${i_cache_read}] IS NULL OR feed_num(x[${i_cache_read}]) IS NOT NULL)
    AND (x[${i_cache_write}] IS NULL OR feed_num(x[${i_cache_write}]) IS NOT NULL)
    AND (x[${i_cache_write_1h}] IS NULL OR feed_num(x[${i_cache_write_1h}]) IS NOT NULL)
    AND coalesce(feed_num(x[${i_cache_write_1h}]), 0) <= coalesce(feed_num(x[${i_cache_write}]), 0)
    AND (x[${i_cached_included}] IS DISTINCT FROM 'true'
         OR feed_num(x[${i_input}])::HUGEINT
            >= coalesce(feed_num(x[${i_cache_read}]), 0)::HUGEINT
               + coalesce(feed_num(x[${i_cache_write}]), 0)::HUGEINT);
