-- The calls a change touches (delta_keys): the keys of its new and changed raw rows ($1) and,
-- when ${sidechains} (a constant: false when the change has none), the sidechain rows of its
-- (source, call id) pairs ($2, $3): another copy of a subagent's call may now win the dedup.
-- A join, not a struct IN: that costs ten times more over every raw row.
CREATE OR REPLACE TABLE delta_keys AS
SELECT unnest($1::UBIGINT[]) AS k
UNION
SELECT r.k
FROM raw_calls r
JOIN (SELECT unnest($2::VARCHAR[]) AS source, unnest($3::VARCHAR[]) AS call_id) q
  ON r.source = q.source AND r.call_id = q.call_id
WHERE ${sidechains} AND r.is_sidechain;
