-- Each call's cost (exact picodollars, NULL when the model is unpriced), the same cost in
-- units of 2^-30 USD (rounded once per call: sums of such values are exact in binary floating
-- point, so an exported parent equals the sum of its children bit for bit), and its place in
-- local time. A cost the log itself reports (raw_calls.cost_usd) is used as it is. $tz is an
-- IANA zone; $since/$until are inclusive local dates (NULL = open); $hidden lists sources left
-- out; $devices the devices kept (NULL = all). A session total is many requests, none known to pass a long-context tier: its
-- tokens are priced at the base rates (tier_threshold). Calls outside the range are not in
-- this table, so every level query (which joins it) leaves them out. ${calls}: the calls
-- priced (`calls`, or some of them for a delta).
CREATE OR REPLACE TABLE priced AS
SELECT cid, cost_pusd,
       coalesce((cost_pusd * 1073741824 + 500000000000) // 1000000000000, 0)::BIGINT AS cost_units,
       priced, day, week
FROM (
SELECT c.cid,
       coalesce(
           CASE WHEN isfinite(c.cost_usd) AND c.cost_usd >= 0
                THEN round(c.cost_usd * 1e12)::HUGEINT END,
           call_cost_pusd(c.input, c.output, c.cache_read, c.cache_write_5m, c.cache_write_1h,
                      c.speed, r.in_r, r.out_r, r.cw5_r, r.cw1_r, r.cr_r, r.lc_in_r, r.lc_out_r,
                      r.lc_cw5_r, r.lc_cw1_r, r.lc_cr_r, tier_threshold(c.session_total, r.threshold),
                      r.fast_mult, r.per_type))
           AS cost_pusd,
       (isfinite(c.cost_usd) AND c.cost_usd >= 0) IS TRUE OR coalesce(r.priced, false) AS priced,
       (c.ts AT TIME ZONE $tz)::DATE AS day,
       strftime((c.ts AT TIME ZONE $tz)::DATE, '%G-W%V') AS week
FROM ${calls} c
LEFT JOIN model_rates r ON r.model IS NOT DISTINCT FROM c.model
WHERE NOT list_contains($hidden::VARCHAR[], c.source)
  AND ($devices IS NULL OR list_contains($devices::VARCHAR[], coalesce(c.device, local_device())))
  AND ($since IS NULL OR (c.ts AT TIME ZONE $tz)::DATE >= $since)
  AND ($until IS NULL OR (c.ts AT TIME ZONE $tz)::DATE <= $until)
);
