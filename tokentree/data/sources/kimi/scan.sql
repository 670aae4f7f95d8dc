-- One pass over the lines of a batch of Kimi CLI wire logs (see lines.py), as a query over the
-- engine's CTE lines(file_id, line, nbytes, ordinal). A line naming StatusUpdate, ToolCall or
-- TurnBegin is parsed once for every field of lines.FIELDS; the others are counted. A line that
-- was meant to be parsed but is not JSON goes back to Python as `bad`.
SELECT file_id, kind, nbytes, x, NULL AS overflow,
       CASE WHEN kind IS NOT NULL AND x IS NULL THEN line END AS bad,
       broken_line(kind, line) AS broken,
       ordinal
FROM (
    SELECT file_id, nbytes, ordinal, line, kind,
           CASE WHEN kind IS NOT NULL THEN try(json_extract_string(line, ${paths})) END AS x
    FROM (
        SELECT file_id, nbytes, ordinal, line,
               CASE WHEN ${markers} THEN '${kind}' END AS kind
        FROM lines
    )
)
