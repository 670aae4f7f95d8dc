-- The new calls' tool uses and those of the stored calls just before them (what a new call's
-- classification looks back at).
CREATE OR REPLACE TABLE tail_tools AS
SELECT * FROM delta_new_call_tools
UNION ALL
SELECT * FROM call_tools
WHERE cid IN (SELECT prev_cid FROM tail_new_flow WHERE prev_cid NOT IN (SELECT k FROM delta_keys))
