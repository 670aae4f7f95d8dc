"""The wire log's lines we read, and the fields we take from them.

Each line is ``{"timestamp": <epoch seconds>, "message": {"type": …, "payload": {…}}}`` (the
first is ``{"type": "metadata", "protocol_version": …}``). Kimi CLI writes it with Python's
``json.dumps`` (``", "`` and ``": "`` separators). We parse lines naming one of:

* ``StatusUpdate`` — after every model step, ``token_usage {input_other, output,
  input_cache_read, input_cache_creation}`` (``input_other`` excludes the cache; ``output``
  includes thinking) and the response's ``message_id``; other status updates (plan mode, MCP
  progress, context after ``/compact``) carry ``token_usage: null``;
* ``ToolCall`` — a tool the step called (``id``, ``function {name, arguments}``), written before
  the step's ``StatusUpdate``;
* ``TurnBegin`` — the user's input (a turn);
* each of them wrapped in a ``SubagentEvent`` (``agent_id``, ``event {type, payload}``): a
  subagent's events relayed into its parent's log, which the subagent also writes to its own.

Every parsed line yields the same list of strings (:data:`FIELDS`), as DuckDB's
``json_extract_string`` renders them; ``stage.sql`` gives them meaning. The Python twin
(:func:`classify`, :func:`parse`) gives the tolerant reader the same values.
"""

from __future__ import annotations

from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract

KIND = "K"
MARKERS = ('"StatusUpdate"', '"ToolCall"', '"TurnBegin"')
"""A line naming none of these is counted, never parsed (a marker inside a string is escaped,
so content cannot fake one; a false positive is only parsed for nothing)."""

_MESSAGE = "$.message.payload"
_EVENT = "$.message.payload.event.payload"

FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.message.type"),
    ("timestamp", "$.timestamp"),
    ("message_id", f"{_MESSAGE}.message_id"),
    ("usage", f"{_MESSAGE}.token_usage"),
    ("input_other", f"{_MESSAGE}.token_usage.input_other"),
    ("output", f"{_MESSAGE}.token_usage.output"),
    ("cache_read", f"{_MESSAGE}.token_usage.input_cache_read"),
    ("cache_creation", f"{_MESSAGE}.token_usage.input_cache_creation"),
    ("total", f"{_MESSAGE}.token_usage.total"),
    ("user_input", f"{_MESSAGE}.user_input"),
    ("tool_id", f"{_MESSAGE}.id"),
    ("tool_name", f"{_MESSAGE}.function.name"),
    ("tool_args", f"{_MESSAGE}.function.arguments"),
    ("agent_id", f"{_MESSAGE}.agent_id"),
    ("e_type", "$.message.payload.event.type"),
    ("e_message_id", f"{_EVENT}.message_id"),
    ("e_usage", f"{_EVENT}.token_usage"),
    ("e_input_other", f"{_EVENT}.token_usage.input_other"),
    ("e_output", f"{_EVENT}.token_usage.output"),
    ("e_cache_read", f"{_EVENT}.token_usage.input_cache_read"),
    ("e_cache_creation", f"{_EVENT}.token_usage.input_cache_creation"),
    ("e_total", f"{_EVENT}.token_usage.total"),
    ("e_user_input", f"{_EVENT}.user_input"),
    ("e_tool_id", f"{_EVENT}.id"),
    ("e_tool_name", f"{_EVENT}.function.name"),
    ("e_tool_args", f"{_EVENT}.function.arguments"),
)
_STEPS = compile_paths([path for _, path in FIELDS])


def index(name: str) -> int:
    """1-based position of a field in :data:`FIELDS` (for the SQL)."""
    return [field for field, _ in FIELDS].index(name) + 1


def paths_sql() -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in FIELDS) + "]"


def classify(text: str) -> str | None:
    return KIND if any(marker in text for marker in MARKERS) else None


def parse(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of a parsed line, as ``scan.sql`` extracts them (JSON that is not an
    object yields no values, as in DuckDB)."""
    return {"kind": KIND, "x": extract(obj, _STEPS), "overflow": None}
