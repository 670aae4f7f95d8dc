-- Per-model breakdown of a node: the four token kinds (cache writes split by TTL), exact cost,
-- and cache savings = what the cache reads would have cost as uncached input minus what they
-- cost, priced with the same macro and rates as the calls themselves (NULL when unpriced).
SELECT n.model,
       count(*)::BIGINT AS calls,
       count(*) FILTER (WHERE NOT n.priced)::BIGINT AS unpriced_calls,
       sum(n.input)::BIGINT, sum(n.output)::BIGINT, sum(n.cache_read)::BIGINT,
       sum(n.cache_write_5m)::BIGINT, sum(n.cache_write_1h)::BIGINT,
       coalesce(sum(n.cost_pusd), 0)::HUGEINT AS cost_pusd,
       coalesce(sum(
           call_cost_pusd(n.input + n.cache_read, n.output, 0, n.cache_write_5m,
                          n.cache_write_1h, n.speed, r.in_r, r.out_r, r.cw5_r, r.cw1_r, r.cr_r,
                          r.lc_in_r, r.lc_out_r, r.lc_cw5_r, r.lc_cw1_r, r.lc_cr_r,
                          r.threshold, r.fast_mult, r.per_type)
           - n.cost_pusd), 0)::HUGEINT AS cache_savings_pusd,
       count(*) FILTER (WHERE n.speed = 'fast')::BIGINT AS fast_calls
FROM node_calls n
LEFT JOIN model_rates r ON r.model IS NOT DISTINCT FROM n.model
GROUP BY n.model
ORDER BY cost_pusd DESC, calls DESC, n.model
