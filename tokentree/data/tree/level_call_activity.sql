-- Each call's activity split as one list of {cat, tokens, units}, joined into level_call.sql
-- when the export asks for it.
LEFT JOIN (SELECT cid, list({'cat': cat, 'tokens': tokens, 'units': units} ORDER BY cat) AS activity
           FROM (SELECT cid, cat, sum(tokens)::BIGINT AS tokens, sum(cost_units)::BIGINT AS units
                 FROM call_activity GROUP BY cid, cat)
           GROUP BY cid) a USING (cid)
