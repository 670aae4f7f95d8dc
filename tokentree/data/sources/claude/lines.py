"""Claude Code transcripts: where they live and which fields of a line we project.

Every line of a transcript is classified by cheap substring tests before any JSON is parsed:

* ``A`` – an ``assistant`` line: parsed once for :data:`ASSISTANT_FIELDS`;
* ``P`` – an ``agent_progress`` line carrying a copy of a subagent's assistant message (its
  markers make it look like ``A`` or ``U``; the parse finds its top-level ``progress`` type and it
  is parsed again for the same fields of the copy, :data:`PROGRESS_FIELDS`); when the subagent's
  own transcript is missing, these copies are the only record of its calls;
* ``U`` – a ``user`` line without a ``tool_result`` block (a prompt candidate): :data:`USER_FIELDS`;
* ``S`` – a ``compact_boundary`` system line: :data:`SYSTEM_FIELDS`;
* anything else (tool output, snapshots, progress lines without a copied message …) is counted
  and never parsed.

The substrings are JSON *structure* (``"type":"assistant"``); inside a JSON string a quote is
always escaped, so they cannot appear in content. They may appear in nested structure (a
``progress`` line embeds assistant messages), which is why the top-level ``type`` is checked after
parsing. Claude Code writes compact JSON; a line re-serialised with whitespace around its colons
(``"type": "assistant"``, ``"type" : "assistant"``, tabs) shows it at its first key and is then
recognised by whitespace-tolerant markers instead.

The DuckDB scan (``scan.sql``) and the tolerant Python reader (:func:`extract_line`) both
produce rows of the same *staging* shape; all typing, classification and counting happens
afterwards in SQL (``stage.sql``), once, for both.
"""

from __future__ import annotations

import re
from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract, follow, json_string

MARK_TOOL_RESULT = '"type":"tool_result"'
MARK_ASSISTANT = '"type":"assistant"'
MARK_USER = '"type":"user"'
MARK_COMPACT = '"subtype":"compact_boundary"'
MARK_IMAGE = '"type":"image"'

LOOSE_PREFIX = 64
"""A line that is not compact JSON shows it at its first key, within this many characters."""
_WS = r"[ \t\r\n]"
"""JSON whitespace (the same class in Python's re and DuckDB's RE2)."""
LOOSE_HEAD = rf'"{_WS}*:{_WS}|"{_WS}+:'
"""Whitespace before or after a key's colon in a line's head: the line is not compact JSON."""
LOOSE_ASSISTANT = rf'"type"{_WS}*:{_WS}*"assistant"'
LOOSE_USER = rf'"type"{_WS}*:{_WS}*"user"'
LOOSE_COMPACT = rf'"subtype"{_WS}*:{_WS}*"compact_boundary"'
_LOOSE_HEAD = re.compile(LOOSE_HEAD)
_LOOSE_ASSISTANT = re.compile(LOOSE_ASSISTANT)
_LOOSE_USER = re.compile(LOOSE_USER)
_LOOSE_COMPACT = re.compile(LOOSE_COMPACT)

SNAPSHOT_PREFIX = '{"type":"file-history-snapshot"'
"""How a snapshot line starts (its type is its first key): the largest lines of a transcript,
never parsed, not even searched for markers."""

TOOL_DETAIL_KEYS = (
    "command",
    "file_path",
    "notebook_path",
    "pattern",
    "url",
    "query",
    "path",
    "subagent_type",
    "description",
)
"""Keys of a tool's ``input`` tried in order for its one-line detail (command, file, pattern …)."""

COMMON_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("timestamp", "$.timestamp"),
    ("session_id", "$.sessionId"),
    ("is_sidechain", "$.isSidechain"),
    ("cwd", "$.cwd"),
    ("uuid", "$.uuid"),
    ("agent_id", "$.agentId"),
)
ASSISTANT_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("message_id", "$.message.id"),
    ("request_id", "$.requestId"),
    ("model", "$.message.model"),
    ("input", "$.message.usage.input_tokens"),
    ("output", "$.message.usage.output_tokens"),
    ("cache_read", "$.message.usage.cache_read_input_tokens"),
    ("cache_creation", "$.message.usage.cache_creation_input_tokens"),
    ("cache_write_5m", "$.message.usage.cache_creation.ephemeral_5m_input_tokens"),
    ("cache_write_1h", "$.message.usage.cache_creation.ephemeral_1h_input_tokens"),
    ("speed", "$.message.usage.speed"),
    ("iterations", "$.message.usage.iterations"),
    ("is_api_error", "$.isApiErrorMessage"),
    ("b0_type", "$.message.content[0].type"),
    ("b0_id", "$.message.content[0].id"),
    ("b0_name", "$.message.content[0].name"),
    ("b1_type", "$.message.content[1].type"),
    *((f"in_{key}", f"$.message.content[0].input.{key}") for key in TOOL_DETAIL_KEYS),
)
"""Claude Code writes one content block per assistant line; a line with a second block
(``b1_type``) has all its blocks read by the slower full-content path. ``iterations`` holds the
``advisor_message`` entries billed apart from the top-level usage (stage.sql)."""

