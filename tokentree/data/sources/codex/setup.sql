-- The command line of an argv list: a shell's script (["bash", "-lc", "git status"] →
-- "git status"), otherwise the words joined.
CREATE MACRO IF NOT EXISTS cx_argv(argv) AS
    CASE WHEN len(argv) >= 3 AND argv[2] IN ('-c', '-lc', '-cl')
              AND regexp_matches(argv[1], '(^|[/\\])(ba|z|da|k|fi)?sh(\.exe)?$')
         THEN argv[-1]
         ELSE array_to_string(argv, ' ') END;

-- A shell command in a tool call's JSON arguments: "command" as an argv list or a string, or
-- "cmd" (exec_command).
CREATE MACRO IF NOT EXISTS cx_command(args) AS
    CASE WHEN try(json_type(json_extract(args, '$.command'))) = 'ARRAY'
         THEN cx_argv(try(from_json(json_extract(args, '$.command'), '["VARCHAR"]')))
         ELSE coalesce(try(json_extract_string(args, '$.command')),
                       try(json_extract_string(args, '$.cmd'))) END;

-- The first file an apply_patch body touches.
CREATE MACRO IF NOT EXISTS cx_patch_file(patch) AS
    nullif(regexp_extract(patch, '\*\*\* (?:Add|Update|Delete) File: ([^\r\n]+)', 1), '');

-- A tool call's one-line detail: the command line of a shell tool (so the attribution rule can
-- classify it), the file of a patch, else the first of the usual argument keys.
CREATE MACRO IF NOT EXISTS cx_tool_detail(name, args, input, argv) AS
    left(CASE WHEN argv IS NOT NULL THEN cx_argv(try(from_json(argv, '["VARCHAR"]')))
              WHEN name = 'apply_patch'
              THEN coalesce(cx_patch_file(input),
                            cx_patch_file(try(json_extract_string(args, '$.input'))),
                            cx_patch_file(args))
              ELSE coalesce(cx_command(args),
                            try(json_extract_string(args, '$.file_path')),
                            try(json_extract_string(args, '$.path')),
                            try(json_extract_string(args, '$.pattern')),
                            try(json_extract_string(args, '$.url')),
                            try(json_extract_string(args, '$.query')),
                            CASE WHEN input IS NOT NULL THEN split_part(trim(input), chr(10), 1) END)
         END, ${detail_limit});

-- Models Codex reports as the "codex-auto-review" pseudo-model bill as the model current on that
-- day (models.py).
CREATE TABLE IF NOT EXISTS cx_auto_review AS
SELECT unnest(${review_dates}::DATE[]) AS released, unnest(${review_models}::VARCHAR[]) AS model;
