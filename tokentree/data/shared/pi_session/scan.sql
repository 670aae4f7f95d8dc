-- One pass over the lines of a batch of pi session files (see lines.py), as a query over the
-- engine's CTE lines(file_id, line, nbytes, ordinal). Substring tests pick the kind of each line
-- (the same tests as lines.classify, in the same order); a line of a kind is parsed once for
-- that kind's fields (a user line also for its content, as JSON text). An assistant line's
-- toolCall blocks become the overflow list. Every line becomes a row so the caller can check,
-- per file, that the bytes add up; a line not parsed that does not end in '}' is broken.
SELECT file_id, kind, nbytes, x,
       CASE WHEN kind = 'A' AND x IS NOT NULL AND contains(line, '${tool_call}')
            THEN nullif(list_transform(
                     list_filter(
                         try(from_json(json_extract(line, '$$.message.content'),
                             '[{"type":"VARCHAR","id":"VARCHAR","name":"VARCHAR","arguments":"JSON"}]')),
                         lambda b: b.type = 'toolCall'),
                     lambda b: {'id': b.id, 'name': b.name,
                                'detail': left(coalesce(${arguments_detail}), ${detail_limit})}),
                     [])
       END AS overflow,
       CASE WHEN kind IS NOT NULL AND x IS NULL THEN line END AS bad,
       broken_line(kind, line) AS broken,
       ordinal
FROM (
    SELECT file_id, nbytes, ordinal, line, kind,
           CASE kind
               WHEN 'A' THEN try(json_extract_string(line, ${paths_a}))
               WHEN 'U' THEN try(json_extract_string(line, ${paths_u})
                                 || [json_extract(line, '${content_path}')::VARCHAR])
               WHEN 'H' THEN try(json_extract_string(line, ${paths_h}))
               WHEN 'M' THEN try(json_extract_string(line, ${paths_m}))
           END AS x
    FROM (
        SELECT file_id, nbytes, ordinal, line, ${kind_case} AS kind
        FROM lines
    )
)
