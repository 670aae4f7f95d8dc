"""Claude Code transcripts: where they live and which fields of a line we project.

Every line of a transcript is classified by cheap substring tests before any JSON is parsed:

* ``A`` – an ``assistant`` line: parsed once for :data:`ASSISTANT_FIELDS`;
* ``U`` – a ``user`` line without a ``tool_result`` block (a prompt candidate): :data:`USER_FIELDS`;
* ``S`` – a ``compact_boundary`` system line: :data:`SYSTEM_FIELDS`;
* anything else (tool output, progress copies, snapshots …) is counted and never parsed.

The substrings are JSON *structure* (``"type":"assistant"``); inside a JSON string a quote is
always escaped, so they cannot appear in content. They may appear in nested structure (a
``progress`` line embeds assistant messages), which is why the top-level ``type`` is checked after
parsing.

The DuckDB scan (``scan.sql``) and the tolerant Python reader (:func:`extract_line`) both
produce rows of the same *staging* shape; all typing, classification and counting happens
afterwards in SQL (``stage.sql``), once, for both.
"""

from __future__ import annotations

import re
from typing import Any

from tokentree.data.jsonfields import compile_paths, extract, json_string

MARK_TOOL_RESULT = '"type":"tool_result"'
MARK_ASSISTANT = '"type":"assistant"'
MARK_USER = '"type":"user"'
MARK_COMPACT = '"subtype":"compact_boundary"'
MARK_IMAGE = '"type":"image"'
MARK_SPACED = '": '
SPACED_PREFIX = 64
"""Claude Code writes compact JSON; a line re-serialised with ``": "`` separators (e.g. by
Python's ``json.dumps``) shows one right after its first key, within this many characters,
and is then recognised by the spaced markers below instead of being ignored."""
SPACED_ASSISTANT = '"type": "assistant"'
SPACED_USER = '"type": "user"'
SPACED_COMPACT = '"subtype": "compact_boundary"'

TOP_LEVEL_SKIP = (
    r'^\{(?:"[^"\\]*":(?:"(?:[^"\\]|\\.)*"|[-0-9.eE+]+|true|false|null),)*'
    r'"type":"(?:progress|file-history-snapshot|queue-operation)"'
)
"""A line whose leading scalar key/value pairs include a top-level ``type`` that never carries
usage. Anchored at the start and matching only scalar values, it cannot be fooled by nested
structure: an ``agent_progress`` line (which embeds copies of subagent messages, ~10% of the
bytes) is recognised and not parsed; anything it does not recognise is parsed as usual."""
_TOP_LEVEL_SKIP = re.compile(TOP_LEVEL_SKIP)

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
    ("is_api_error", "$.isApiErrorMessage"),
    ("git_branch", "$.gitBranch"),
    ("b0_type", "$.message.content[0].type"),
    ("b0_id", "$.message.content[0].id"),
    ("b0_name", "$.message.content[0].name"),
    ("b1_type", "$.message.content[1].type"),
    *((f"in_{key}", f"$.message.content[0].input.{key}") for key in TOOL_DETAIL_KEYS),
)
"""Claude Code writes one content block per assistant line; a line with a second block
(``b1_type``) has all its blocks read by the slower full-content path."""
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
FIELDS_BY_KIND = {"A": ASSISTANT_FIELDS, "U": USER_FIELDS, "S": SYSTEM_FIELDS}
"""What one parse of a line extracts, by line kind; the SQL addresses them by position."""
KIND_OF_TYPE = {"assistant": "A", "user": "U", "system": "S"}


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind``."""
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


DETAIL_LIMIT = 300
TEXT_LIMIT = 400


# --------------------------------------------------------------------------------------------
# Python emulation of the SQL extraction (tolerant fallback and tail reads)


def classify(text: str) -> str | None:
    """The line kind of a raw line by its markers: ``A`` assistant, ``U`` user, ``S`` system
    (compact boundary) or None (not parsed; tool results are never parsed)."""
    if MARK_TOOL_RESULT in text:
        return None
    has_assistant = MARK_ASSISTANT in text
    has_user = MARK_USER in text
    has_compact = MARK_COMPACT in text
    if not (has_assistant or has_user or has_compact):
        return _classify_spaced(text) if MARK_SPACED in text[:SPACED_PREFIX] else None
    if _TOP_LEVEL_SKIP.match(text):
        return None
    return "A" if has_assistant else "U" if has_user else "S"


def _classify_spaced(text: str) -> str | None:
    """The tentative kind of a line written with spaced separators; the parse that follows
    checks the real top-level type (a spaced tool result parses as a user line, not a prompt)."""
    if SPACED_ASSISTANT in text:
        return "A"
    if SPACED_USER in text:
        return "U"
    return "S" if SPACED_COMPACT in text else None


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
    """The staging fields of one parsed line of ``kind`` (A/U/S), as ``scan.sql`` computes
    them: the line is re-kinded by its actual top-level type. None when the line is not a JSON
    object."""
    if not isinstance(obj, dict):
        return None
    line_type = obj.get("type")
    actual = KIND_OF_TYPE.get(line_type) if isinstance(line_type, str) else None
    if actual is not None and actual != kind:
        kind = actual
    values = extract(obj, _STEPS[kind])
    overflow = None
    if kind == "A" and values[0] == "assistant" and values[index("A", "b1_type") - 1] is not None:
        message = obj.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        overflow = _tools(content) if isinstance(content, list) else []
    return {"kind": kind, "x": values, "overflow": overflow}
