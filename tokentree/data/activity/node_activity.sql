-- The activity split of every node of one level (or of the one node a path names): its keys
-- k0, k1, …, then parallel lists of category index (ascending, i.e. in CATEGORIES order),
-- tokens, exact cost (pUSD) and exported cost (2^-30 USD units). query._rows fills in the
-- level's key columns as k0, … (none at the root), only the tables the keys and the scope
-- need, and the scope: in_node() over them.
SELECT ${names}list(cat ORDER BY cat), list(tokens ORDER BY cat), list(cost ORDER BY cat),
       list(units ORDER BY cat)
FROM (SELECT ${keys}a.cat, sum(a.tokens)::BIGINT AS tokens, sum(a.cost_pusd)::HUGEINT AS cost,
             sum(a.cost_units)::BIGINT AS units
      FROM call_activity a ${joins}
      WHERE ${scope}
      GROUP BY ${names}cat)
${outer_group}
