-- One pass over the lines of a batch of Codex rollouts (see lines.py), as a query over the
-- engine's CTE lines(file_id, line, nbytes, ordinal). Substring tests pick the kind of each line
-- (the kind case is generated from lines.MARKERS: the tests classify() makes); a line of a kind
-- is parsed once for that kind's fields. Every line becomes a row so the caller can check, per
-- file, that the bytes add up; a line not parsed that does not end in '}' is certainly broken.
SELECT file_id, kind, nbytes, x, NULL AS overflow,
       CASE WHEN kind IS NOT NULL AND x IS NULL THEN line END AS bad,
       broken_line(kind, line) AS broken,
       ordinal
FROM (
    SELECT file_id, nbytes, ordinal, line, kind,
           CASE kind
               ${extract_case}
           END AS x
    FROM (
        SELECT file_id, nbytes, ordinal, line, ${kind_case} AS kind
        FROM lines
    )
)
