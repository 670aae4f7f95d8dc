"""Codex rollouts line by line: which lines are parsed, and which fields of each we project.

A rollout line is an envelope ``{"timestamp", "type", "payload"}``. Cheap substring tests of
JSON *structure* (``"type":"token_count"``; inside a JSON string every quote is escaped, so
content cannot fake them) pick the few kinds of line that matter before any JSON is parsed:

* ``M`` – ``session_meta``: the thread's identity, its parent (forks, subagents);
* ``C`` – ``turn_context``: the model and working directory of the requests that follow;
* ``T`` – ``event_msg`` ``token_count``: the thread's cumulative usage and rate limits;
* ``R`` – ``token_usage_record`` (≥ 0.151): one model response's usage;
* ``U`` – ``event_msg`` ``user_message`` / ``item_completed`` UserMessage: a human prompt;
* ``F`` – ``response_item`` ``function_call`` / ``custom_tool_call`` / ``local_shell_call``;
* ``I`` – ``inter_agent_communication`` with ``trigger_turn``: a subagent taking over its thread.

Everything else (tool output, reasoning, messages — most of the bytes) is counted, never parsed.
Nested structure can still hold a marker (a ``compacted`` line embeds response items), so the
staging SQL checks each row's real top-level ``type`` and payload ``type``.

``scan.sql`` (DuckDB) and :func:`extract_line` (the tolerant reader) both produce staging rows
of this shape; everything else happens once, in SQL (``threads.sql``, ``usage.sql``, ``rows.sql``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract

MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("T", ('"type":"token_count"',)),
    ("C", ('"type":"turn_context"',)),
    ("M", ('"type":"session_meta"',)),
    ("R", ('"type":"token_usage_record"',)),
    ("F", ('"type":"function_call"', '"type":"custom_tool_call"', '"type":"local_shell_call"')),
    ("U", ('"type":"user_message"',)),
)
"""Line kind by marker, tested in this order (the first kind with a marker in the line wins)."""
ITEM_COMPLETED = '"type":"item_completed"'
USER_ITEM = '"type":"UserMessage"'
INTER_AGENT = '"type":"inter_agent_communication"'
TRIGGER = '"trigger_turn":true'
SPACED_PREFIX = 64
"""Codex writes compact JSON; a line re-serialised with ``": "`` separators shows one right
after its first key, within this many characters, and is classified by spaced markers."""


def spaced(marker: str) -> str:
    return marker.replace('":', '": ')


ENVELOPE: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("timestamp", "$.timestamp"),
    ("ptype", "$.payload.type"),
)
SPAWN = "$.payload.source.subagent.thread_spawn"
META_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("id", "$.payload.id"),
    ("created", "$.payload.timestamp"),
    ("cwd", "$.payload.cwd"),
    ("forked_from", "$.payload.forked_from_id"),
    ("subagent", "$.payload.source.subagent"),
    ("spawn_parent", f"{SPAWN}.parent_thread_id"),
    ("spawn_forked_from", f"{SPAWN}.forked_from_id"),
    ("spawn_call", f"{SPAWN}.spawn_call_id"),
    ("spawn_role", f"{SPAWN}.agent_role"),
    ("spawn_nickname", f"{SPAWN}.agent_nickname"),
    ("parent_thread", "$.payload.parent_thread_id"),
    ("tree_session", "$.payload.session_id"),
    ("thread_source", "$.payload.thread_source"),
    ("agent_role", "$.payload.agent_role"),
    ("agent_nickname", "$.payload.agent_nickname"),
    ("model", "$.payload.model"),
)
CONTEXT_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("model", "$.payload.model"),
    ("cwd", "$.payload.cwd"),
)
USAGE_KEYS: tuple[tuple[str, str], ...] = (
    ("input", "input_tokens"),
    ("cached", "cached_input_tokens"),
    ("cache_write", "cache_write_input_tokens"),
    ("cache_creation", "cache_creation_input_tokens"),
    ("output", "output_tokens"),
    ("reasoning", "reasoning_output_tokens"),
)
"""Token fields of a Codex usage object (``cache_creation_input_tokens``: one fork's spelling
of ``cache_write_input_tokens``)."""
LIMITS = "$.payload.rate_limits"
TOKEN_COUNT_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    *((f"t_{name}", f"$.payload.info.total_token_usage.{key}") for name, key in USAGE_KEYS),
    *((f"l_{name}", f"$.payload.info.last_token_usage.{key}") for name, key in USAGE_KEYS),
    ("info_model", "$.payload.info.model"),
    ("model", "$.payload.model"),
    ("limit_id", f"{LIMITS}.limit_id"),
    ("limit_name", f"{LIMITS}.limit_name"),
    *(
        (f"{window[0]}_{name}", f"{LIMITS}.{window}.{key}")
        for window in ("primary", "secondary")
        for name, key in (
            ("used", "used_percent"),
            ("window", "window_minutes"),
            ("resets_at", "resets_at"),
            ("resets_in", "resets_in_seconds"),
        )
    ),
    ("plan", f"{LIMITS}.plan_type"),
)
RECORD_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("thread_id", "$.payload.thread_id"),
    ("response_id", "$.payload.response_id"),
    *((f"u_{name}", f"$.payload.usage.{key}") for name, key in USAGE_KEYS),
    ("model", "$.payload.model"),
)
PROMPT_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("message", "$.payload.message"),
    ("image", "$.payload.images[0]"),
    ("local_image", "$.payload.local_images[0]"),
    ("thread_id", "$.payload.thread_id"),
    ("item_type", "$.payload.item.type"),
    ("item_id", "$.payload.item.id"),
    *(
        (f"b{i}_{name}", f"$.payload.item.content[{i}].{name}")
        for i in range(3)
        for name in ("type", "text")
    ),
)
TOOL_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("name", "$.payload.name"),
    ("call_id", "$.payload.call_id"),
    ("id", "$.payload.id"),
    ("arguments", "$.payload.arguments"),
    ("input", "$.payload.input"),
    ("command", "$.payload.action.command"),
)
TRIGGER_FIELDS: tuple[tuple[str, str], ...] = (
    *ENVELOPE,
    ("trigger", "$.payload.trigger_turn"),
)
FIELDS_BY_KIND: dict[str, tuple[tuple[str, str], ...]] = {
    "M": META_FIELDS,
    "C": CONTEXT_FIELDS,
    "T": TOKEN_COUNT_FIELDS,
    "R": RECORD_FIELDS,
    "U": PROMPT_FIELDS,
    "F": TOOL_FIELDS,
    "I": TRIGGER_FIELDS,
}
"""What one parse of a line extracts, by line kind; the SQL addresses them by position."""


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind``."""
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


def classify(text: str) -> str | None:
    """The kind of a raw line by its markers (None: not parsed). ``scan.sql`` makes the same
    tests in the same order."""
    kind = _classify(text, lambda marker: marker)
    if kind is None and '": ' in text[:SPACED_PREFIX]:
        kind = _classify(text, spaced)
    return kind


def _classify(text: str, form: Callable[[str], str]) -> str | None:
    for kind, markers in MARKERS:
        if any(form(marker) in text for marker in markers):
            return kind
    if form(ITEM_COMPLETED) in text and form(USER_ITEM) in text:
        return "U"
    if form(INTER_AGENT) in text and form(TRIGGER) in text:
        return "I"
    return None


_STEPS = {
    kind: compile_paths([path for _, path in fields]) for kind, fields in FIELDS_BY_KIND.items()
}


def extract_line(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of one parsed line of ``kind``, as ``scan.sql`` extracts them; None
    when the line is not a JSON object."""
    if not isinstance(obj, dict):
        return None
    return {"kind": kind, "x": extract(obj, _STEPS[kind]), "overflow": None}
