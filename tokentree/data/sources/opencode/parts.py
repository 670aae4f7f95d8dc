"""The parts of a message that matter for counting, and how their fields are found.

A message's parts (``part`` rows of the database, ``storage/part/<messageID>/*.json`` files) are
read in id order (ids ascend with creation time). Only a few kinds matter:

* ``step-finish`` — one model request: its ``tokens`` and ``cost``;
* ``tool`` — a tool call: name, call id and the input field that says what it worked on (the
  ``task`` tool also names the subagent session it started in ``state.metadata.sessionId``);
* ``text`` / ``file`` / ``compaction`` — what a user message says (a turn's prompt).

The same JSON paths are extracted by SQLite (``json_extract`` over several paths returns one JSON
array) and, for legacy files or a SQLite without JSON functions, by :func:`values_of` in Python,
so both readers see identical values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tokentree.data.jsonfields import compile_paths, follow

DETAIL_KEYS = (
    "command",
    "filePath",
    "path",
    "pattern",
    "url",
    "query",
    "subagent_type",
    "description",
)
"""Keys of a tool's input tried in order for its one-line detail."""
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000

PATHS: dict[str, tuple[str, ...]] = {
    "step-finish": ("$.tokens", "$.cost"),
    "tool": (
        "$.tool",
        "$.callID",
        *(f"$.state.input.{key}" for key in DETAIL_KEYS),
        "$.state.metadata.sessionId",
    ),
    "text": ("$.text", "$.synthetic", "$.ignored"),
    "file": ("$.mime", "$.filename"),
    "compaction": ("$.auto", "$.overflow"),
}
"""JSON paths per part type (always two or more: SQLite then returns a JSON array)."""
_COMPILED = {kind: compile_paths(paths) for kind, paths in PATHS.items()}

TOOL_NAMES = {
    "bash": "Bash",
    "read": "Read",
    "write": "Write",
    "edit": "Edit",
    "multiedit": "MultiEdit",
    "patch": "apply_patch",
    "apply_patch": "apply_patch",
    "glob": "Glob",
    "grep": "Grep",
    "list": "LS",
    "ls": "LS",
    "webfetch": "WebFetch",
    "websearch": "WebSearch",
    "codesearch": "WebSearch",
    "task": "Task",
    "todowrite": "TodoWrite",
    "todoread": "TodoRead",
    "question": "AskUserQuestion",
}
"""OpenCode's built-in tools under the names tokentree's activity table knows (docs/attribution.md);
other tools (MCP tools are ``<server>_<tool>``) keep their own name."""


@dataclass(frozen=True, slots=True)
class Part:
    type: str
    values: tuple[Any, ...]
    time_ms: int | None = None
    """When the store recorded it (database rows only)."""


def values_of(kind: str, obj: dict[str, Any]) -> tuple[Any, ...]:
    """The values at ``PATHS[kind]`` in a parsed part (Python's twin of the SQL extraction)."""
    return tuple(follow(obj, steps) for steps in _COMPILED[kind])


def from_sql(kind: str | None, array: str | None, time_ms: int | None = None) -> Part | None:
    """A part from the SQL extraction (``json_extract(data, *PATHS[kind])``)."""
    if kind not in PATHS or not isinstance(array, str):
        return None
    try:
        values = json.loads(array)
    except ValueError:
        return None
    if not isinstance(values, list) or len(values) != len(PATHS[kind]):
        return None
    return Part(kind, tuple(values), time_ms)


def from_object(obj: Any, time_ms: int | None = None) -> Part | None:
    """A part from a parsed JSON object (None: a type we do not use, or not a part)."""
    if not isinstance(obj, dict):
        return None
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in PATHS:
        return None
    return Part(kind, values_of(kind, obj), time_ms)


def _text(value: Any, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class Tool:
    call_id: str | None
    name: str
    detail: str | None
    child_session: str | None
    """The subagent session a ``task`` call started."""
    agent_type: str | None

    def as_row(self) -> dict[str, str | None]:
        return {"id": self.call_id, "name": self.name, "detail": self.detail}


def tool(part: Part) -> Tool | None:
    values = part.values
    name = values[0]
    if not isinstance(name, str) or not name:
        return None
    details = values[2 : 2 + len(DETAIL_KEYS)]
    detail = next((_text(v, DETAIL_LIMIT) for v in details if _text(v, DETAIL_LIMIT)), None)
    child = values[-1]
    agent_type = details[DETAIL_KEYS.index("subagent_type")]
    return Tool(
        call_id=values[1] if isinstance(values[1], str) else None,
        name=TOOL_NAMES.get(name, name),
        detail=detail,
        child_session=child if isinstance(child, str) and child else None,
        agent_type=agent_type if isinstance(agent_type, str) else None,
    )


def prompt_text(part: Part) -> str | None:
    """What a user typed (text parts the client added itself are ``synthetic`` or ``ignored``)."""
    text, synthetic, ignored = part.values
    if synthetic is True or ignored is True:
        return None
    return _text(text, TEXT_LIMIT)


def is_image(part: Part) -> bool:
    mime = part.values[0]
    return isinstance(mime, str) and mime.startswith("image/")
