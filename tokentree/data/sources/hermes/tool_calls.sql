-- The tool calls of every session's assistant messages (OpenAI-style JSON lists), in order.
SELECT session_id, tool_calls FROM messages
WHERE role = 'assistant' AND tool_calls IS NOT NULL
ORDER BY session_id, ${order}
