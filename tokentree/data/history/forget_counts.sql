-- What forget removes, as it reports it: the calls (keyed and filtered as data/store/calls.sql
-- counts them: timed, not an API error, not synthetic) and the sessions they belong to, among
-- the archived raw call rows ${where} picks.
SELECT count(DISTINCT call_key(source, dedup_key, file_id, call_id, uuid, ts)),
       count(DISTINCT session_id)
FROM raw_calls
WHERE ts IS NOT NULL AND NOT is_api_error AND coalesce(model, '') <> '<synthetic>'
  AND ${where};
