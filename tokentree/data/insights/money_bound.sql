-- The largest amount an insight query sums (a turn's cost, a split saving, a model's what-if
-- cost), which picks the SQL type the insight queries fetch money as (activity.build.money_type).
SELECT greatest(sum(cost), sum(abs(split_saving)), (SELECT sum(alt_cost) FROM insight_models))
FROM insight_turns;
