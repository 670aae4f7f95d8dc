"""Goose's message content (``messages.content_json``: a list of blocks tagged by ``type``) as
tokentree tools and prompt text.

A tool request is ``{"type": "toolRequest", "id", "toolCall": {"status", "value": {"name",
"arguments"}}}``. Tool names carry their extension (``developer__shell``; MCP servers the user
adds likewise): Goose's built-in developer tools take the names the activity table knows
(``shell`` → ``Bash``; ``text_editor`` by its ``command``: ``view`` → ``Read``, ``write`` →
``Write``, the edits → ``Edit``), the rest keep their own name.
"""

from __future__ import annotations

import json
from typing import Any

DETAIL_KEYS = ("command", "path", "file_path", "pattern", "query", "url", "instructions")
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000

TOOL_NAMES = {
    "shell": "Bash",
    "analyze": "Grep",
    "todo_write": "TodoWrite",
    "todo_read": "TodoRead",
    "create_task": "Task",
    "execute_task": "Task",
    "web_scrape": "WebFetch",
}
EDITOR_COMMANDS = {
    "view": "Read",
    "write": "Write",
    "str_replace": "Edit",
    "insert": "Edit",
    "edit": "Edit",
    "undo_edit": "Edit",
}


def blocks(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str):
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [b for b in value if isinstance(b, dict)] if isinstance(value, list) else []


def _name(raw: str, arguments: dict[str, Any]) -> str:
    short = raw.rsplit("__", 1)[-1]
    if short == "text_editor":
        command = arguments.get("command")
        return EDITOR_COMMANDS.get(command, "Edit") if isinstance(command, str) else "Edit"
    return TOOL_NAMES.get(short, raw)


def _detail(arguments: dict[str, Any], name: str) -> str | None:
    keys = ("path", "file_path") if name in ("Read", "Write", "Edit") else DETAIL_KEYS
    for key in keys:
        value = arguments.get(key)
        if isinstance(value, str) and value:
            return value[:DETAIL_LIMIT]
    return None


def tools(raw: Any) -> list[dict[str, str | None]]:
    """The tools an assistant message requested (nothing when the JSON is not a list)."""
    found: list[dict[str, str | None]] = []
    for block in blocks(raw):
        if block.get("type") != "toolRequest":
            continue
        call = block.get("toolCall")
        value = call.get("value") if isinstance(call, dict) else None
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            continue
        arguments = value.get("arguments")
        arguments = arguments if isinstance(arguments, dict) else {}
        name = _name(value["name"], arguments)
        call_id = block.get("id")
        found.append(
            {
                "id": call_id if isinstance(call_id, str) else None,
                "name": name,
                "detail": _detail(arguments, name),
            }
        )
    return found


def text(raw: Any) -> str | None:
    """What a user message says (its text blocks; tool results carry none)."""
    texts = [
        b["text"] for b in blocks(raw) if b.get("type") == "text" and isinstance(b.get("text"), str)
    ]
    joined = "\n".join(texts).strip()
    return joined[:TEXT_LIMIT] if joined else None
