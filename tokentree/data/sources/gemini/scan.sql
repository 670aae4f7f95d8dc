-- One pass over the lines of a batch of Gemini CLI chats (see lines.py), as a query over the
-- engine's CTE lines(file_id, line, nbytes). Substring tests pick the metadata line (M), gemini
-- messages (G) and user messages (U); each is parsed once for the fields of its kind, and again
-- for its real kind when its top-level type says otherwise. $set / $rewindTo lines and notices
-- are counted, never parsed. A gemini message's toolCalls become the overflow list.
SELECT file_id, kind2 AS kind, nbytes,
       CASE WHEN kind2 = kind THEN x1
            WHEN kind2 = 'U' THEN try(json_extract(line, ${paths_u})::VARCHAR[])
            WHEN kind2 = 'G' THEN try(json_extract_string(line, ${paths_g}))
       END AS x,
       CASE WHEN kind2 = 'G' AND contains(line, '"toolCalls"')
            THEN coalesce(list_transform(
                try(from_json(json_extract(line, '$$.toolCalls'),
                    '[{"id":"VARCHAR","name":"VARCHAR","args":"JSON"}]')),
                lambda b: {'id': b.id, 'name': b.name,
                           'detail': left(coalesce(${args_detail}), ${detail_limit})}), [])
       END AS overflow,
       CASE WHEN kind IS NOT NULL AND x1 IS NULL THEN line END AS bad,
       broken
FROM (
    SELECT file_id, line, nbytes, kind, x1, broken,
           CASE WHEN kind = 'G' AND x1[1] = 'user' THEN 'U'
                WHEN kind = 'U' AND x1[1] = '"gemini"' THEN 'G'
                ELSE kind
           END AS kind2
    FROM (
        SELECT file_id, line, nbytes, kind,
               broken_line(kind, line) AS broken,
               CASE kind WHEN 'G' THEN try(json_extract_string(line, ${paths_g}))
                         WHEN 'U' THEN try(json_extract(line, ${paths_u})::VARCHAR[])
                         WHEN 'M' THEN try(json_extract_string(line, ${paths_m}))
               END AS x1
        FROM (
            SELECT file_id, line, nbytes,
                   CASE WHEN starts_with(line, '{"$$') THEN NULL
                        WHEN contains(line, '"type":"gemini"')
                             OR contains(line, '"type": "gemini"') THEN 'G'
                        WHEN contains(line, '"type":"user"')
                             OR contains(line, '"type": "user"') THEN 'U'
                        WHEN contains(line, '"projectHash"') THEN 'M'
                   END AS kind
            FROM lines
        )
    )
)
