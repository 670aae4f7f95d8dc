-- Human prompts (turn starts), one per uuid (resumed files copy history). A user line is a
-- prompt when it is on the main thread, not meta / compact summary / tool output, and its text is
-- not an injected wrapper (command output, shell mode, task notification, interruption marker).
-- Slash commands typed by the user count as prompts (kind 'command'). ${uuids} limits the
-- prompts built to some uuids (a delta; `true` for a full build).
CREATE OR REPLACE TABLE prompts AS
WITH candidates AS (
    SELECT *,
           list_filter(texts, lambda t: NOT regexp_matches(t, '^\s*<(ide_opened_file|ide_selection|system-reminder)'))[1]
               AS main_text
    FROM raw_prompts
    WHERE ts IS NOT NULL AND uuid IS NOT NULL AND session_id IS NOT NULL
      AND NOT is_sidechain AND NOT is_meta AND NOT is_compact_summary AND ${uuids}
),
classified AS (
    SELECT *,
           CASE
               WHEN main_text IS NULL THEN CASE WHEN has_image THEN 'prompt' END
               WHEN regexp_matches(main_text, '^\s*<command-(name|message)>') THEN 'command'
               WHEN regexp_matches(main_text, '^\s*(<local-command-|<bash-|<task-notification>|<user-prompt-submit-hook>|Caveat: |\[Request interrupted)') THEN NULL
               WHEN trim(main_text) = '' THEN NULL
               ELSE 'prompt'
           END AS kind
    FROM candidates
)
SELECT uuid,
       arg_min(session_id, ts) AS session_id,
       min(ts) AS ts,
       arg_min(kind, ts) AS kind,
       arg_min(
           CASE WHEN kind = 'command'
                THEN trim(coalesce(regexp_extract(main_text, '<command-name>\s*([^<]*)</command-name>', 1), '')
                          || ' ' || coalesce(regexp_extract(main_text, '<command-args>([^<]*)</command-args>', 1), ''))
                WHEN main_text IS NULL THEN '[image]'
                ELSE trim(regexp_replace(main_text, '\s+', ' ', 'g')) END,
           ts) AS text,
       arg_min(cwd, ts) AS cwd
FROM classified
WHERE kind IS NOT NULL
GROUP BY uuid;
