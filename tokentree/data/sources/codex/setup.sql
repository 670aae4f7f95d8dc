-- The command line of an argv list: a shell's script (["bash", "-lc", "git status"] →
-- "git status"), otherwise the words joined.
CREATE MACRO IF NOT EXISTS cx_argv(argv) AS
    CASE WHEN len(argv) >= 3 AND argv[2] IN ('-c', '-lc', '-cl')
              AND regexp_matches(argv[1], '(^|[/\\])(ba|z|da|k|fi)?sh(\.exe)?$')
         THEN argv[-1]
         ELSE array_to_string(argv, ' ') END;

-- One argument of a tool call (JSON text): a string unquoted, an argv list as its command line,
-- anything else nothing.
CREATE MACRO IF NOT EXISTS cx_arg(value) AS
    CASE WHEN starts_with(value, '[') THEN cx_argv(try(from_json(value, '["VARCHAR"]')))
         WHEN starts_with(value, '"') THEN try(value ->> '$') END;

-- The first file an apply_patch body touches.
CREATE MACRO IF NOT EXISTS cx_patch_file(patch) AS
    nullif(regexp_extract(patch, '\*\*\* (?:Add|Update|Delete) File: ([^\r\n]+)', 1), '');

-- A tool call's one-line detail: the command line of a shell tool (so the attribution rule can
-- classify it: "command" as an argv list or a string, exec_command's "cmd"), the file of a
-- patch, else the first of the usual argument keys (the arguments are parsed once).
CREATE MACRO IF NOT EXISTS cx_tool_detail(name, args, input, argv) AS
    left(CASE WHEN argv IS NOT NULL THEN cx_argv(try(from_json(argv, '["VARCHAR"]')))
              WHEN name = 'apply_patch'
              THEN coalesce(cx_patch_file(input),
                            cx_patch_file(try(json_extract_string(args, '$.input'))))
              ELSE coalesce(list_filter(
                       list_transform(
                           try(json_extract(args, ['$.command', '$.cmd', '$.file_path', '$.path',
                                                   '$.pattern', '$.url', '$.query'])),
                           lambda v: cx_arg(v)),
                       lambda v: v IS NOT NULL)[1],
                       CASE WHEN input IS NOT NULL THEN split_part(trim(input), chr(10), 1) END)
         END, ${detail_limit});

-- Models Codex reports as the "codex-auto-review" pseudo-model bill as the model current on that
-- day (models.py).
CREATE TABLE IF NOT EXISTS cx_auto_review AS
SELECT unnest(${review_dates}::DATE[]) AS released, unnest(${review_models}::VARCHAR[]) AS model;
