"""Copilot CLI's tool calls (``execute_tool`` spans) as tokentree tools.

A span names its tool (``gen_ai.tool.name``) and call id (``gen_ai.tool.call.id``); what it
worked on is in ``github.copilot.tool.parameters.*`` (the shell command, the file path, the skill
or MCP tool — newer builds) or in ``gen_ai.tool.call.arguments`` (only when the user captures
content). Copilot's built-in tools take the names the activity table knows (``bash`` → ``Bash``,
``view`` → ``Read``, ``edit`` → ``Edit``, ``task`` → ``Task`` …); others keep their own name.
"""

from __future__ import annotations

import json
from typing import Any

from tokentree.data.sources.copilot.records import Record, text

DETAIL_LIMIT = 300
PARAMETERS = "github.copilot.tool.parameters."
DETAIL_KEYS = (
    "command",
    "shell_command",
    "file_path",
    "path",
    "url",
    "query",
    "pattern",
    "skill_name",
    "mcp_tool",
    "description",
)

TOOL_NAMES = {
    "bash": "Bash",
    "powershell": "Bash",
    "read_bash": "BashOutput",
    "write_bash": "BashOutput",
    "stop_bash": "KillShell",
    "view": "Read",
    "create": "Write",
    "edit": "Edit",
    "str_replace_editor": "Edit",
    "grep": "Grep",
    "glob": "Glob",
    "task": "Task",
    "web_fetch": "WebFetch",
    "web_search": "WebSearch",
    "update_todo": "TodoWrite",
    "ask_user": "AskUserQuestion",
}


def _arguments(attributes: dict[str, Any]) -> dict[str, Any]:
    raw = attributes.get("gen_ai.tool.call.arguments")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _detail(attributes: dict[str, Any]) -> str | None:
    parameters = {
        key[len(PARAMETERS) :]: value
        for key, value in attributes.items()
        if key.startswith(PARAMETERS)
    }
    for source in (parameters, _arguments(attributes)):
        for key in DETAIL_KEYS:
            value = text(source.get(key))
            if value is not None:
                return value[:DETAIL_LIMIT]
    return None


def tool(record: Record) -> dict[str, str | None] | None:
    """The tool of an ``execute_tool`` span (None: it names no tool)."""
    attributes = record.attributes
    name = text(attributes.get("gen_ai.tool.name"))
    if name is None and record.name and record.name.startswith("execute_tool "):
        name = text(record.name[len("execute_tool ") :])
    if name is None:
        return None
    return {
        "id": text(attributes.get("gen_ai.tool.call.id")),
        "name": TOOL_NAMES.get(name, name),
        "detail": _detail(attributes),
    }
