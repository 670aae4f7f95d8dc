"""pi's session lines: which we parse, and which fields of each we project.

pi (``@mariozechner/pi-coding-agent``) writes one JSONL file per session: a ``session`` header,
then entries (``message``, ``model_change``, ``thinking_level_change``, ``compaction``,
``custom`` …). OpenClaw runs pi's session manager, so its transcripts are the same lines. Cheap
substring tests of JSON *structure* pick the lines that matter before any JSON is parsed:

* ``A`` – an assistant ``message`` with ``usage``: one billed model request;
* ``U`` – a ``user`` message: a prompt (a turn starts);
* ``H`` – the ``session`` header: the session id, working directory and, for a fork, its parent;
* ``M`` – a ``model_change`` entry or a ``model-snapshot`` custom entry: the model (and
  provider) of the requests after it, for an assistant message that does not name its own.

Everything else (tool results — most of the bytes —, thinking-level changes, compactions, labels)
is counted, never parsed. A marker can sit in nested structure (a tool's details), so the
staging SQL checks each row's real top-level ``type`` and ``message.role``. pi writes compact
JSON; a line re-serialised with whitespace around its colons shows it at its first key and is
then classified by whitespace-tolerant patterns.

``scan.sql`` (DuckDB) and :func:`extract_line` (the tolerant reader) produce the same staging
rows; the counting rules live in ``stage.sql`` and ``setup.sql``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract, json_string

MARKERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("A", (('"role":"assistant"', '"usage"'),)),
    ("U", (('"role":"user"',),)),
    ("H", (('"type":"session"',),)),
    ("M", (('"type":"model_change"',), ('"customType":"model-snapshot"',))),
)
"""Line kind by marker, tested in this order: a kind matches when all strings of one of its
alternatives are in the line."""

LOOSE_PREFIX = 64
"""A line that is not compact JSON shows it at its first key, within this many characters."""
_WS = r"[ \t\r\n]"
"""JSON whitespace (the same class in Python's re and DuckDB's RE2)."""
LOOSE_HEAD = rf'"{_WS}*:{_WS}|"{_WS}+:'
LOOSE_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("A", (rf'"role"{_WS}*:{_WS}*"assistant"', r'"usage"')),
    ("U", (rf'"role"{_WS}*:{_WS}*"user"',)),
    ("H", (rf'"type"{_WS}*:{_WS}*"session"',)),
    ("M", (rf'"type"{_WS}*:{_WS}*"model_change"|"customType"{_WS}*:{_WS}*"model-snapshot"',)),
)
"""The same tests for a line with whitespace around its colons (all patterns must match)."""
TOOL_CALL = '"toolCall"'
"""Only an assistant line holding this string can have tool calls (the scan parses no others)."""

COMMON_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("timestamp", "$.timestamp"),
    ("id", "$.id"),
    ("role", "$.message.role"),
    ("message_ts", "$.message.timestamp"),
)
"""Fields every kind extracts first, at the same positions."""
ASSISTANT_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("model", "$.message.model"),
    ("model_id", "$.message.modelId"),
    ("provider", "$.message.provider"),
    ("input", "$.message.usage.input"),
    ("output", "$.message.usage.output"),
    ("cache_read", "$.message.usage.cacheRead"),
    ("cache_write", "$.message.usage.cacheWrite"),
    ("total", "$.message.usage.totalTokens"),
    ("response_id", "$.message.responseId"),
)
USER_FIELDS: tuple[tuple[str, str], ...] = COMMON_FIELDS
CONTENT_PATH = "$.message.content"
"""A user line also extracts its content as JSON text (a string or a list of blocks), last."""
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("cwd", "$.cwd"),
    ("parent", "$.parentSession"),
    ("branched_from", "$.branchedFrom"),
)
SWITCH_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("custom_type", "$.customType"),
    ("provider", "$.provider"),
    ("model_id", "$.modelId"),
    ("model", "$.model"),
    ("data_provider", "$.data.provider"),
    ("data_model_id", "$.data.modelId"),
    ("data_model", "$.data.model"),
)
FIELDS_BY_KIND: dict[str, tuple[tuple[str, str], ...]] = {
    "A": ASSISTANT_FIELDS,
    "U": USER_FIELDS,
    "H": HEADER_FIELDS,
    "M": SWITCH_FIELDS,
}
"""What one parse of a line extracts, by kind; the SQL addresses the values by position."""

TOOL_DETAIL_KEYS = ("command", "path", "file_path", "pattern", "url", "query", "task")
"""Keys of a tool call's ``arguments`` tried in order for its one-line detail."""
DETAIL_LIMIT = 300
TEXT_LIMIT = 400


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind`` (the user line's content
    comes right after its fields)."""
    if kind == "U" and name == "content":
        return len(USER_FIELDS) + 1
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


_LOOSE_HEAD = re.compile(LOOSE_HEAD)
_LOOSE = tuple(
    (kind, tuple(re.compile(pattern) for pattern in patterns)) for kind, patterns in LOOSE_MARKERS
)


def classify(text: str) -> str | None:
    """The kind of a raw line by its markers (None: not parsed); ``scan.sql`` makes the same
    tests in the same order."""
    for kind, alternatives in MARKERS:
        if any(all(marker in text for marker in markers) for markers in alternatives):
            return kind
    if _LOOSE_HEAD.search(text[:LOOSE_PREFIX]):
        for kind, patterns in _LOOSE:
            if all(pattern.search(text) for pattern in patterns):
                return kind
    return None


_STEPS = {
    kind: compile_paths([path for _, path in fields]) for kind, fields in FIELDS_BY_KIND.items()
}


def _json_text(value: Any) -> str | None:
    """What DuckDB's ``json_extract`` gives as text (None for a missing value)."""
    if value is None:
        return None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def tool_calls(content: Any) -> list[dict[str, str | None]]:
    """The ``toolCall`` blocks of an assistant message as ``{id, name, detail}`` (the command
    line, file path, pattern … of :data:`TOOL_DETAIL_KEYS`), as ``scan.sql`` reads them."""
    if not isinstance(content, list):
        return []
    calls = []
    for block in content:
        if not isinstance(block, dict) or block.get("type") != "toolCall":
            continue
        arguments = block.get("arguments")
        detail = None
        if isinstance(arguments, dict):
            detail = next(
                (
                    json_string(arguments[key])
                    for key in TOOL_DETAIL_KEYS
                    if arguments.get(key) is not None
                ),
                None,
            )
        calls.append(
            {
                "id": _string(block.get("id")),
                "name": _string(block.get("name")),
                "detail": detail[:DETAIL_LIMIT] if detail is not None else None,
            }
        )
    return calls


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else json_string(value)


def extract_line(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of one parsed line of ``kind``, as ``scan.sql`` extracts them; None
    when the line is not a JSON object."""
    if not isinstance(obj, dict):
        return None
    values = extract(obj, _STEPS[kind])
    overflow = None
    if kind == "U":
        message = obj.get("message")
        values.append(_json_text(message.get("content")) if isinstance(message, dict) else None)
    elif kind == "A":
        message = obj.get("message")
        overflow = tool_calls(message.get("content") if isinstance(message, dict) else None) or None
    return {"kind": kind, "x": values, "overflow": overflow}
