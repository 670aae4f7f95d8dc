-- The engine's half of a bulk line scan: read_csv splits the lines of a batch of JSONL files
-- (the delimiter cannot occur in valid JSON; over-long and invalid UTF-8 lines are dropped and
-- caught by the byte check), each line tagged with its file's name and byte count. The source's
-- half (a LineFormat's scan_sql, substituted below) turns them into staging rows, passing the
-- name through as file_id; only then is the name swapped for the file's stable id (a join with
-- the batch's scan_files). A join holds back its output rows until it has a full vector of
-- them, and a file of long lines yields few rows per chunk read: joined before the extraction,
-- those held rows are whole lines (a 100 MB file of 130 kB lines: the whole file in memory,
-- outside DuckDB's memory limit); joined after it, a few fields each. For an ordered format
-- each line also gets its ordinal: row_number() OVER () numbers the rows of a single table
-- function in their original order (DuckDB's order-preservation rules), so it is taken before
-- the join, which does not keep order.
INSERT INTO staging (${columns})
WITH numbered AS (
    SELECT line, filename${ordinal}
    FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '',
                  escape = '', header = false, auto_detect = false, new_line = '\n',
                  strict_mode = false, ignore_errors = true, filename = true,
                  max_line_size = ${max_line_size}, buffer_size = ${buffer_size})
),
lines AS (
    SELECT r.filename AS file_id, r.line, coalesce(strlen(r.line), 0) + 1 AS nbytes${line_ordinal}
    FROM numbered r
),
scanned AS (
${select}
)
SELECT f.file_id, s.* EXCLUDE (file_id)
FROM scanned s
JOIN scan_files f ON f.path = s.file_id
