-- One pass over the lines of a batch of feed files (record.py), as a query over the engine's CTE
-- lines(file_id, line, nbytes). Every non-empty line is meant to be a usage record: valid JSON
-- is parsed once for the fields of record.FIELDS (its tools as JSON text), its token counts
-- once, and a valid record stages record.STAGED. A line that is not JSON goes back to
-- Python as `bad` (which tells a line still being written from a broken one); JSON that is not
-- a valid record is `broken` (skipped and counted).
SELECT file_id,
       CASE WHEN ok THEN 'F' END AS kind,
       nbytes,
       CASE WHEN ok THEN feed_staged(x, n) END AS x,
       CASE WHEN ok AND x[${i_tools}] IS NOT NULL
            THEN list_filter(
                list_transform(try(json_extract(x[${i_tools}], '$[*]')),
                    lambda e: CASE json_type(e)
                        WHEN 'VARCHAR' THEN {'id': NULL::VARCHAR, 'name': e ->> '$',
                                             'detail': NULL::VARCHAR}
                        WHEN 'OBJECT' THEN {'id': e ->> 'id', 'name': e ->> 'name',
                                            'detail': left(e ->> 'detail', ${detail_limit})}
                    END),
                lambda t: t.name IS NOT NULL)
       END AS overflow,
       CASE WHEN kind IS NOT NULL AND x IS NULL THEN line END AS bad,
       kind IS NOT NULL AND x IS NOT NULL AND NOT ok AS broken
FROM (
    SELECT file_id, line, nbytes, kind, x, n, coalesce(feed_ok(x, n), false) AS ok
    FROM (
        SELECT file_id, line, nbytes, kind, x, feed_nums(x) AS n
        FROM (
            SELECT file_id, line, nbytes, kind,
                   CASE WHEN kind IS NOT NULL AND json_valid(line)
                        THEN json_extract_string(line, ${paths}) END AS x
            FROM (
                SELECT file_id, line, nbytes,
                       CASE WHEN line IS NOT NULL AND line <> '' THEN 'F' END AS kind
                FROM lines
            )
        )
    )
)
