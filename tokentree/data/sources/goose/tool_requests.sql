-- The assistant messages that request tools (content_json holds toolRequest blocks), in order.
SELECT session_id, ${timestamp} AS ts, content_json FROM messages
WHERE role = 'assistant' AND instr(content_json, '"toolRequest"') > 0
ORDER BY session_id, ${order}
