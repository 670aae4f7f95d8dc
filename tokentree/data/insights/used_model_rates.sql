-- The price columns (${columns}) of every priced model the calls use, with its number of
-- calls (model_rates has one row per model: the calls are counted per model first).
SELECT ${columns}, m.n
FROM (SELECT c.model, count(*) AS n FROM calls c JOIN priced p USING (cid) GROUP BY c.model) m
JOIN model_rates r ON r.model = m.model
WHERE r.priced
