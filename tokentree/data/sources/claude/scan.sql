-- One pass over the lines of a batch of Claude Code transcripts (see lines.py), as a query over
-- the engine's CTE lines(file_id, line, nbytes). Cheap tests pick the lines worth parsing: a
-- snapshot line (the largest kind, its type the first key) by its prefix, the rest by substring
-- markers. Each is parsed once for the fields of its kind; a line whose top-level type turns out
-- different (a progress line carrying a copy of a subagent's line) is parsed again for its real
-- kind, so an agent_progress copy becomes kind P here. Every line becomes a row so the caller can
-- check, per file, that the bytes add up. A line that is not parsed but does not end in '}' is
-- certainly broken (e.g. an assistant line cut before its "type" key): it is flagged so that it
-- is counted and reported. Lines that are not compact JSON (whitespace around a colon shows at
-- their first key) are recognised by whitespace-tolerant markers; the parse checks their type.
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
                   CASE kind WHEN 'A' THEN try(json_extract_string(line, ${paths_a}))
                             WHEN 'U' THEN try(json_extract_string(line, ${paths_u}))
                             WHEN 'S' THEN try(json_extract_string(line, ${paths_s}))
                   END AS x1
            FROM (
                SELECT file_id, line, nbytes,
                       CASE WHEN starts_with(line, '${snapshot_prefix}') THEN NULL
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
