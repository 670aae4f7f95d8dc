-- One pass over the lines of a batch of Claude Code transcripts (see lines.py), as a query over
-- the engine's CTE lines(file_id, line, nbytes). Cheap substring tests and an anchored regex
-- pick the lines worth parsing; each is parsed once for the fields of its
-- kind (a line whose top-level type turns out different is parsed again for its real kind).
-- Every line becomes a row so the caller can check, per file, that the bytes add up. A line
-- that is not parsed but does not end in '}' is certainly broken (e.g. an assistant line cut
-- before its "type" key): it is flagged so that it is counted and reported. Lines re-serialised
-- with '": ' separators (one shows right after the first key) are recognised by spaced
-- markers; the parse checks their real type.
SELECT file_id, kind2, nbytes, x2, overflow, bad, broken
FROM (
    SELECT file_id, nbytes, broken,
           coalesce(real_kind, kind) AS kind2,
           CASE WHEN real_kind IS NULL OR real_kind = kind THEN x1
                WHEN real_kind = 'A' THEN try(json_extract_string(line, ${paths_a}))
                WHEN real_kind = 'U' THEN try(json_extract_string(line, ${paths_u}))
                ELSE try(json_extract_string(line, ${paths_s}))
           END AS x2,
           CASE WHEN coalesce(real_kind, kind) = 'A' AND x1[1] = 'assistant'
                     AND x1[${i_b1_type}] IS NOT NULL
                THEN list_transform(
                    list_filter(try(from_json(json_extract(line, '$.message.content'),
                        '[{"type":"VARCHAR","id":"VARCHAR","name":"VARCHAR","input":"JSON"}]')),
                        lambda b: b.type = 'tool_use'),
                    lambda b: {'id': b.id, 'name': b.name,
                               'detail': left(coalesce(${input_detail}), ${detail_limit})})
           END AS overflow,
           CASE WHEN kind IN ('A', 'U', 'S') AND x1 IS NULL THEN line END AS bad
    FROM (
        SELECT file_id, line, nbytes, kind, x1, broken,
               CASE x1[1] WHEN 'assistant' THEN 'A' WHEN 'user' THEN 'U' WHEN 'system' THEN 'S' END
                   AS real_kind
        FROM (
            SELECT file_id, line, nbytes, kind,
                   broken_line(kind, line) AS broken,
                   CASE kind WHEN 'A' THEN try(json_extract_string(line, ${paths_a}))
                             WHEN 'U' THEN try(json_extract_string(line, ${paths_u}))
                             WHEN 'S' THEN try(json_extract_string(line, ${paths_s}))
                   END AS x1
            FROM (
                SELECT file_id, line, nbytes,
                       CASE WHEN contains(line, '"type":"tool_result"') THEN NULL
                            WHEN NOT (contains(line, '"type":"assistant"')
                                      OR contains(line, '"type":"user"')
                                      OR contains(line, '"subtype":"compact_boundary"'))
                            THEN CASE WHEN NOT contains(left(line, ${spaced_prefix}), '": ') THEN NULL
                                      WHEN contains(line, '"type": "assistant"') THEN 'A'
                                      WHEN contains(line, '"type": "user"') THEN 'U'
                                      WHEN contains(line, '"subtype": "compact_boundary"') THEN 'S'
                                 END
                            WHEN regexp_matches(line, '${top_level_skip}') THEN NULL
                            WHEN contains(line, '"type":"assistant"') THEN 'A'
                            WHEN contains(line, '"type":"user"') THEN 'U'
                            ELSE 'S'
                       END AS kind
                FROM lines
            )
        )
    )
)
