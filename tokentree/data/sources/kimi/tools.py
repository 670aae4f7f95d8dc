"""Kimi CLI's tools under the names tokentree's activity table knows, and which argument of a
call says what it worked on (the command line, the file, the pattern …)."""

from __future__ import annotations

TOOL_NAMES = {
    "Shell": "Bash",
    "ReadFile": "Read",
    "ReadMediaFile": "Read",
    "WriteFile": "Write",
    "StrReplaceFile": "Edit",
    "SearchWeb": "WebSearch",
    "FetchURL": "WebFetch",
    "SetTodoList": "TodoWrite",
    "TaskOutput": "TaskOutput",
}
"""Others (``Glob``, ``Grep``, ``Agent``, ``Task``, MCP tools) keep their own name."""
DETAIL_KEYS = ("command", "path", "file_path", "pattern", "url", "query", "description")
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000


def names_sql() -> str:
    """:data:`TOOL_NAMES` as a DuckDB MAP literal."""
    pairs = ", ".join(f"'{raw}': '{name}'" for raw, name in TOOL_NAMES.items())
    return "MAP {" + pairs + "}"


def detail_sql(arguments: str) -> str:
    """The first of :data:`DETAIL_KEYS` in a call's JSON ``arguments`` (SQL expression)."""
    found = ", ".join(f"try(json_extract_string({arguments}, '$.{key}'))" for key in DETAIL_KEYS)
    return f"left(coalesce({found}), {DETAIL_LIMIT})"
