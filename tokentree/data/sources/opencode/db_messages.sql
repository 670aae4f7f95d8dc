-- Every v1 message (user and assistant) in id order, so that a fork's copies come after the
-- originals. data is MessageV2.Info without id and sessionID (they are columns); its fields
-- (parts.MESSAGE_PATHS) come back as one JSON array (one json_extract over all paths is far
-- cheaper than one per field). NULL fields: data is not a JSON object (skipped and counted);
-- json_extract only runs on valid JSON, as it would otherwise abort the query.
SELECT id, session_id, ${time_created} AS time_created,
       CASE WHEN json_valid(data) AND substr(ltrim(data), 1, 1) = '{'
            THEN json_extract(data, ${paths}) END AS fields
FROM message
ORDER BY id
