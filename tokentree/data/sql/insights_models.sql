-- What-if at list prices: output-heavy calls (output at least a third of the call's cost) on
-- the premium models listed in whatif_rates, repriced at their alternative's rates (standard
-- speed). Per node (`level` as in insights_reads.sql) and model.
WITH heavy AS (
    SELECT s.week, s.day, s.session_id, s.turn_id, s.model, w.alt, s.output, s.cost,
           call_cost_pusd(s.input, s.output, s.cache_read, s.cache_write_5m, s.cache_write_1h,
                          'standard', w.in_r, w.out_r, w.cw5_r, w.cw1_r, w.cr_r, w.lc_in_r,
                          w.lc_out_r, w.lc_cw5_r, w.lc_cw1_r, w.lc_cr_r, w.threshold,
                          w.fast_mult, w.per_type) AS alt_cost
    FROM tt_scope($week, $day, $session) s
    JOIN whatif_rates w ON w.model = s.model
    WHERE s.cost > 0 AND s.out_cost * 3 >= s.cost AND ($turn IS NULL OR s.turn_id = $turn)
)
SELECT week, day, session_id, turn_id, GROUPING(week, day, session_id, turn_id) AS level,
       model, alt, count(*) AS calls, sum(output)::BIGINT AS output, sum(cost)::HUGEINT AS cost,
       sum(alt_cost)::HUGEINT AS alt_cost
FROM heavy
GROUP BY GROUPING SETS ((week, day, session_id, turn_id, model, alt),
                        (week, day, session_id, model, alt), (week, day, model, alt),
                        (week, model, alt), (model, alt));
