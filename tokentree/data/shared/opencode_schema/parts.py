"""The fields of a message and of its parts that matter for counting, and how they are found.

A message's parts (``part`` rows of the database, ``storage/part/<messageID>/*.json`` files) are
read in id order (ids ascend with creation time). Only a few kinds matter:

* ``step-finish`` — one model request: its ``tokens`` and ``cost``;
* ``tool`` — a tool call: name, call id and the input field that says what it worked on (the
  ``task`` tool also names the subagent session it started in ``state.metadata.sessionId``);
* ``text`` / ``file`` / ``compaction`` — what a user message says (a turn's prompt).

Every field is a JSON path to a scalar. SQLite extracts them in the database reader
(``json_extract``, so neither the bulky tool outputs nor any JSON reach Python) and
:func:`values_of` extracts the same paths from a parsed legacy file, so both readers see the
same values (JSON ``true`` is ``1`` from SQLite: flags are read by truth value).
"""

from __future__ import annotations

from typing import Any

from tokentree.data.read.jsonfields import compile_paths, follow

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

TOKEN_PATHS = (
    "$.tokens.input",
    "$.tokens.output",
    "$.tokens.reasoning",
    "$.tokens.cache.read",
    "$.tokens.cache.write",
    "$.tokens.total",
    "$.cost",
)
"""A token record and its cost (a message's or a step's): see :func:`usage.billable`."""

MESSAGE_PATHS = (
    "$.role",
    "$.time.created",
    "$.time.completed",
    "$.modelID",
    "$.providerID",
    "$.model.id",
    "$.model.providerID",
    "$.agent",
    "$.mode",
    "$.path.cwd",
    "$.path.root",
    *TOKEN_PATHS,
)
"""A message's fields (v2 rows nest the model: ``model.id`` / ``model.providerID``)."""
(
    ROLE,
    CREATED,
    COMPLETED,
    MODEL_ID,
    PROVIDER_ID,
    NESTED_MODEL,
    NESTED_PROVIDER,
    AGENT,
    MODE,
    CWD,
    ROOT,
) = range(11)
TOKENS = 11
"""Where the token fields start in a message's values."""

PATHS: dict[str, tuple[str, ...]] = {
    "step-finish": TOKEN_PATHS,
    "tool": (
        "$.tool",
        "$.callID",
        *(f"$.state.input.{key}" for key in DETAIL_KEYS),
        "$.state.metadata.sessionId",
    ),
    "text": ("$.text", "$.synthetic", "$.ignored"),
    "file": ("$.mime",),
    "compaction": ("$.auto",),
}
"""The fields of each part type used."""
WIDTH = max(len(paths) for paths in PATHS.values())
"""Values per part from SQLite (a type with fewer fields has NULLs after them)."""
_CHILD = len(PATHS["tool"]) - 1
_AGENT_TYPE = 2 + DETAIL_KEYS.index("subagent_type")
_COMPILED = {kind: compile_paths(paths) for kind, paths in PATHS.items()}
_MESSAGE = compile_paths(MESSAGE_PATHS)

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


Part = tuple[str, tuple[Any, ...], Any]
"""(type, values at ``PATHS[type]`` — from SQLite padded to :data:`WIDTH` —, the raw time the
store recorded it or None): a plain tuple, as there is one per part."""


def message_values(obj: dict[str, Any]) -> tuple[Any, ...]:
    """A parsed message's values at :data:`MESSAGE_PATHS`."""
    return tuple(follow(obj, steps) for steps in _MESSAGE)


def from_object(obj: Any, time: Any = None) -> Part | None:
    """A part from a parsed JSON object (None: a type we do not use, or not a part)."""
    if not isinstance(obj, dict):
        return None
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in _COMPILED:
        return None
    return kind, tuple(follow(obj, steps) for steps in _COMPILED[kind]), time


def _text(value: Any, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


Tool = tuple[str | None, str, str | None, str | None, str | None]
"""(call id, name, detail, the subagent session a ``task`` call started, its agent type)."""


def tool(values: tuple[Any, ...]) -> Tool | None:
    """A tool part's values as a :data:`Tool` (None: no tool name)."""
    name = values[0]
    if not isinstance(name, str) or not name:
        return None
    detail = None
    for value in values[2 : 2 + len(DETAIL_KEYS)]:
        if isinstance(value, str) and value:
            detail = value[:DETAIL_LIMIT]
            break
    call_id, child, agent_type = values[1], values[_CHILD], values[_AGENT_TYPE]
    return (
        call_id if isinstance(call_id, str) else None,
        TOOL_NAMES.get(name, name),
        detail,
        child if isinstance(child, str) and child else None,
        agent_type if isinstance(agent_type, str) else None,
    )


def prompt_text(values: tuple[Any, ...]) -> str | None:
    """What a user typed (text parts the client added itself are ``synthetic`` or ``ignored``)."""
    text, synthetic, ignored = values[:3]
    if synthetic or ignored:
        return None
    return _text(text, TEXT_LIMIT)


def is_image(values: tuple[Any, ...]) -> bool:
    mime = values[0]
    return isinstance(mime, str) and mime.startswith("image/")
