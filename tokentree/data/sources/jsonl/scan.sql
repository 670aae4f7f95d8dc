-- One pass over the lines of a batch of feed files (record.py), as a query over the engine's CTE
-- lines(file_id, line, nbytes). Every non-empty line is meant to be a usage record: it is parsed
-- once for the fields of record.FIELDS (and its tools, when it names any). A line that is not
-- JSON goes back to Python as `bad` (which tells a line still being written from a broken one);
-- JSON that is not a valid record is `broken` (skipped and counted).
SELECT file_id,
       CASE WHEN ok THEN 'F' END AS kind,
       nbytes,
       CASE WHEN ok THEN x END AS x,
       CASE WHEN ok AND contains(line, '"tools"')
            THEN list_filter(
                list_transform(try(json_extract(line, '$.tools[*]')),
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
    SELECT file_id, line, nbytes, kind, x, coalesce(feed_ok(x), false) AS ok
    FROM (
        SELECT file_id, line, nbytes, kind,
               CASE WHEN kind IS NOT NULL THEN try(json_extract_string(line, ${paths})) END AS x
        FROM (
            SELECT file_id, line, nbytes,
                   CASE WHEN line IS NOT NULL AND line <> '' THEN 'F' END AS kind
            FROM lines
        )
    )
)
