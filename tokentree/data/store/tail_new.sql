-- The calls an appended tail added (delta_keys) and their prices, from the working set.
CREATE OR REPLACE TABLE tail_calls AS
SELECT * FROM delta_calls WHERE cid IN (SELECT k FROM delta_keys);
CREATE OR REPLACE TABLE tail_priced AS
SELECT * FROM delta_priced WHERE cid IN (SELECT k FROM delta_keys);
