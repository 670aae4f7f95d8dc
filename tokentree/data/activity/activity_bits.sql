-- Every set of categories as a bit mask (${sets} of them) with its categories in order, one
-- row per category of the set (${categories} categories): how activity.sql expands a set.
CREATE TABLE IF NOT EXISTS activity_bits AS
SELECT CAST(m AS USMALLINT) AS mask, CAST(b AS UTINYINT) AS cat,
       row_number() OVER (PARTITION BY m ORDER BY b) AS i
FROM range(${sets}) r(m), range(${categories}) q(b)
WHERE (m >> b) & 1 = 1
