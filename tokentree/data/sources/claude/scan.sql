-- One pass over the lines of a batch of Claude Code transcripts (see lines.py), as a query over
-- the engine's CTE lines(file_id, line, nbytes). Cheap substring tests and anchored regexes
-- pick the lines worth parsing (a line's leading scalar keys are tested first: a compact
-- snapshot or queue-operation line is never searched); each is validated, then parsed once for
-- the fields of its kind (json_valid instead of try() alone: TRY re-evaluates a whole vector row
-- by row when one of its lines is malformed, and most vectors hold one) (a line whose
-- top-level type turns out different is parsed again for its real kind; an agent_progress copy,
-- kind P, is never re-kinded). Every line becomes a row so the caller can check, per file, that
-- the bytes add up. A line that is not parsed but does not end in '}' is certainly broken (e.g.
-- an assistant line cut before its "type" key): it is flagged so that it is counted and
-- reported. Lines that are not compact JSON (whitespace around a colon shows at their first
-- key) are recognised by whitespace-tolerant markers; the parse checks their real type.
SELECT file_id, kind2, nbytes, x2, overflow, bad, broken
FROM (
    SELECT *,
           CASE WHEN kind2 IN ('A', 'P') AND x2[1] = 'assistant' AND x2[${i_b1_type}] IS NOT NULL
                THEN list_transform(
                    list_filter(try(from_json(json_extract(line,
                        CASE kind2 WHEN 'A' THEN '$.message.content'
                                   ELSE '$.data.message.message.content' END),
                        '[{"type":"VARCHAR","id":"VARCHAR","name":"VARCHAR","input":"JSON"}]')),
                        lambda b: b.type = 'tool_use'),
                    lambda b: {'id': b.id, 'name': b.name,
                               'detail': left(coalesce(${input_detail}), ${detail_limit})})
           END AS overflow
FROM (
    SELECT file_id, line, nbytes, broken,
           coalesce(real_kind, kind) AS kind2,
           CASE WHEN real_kind IS NULL OR real_kind = kind THEN x1
                WHEN real_kind = 'A' THEN try(json_extract_string(line, ${paths_a}))
                WHEN real_kind = 'P' THEN try(json_extract_string(line, ${paths_p}))
                WHEN real_kind = 'U' THEN try(json_extract_string(line, ${paths_u}))
                ELSE try(json_extract_string(line, ${paths_s}))
           END AS x2,
           CASE WHEN kind IS NOT NULL AND x1 IS NULL THEN line END AS bad
    FROM (
        SELECT file_id, line, nbytes, kind, x1, broken,
               CASE WHEN kind <> 'P' THEN
                   CASE x1[1] WHEN 'assistant' THEN 'A' WHEN 'user' THEN 'U'
                              WHEN 'system' THEN 'S' WHEN 'progress' THEN 'P' END
               END AS real_kind
        FROM (
            SELECT file_id, line, nbytes, kind,
                   broken_line(kind, line) AS broken,
                   CASE WHEN kind IS NOT NULL AND json_valid(line) THEN
                       CASE kind WHEN 'A' THEN try(json_extract_string(line, ${paths_a}))
                                 WHEN 'P' THEN try(json_extract_string(line, ${paths_p}))
                                 WHEN 'U' THEN try(json_extract_string(line, ${paths_u}))
                                 WHEN 'S' THEN try(json_extract_string(line, ${paths_s}))
                       END
                   END AS x1
            FROM (
                SELECT file_id, line, nbytes,
                       CASE WHEN regexp_matches(line, '${top_level_other}')
                                 AND NOT regexp_matches(left(line, ${loose_prefix}), '${loose_head}')
                            THEN NULL
                            WHEN regexp_matches(line, '${top_level_skip}')
                            THEN CASE WHEN contains(line, '"type":"tool_result"') THEN NULL
                                      WHEN contains(line, '"type":"assistant"')
                                      THEN CASE WHEN contains(line, '"type":"agent_progress"')
                                                THEN 'P' END
                                      WHEN contains(line, '"type":"user"')
                                           OR contains(line, '"subtype":"compact_boundary"')
                                      THEN NULL
                                      ELSE ${loose_kind}
                                 END
                            WHEN contains(line, '"type":"tool_result"') THEN NULL
                            WHEN contains(line, '"type":"assistant"') THEN 'A'
                            WHEN contains(line, '"type":"user"') THEN 'U'
                            WHEN contains(line, '"subtype":"compact_boundary"') THEN 'S'
                            ELSE ${loose_kind}
                       END AS kind
                FROM lines
            )
        )
    )
)
)
