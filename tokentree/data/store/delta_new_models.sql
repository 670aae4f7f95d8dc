-- Models of the calls being repriced that model_rates has no row for yet (a NULL model is one
-- model like any other).
SELECT DISTINCT c.model
FROM delta_priced_calls c
WHERE NOT EXISTS (SELECT 1 FROM model_rates r WHERE r.model IS NOT DISTINCT FROM c.model);
