"""Hermes' tool calls (``messages.tool_calls``: OpenAI-style ``[{id, function: {name,
arguments}}]``, arguments a JSON string) as tokentree tools."""

from __future__ import annotations

import json
from typing import Any

DETAIL_KEYS = ("command", "path", "file_path", "pattern", "query", "url", "urls", "goal")
DETAIL_LIMIT = 300

TOOL_NAMES = {
    "terminal": "Bash",
    "process": "BashOutput",
    "patch": "Edit",
    "search_files": "Grep",
    "web_search": "WebSearch",
    "web_extract": "WebFetch",
    "delegate_task": "Task",
    "todo": "TodoWrite",
    "clarify": "AskUserQuestion",
}
"""Hermes' built-in tools under the names tokentree's activity table knows (``read_file`` and
``write_file`` already are); others keep their own name."""


def _detail(arguments: Any) -> str | None:
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return None
    if not isinstance(arguments, dict):
        return None
    for key in DETAIL_KEYS:
        value = arguments.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and value:
            return value[:DETAIL_LIMIT]
    return None


def parse(raw: Any) -> list[dict[str, str | None]]:
    """The tools of one assistant message (nothing when the JSON is not a list of calls)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str):
        return []
    try:
        calls = json.loads(raw)
    except ValueError:
        return []
    tools: list[dict[str, str | None]] = []
    for call in calls if isinstance(calls, list) else []:
        if not isinstance(call, dict):
            continue
        function = call.get("function")
        function = function if isinstance(function, dict) else {}
        name = function.get("name")
        if not isinstance(name, str) or not name:
            continue
        call_id = call.get("id")
        tools.append(
            {
                "id": call_id if isinstance(call_id, str) else None,
                "name": TOOL_NAMES.get(name, name),
                "detail": _detail(function.get("arguments")),
            }
        )
    return tools