COPY = "$.data.message"
"""Where an ``agent_progress`` line keeps its copy of a subagent line (``type``, ``timestamp``,
``message``, ``requestId``, ``uuid``)."""
_COPY_PATHS = {
    "$.type": f"{COPY}.type",
    "$.timestamp": f"{COPY}.timestamp",
    "$.uuid": f"{COPY}.uuid",
    "$.agentId": "$.data.agentId",
    "$.requestId": f"{COPY}.requestId",
    "$.isApiErrorMessage": f"{COPY}.isApiErrorMessage",
}
"""Paths of a copy that differ from the subagent line's; the session, working directory and
branch are the progress line's own (the parent session's)."""


def _copy_path(path: str) -> str:
    if path.startswith("$.message."):
        return COPY + path[1:]
    return _COPY_PATHS.get(path, path)


PROGRESS_FIELDS: tuple[tuple[str, str], ...] = (
    *((name, _copy_path(path)) for name, path in ASSISTANT_FIELDS),
    ("progress_type", "$.data.type"),
)
"""The assistant fields of an ``agent_progress`` copy, at the same positions as in
:data:`ASSISTANT_FIELDS` (stage.sql reads both kinds alike), and the progress line's own
``data.type``."""
USER_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("is_meta", "$.isMeta"),
    ("is_compact_summary", "$.isCompactSummary"),
    ("content", "$.message.content"),
    ("b0_type", "$.message.content[0].type"),
    ("b0_text", "$.message.content[0].text"),
    ("b1_type", "$.message.content[1].type"),
    ("b1_text", "$.message.content[1].text"),
    ("b2_type", "$.message.content[2].type"),
    ("b2_text", "$.message.content[2].text"),
)
SYSTEM_FIELDS: tuple[tuple[str, str], ...] = (
    *COMMON_FIELDS,
    ("subtype", "$.subtype"),
    ("pre_tokens", "$.compactMetadata.preTokens"),
    ("trigger", "$.compactMetadata.trigger"),
)
FIELDS_BY_KIND = {
    "A": ASSISTANT_FIELDS,
    "P": PROGRESS_FIELDS,
    "U": USER_FIELDS,
    "S": SYSTEM_FIELDS,
}
"""What one parse of a line extracts, by line kind; the SQL addresses them by position."""
KIND_OF_TYPE = {"assistant": "A", "user": "U", "system": "S", "progress": "P"}
"""The kind of a line by its real top-level ``type`` (a line is re-kinded after parsing)."""
CONTENT_PATH = {"A": ("message", "content"), "P": ("data", "message", "message", "content")}
"""Where the content blocks of a line of kind A or P are."""


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind``."""
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


DETAIL_LIMIT = 300
TEXT_LIMIT = 400


# --------------------------------------------------------------------------------------------
# Python emulation of the SQL extraction (tolerant fallback and tail reads)


def classify(text: str) -> str | None:
    """The tentative kind of a raw line by its markers: ``A`` assistant, ``U`` user, ``S`` system
    (compact boundary) or None (not parsed; tool results and snapshots never are). The parse
    checks the real top-level type (:func:`extract_line`)."""
    if text.startswith(SNAPSHOT_PREFIX) or MARK_TOOL_RESULT in text:
        return None
    if MARK_ASSISTANT in text:
        return "A"
    if MARK_USER in text:
        return "U"
    if MARK_COMPACT in text:
        return "S"
    return _classify_loose(text) if _LOOSE_HEAD.search(text[:LOOSE_PREFIX]) else None


def _classify_loose(text: str) -> str | None:
    """The tentative kind of a line that is not compact JSON; the parse that follows checks the
    real top-level type (a tool result parses as a user line, not a prompt; a progress line
    becomes ``P``)."""
    if _LOOSE_ASSISTANT.search(text):
        return "A"
    if _LOOSE_USER.search(text):
        return "U"
    return "S" if _LOOSE_COMPACT.search(text) else None


_STEPS = {
    kind: compile_paths([path for _, path in fields]) for kind, fields in FIELDS_BY_KIND.items()
}


def _detail(tool_input: Any) -> str | None:
    if not isinstance(tool_input, dict):
        return None
    for key in TOOL_DETAIL_KEYS:
        value = json_string(tool_input.get(key))
        if value is not None:
            return value[:DETAIL_LIMIT]
    return None


def _tools(content: list[Any]) -> list[dict[str, str | None]]:
    return [
        {
            "id": json_string(block.get("id")),
            "name": json_string(block.get("name")),
            "detail": _detail(block.get("input")),
        }
        for block in content
        if isinstance(block, dict) and block.get("type") == "tool_use"
    ]


def extract_line(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of one parsed line of ``kind`` (A/P/U/S), as ``scan.sql`` computes
    them: a line classified A/U/S is re-kinded by its actual top-level type. None when the line
    is not a JSON object."""
    if not isinstance(obj, dict):
        return None
    if kind != "P":
        line_type = obj.get("type")
        actual = KIND_OF_TYPE.get(line_type) if isinstance(line_type, str) else None
        if actual is not None and actual != kind:
            kind = actual
    values = extract(obj, _STEPS[kind])
    overflow = None
    b1_type = values[index(kind, "b1_type") - 1] if kind in CONTENT_PATH else None
    if b1_type is not None and values[0] == "assistant":
        content = follow(obj, CONTENT_PATH[kind])
        overflow = _tools(content) if isinstance(content, list) else []
    return {"kind": kind, "x": values, "overflow": overflow}
