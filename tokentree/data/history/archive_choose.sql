-- archive_chosen: each archived file of the segments' manifests ($1) that is not in
-- archive_present, from the newest segment holding it (segment: that segment's directory).
CREATE OR REPLACE TEMP TABLE archive_chosen AS
SELECT * EXCLUDE (filename, n)
FROM (
    SELECT *, parse_dirpath(filename) AS segment,
           row_number() OVER (PARTITION BY file_id ORDER BY filename DESC) AS n
    FROM read_parquet($1, filename = true, union_by_name = true)
)
WHERE n = 1 AND file_id NOT IN (SELECT file_id FROM archive_present)
