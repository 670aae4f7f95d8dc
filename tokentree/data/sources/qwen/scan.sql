-- One pass over the lines of a batch of Qwen Code chats (see records.py), as a query over the
-- engine's CTE lines(file_id, line, nbytes). Substring tests pick assistant (A) and user (U)
-- records; each is parsed once for its kind's fields, and again for its real kind when its
-- top-level type says otherwise. An assistant record's functionCall parts become the overflow
-- list (its tools). Everything else is counted, never parsed.
SELECT file_id, kind2 AS kind, nbytes,
       CASE WHEN kind2 = kind THEN x1
            WHEN kind2 = 'A' THEN try(json_extract_string(line, ${paths_a}))
            WHEN kind2 = 'U' THEN try(json_extract_string(line, ${paths_u}))
       END AS x,
       CASE WHEN kind2 = 'A' AND x1 IS NOT NULL THEN
           CASE WHEN contains(line, '"functionCall"') THEN coalesce(list_filter(list_transform(
                    try(from_json(json_extract(line, '$$.message.parts'),
                        '[{"functionCall":{"id":"VARCHAR","name":"VARCHAR","args":"JSON"}}]')),
                    lambda p: {'id': p.functionCall.id,
                               'name': coalesce(${tool_names}[p.functionCall.name],
                                                p.functionCall.name),
                               'detail': left(coalesce(${args_detail}), ${detail_limit})}),
                    lambda t: coalesce(t.name, '') <> ''), [])
                ELSE [] END
       END AS overflow,
       CASE WHEN kind IS NOT NULL AND x1 IS NULL THEN line END AS bad,
       broken
FROM (
    SELECT file_id, line, nbytes, kind, x1, broken,
           CASE WHEN kind = 'A' AND x1[1] = 'user' THEN 'U'
                WHEN kind = 'U' AND x1[1] = 'assistant' THEN 'A'
                ELSE kind
           END AS kind2
    FROM (
        SELECT file_id, line, nbytes, kind,
               broken_line(kind, line) AS broken,
               CASE kind WHEN 'A' THEN try(json_extract_string(line, ${paths_a}))
                         WHEN 'U' THEN try(json_extract_string(line, ${paths_u}))
               END AS x1
        FROM (
            SELECT file_id, line, nbytes,
                   CASE WHEN ${markers_a} THEN 'A'
                        WHEN ${markers_u} THEN 'U'
                   END AS kind
            FROM lines
        )
    )
)
