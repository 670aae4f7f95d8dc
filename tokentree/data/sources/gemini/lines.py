"""The streaming chat format (``.jsonl``, Gemini CLI since 2026-04): which lines we parse and
which fields we project.

Line kinds, told apart by cheap substring tests before any JSON is parsed:

* ``M`` – the metadata line ``{sessionId, projectHash, startTime, lastUpdated, kind, …}``;
* ``G`` – a ``gemini`` message (model, ``tokens``, ``toolCalls``);
* ``U`` – a ``user`` message (a prompt candidate);
* anything else is counted and never parsed: ``{"$set": …}`` metadata updates (including
  checkpoints whose ``messages`` list replaces the conversation: every message in one was
  appended on its own line first), ``{"$rewindTo": id}`` (the rewound messages were billed and
  stay counted), ``info``/``error``/``warning`` notices.

The CLI appends a message again whenever it changes (tokens arrive, tool calls are added), so
one id has several lines; ``stage.sql`` collapses them. The markers are JSON *structure*
(``"type":"gemini"``): inside a string a quote is escaped, so content cannot fake them; nested
structure can (a tool's args), so the parse checks the top-level ``type`` and re-kinds.
``M``/``G`` fields are extracted as strings, ``U`` fields as JSON text (content may be a string
or a list of parts). The Python twin (:func:`classify`, :func:`extract_line`) produces what
``scan.sql`` produces, for the lines DuckDB cannot read.
"""

from __future__ import annotations

import json
from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract
from tokentree.data.sources.gemini import records

SPACED_PREFIX = 64
MARKERS = {
    "G": ('"type":"gemini"', '"type": "gemini"'),
    "U": ('"type":"user"', '"type": "user"'),
    "M": ('"projectHash"',),
}
UPDATE_PREFIX = '{"$'
"""``$set`` and ``$rewindTo`` lines start so (their only key): never parsed."""

GEMINI_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("id", "$.id"),
    ("timestamp", "$.timestamp"),
    ("model", "$.model"),
    ("tokens", "$.tokens"),
    ("input", "$.tokens.input"),
    ("output", "$.tokens.output"),
    ("cached", "$.tokens.cached"),
    ("thoughts", "$.tokens.thoughts"),
    ("tool", "$.tokens.tool"),
)
USER_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("id", "$.id"),
    ("timestamp", "$.timestamp"),
    ("display", "$.displayContent"),
    ("content", "$.content"),
)
META_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("session_id", "$.sessionId"),
    ("project_hash", "$.projectHash"),
    ("start", "$.startTime"),
    ("kind", "$.kind"),
    ("directories", "$.directories"),
)
FIELDS_BY_KIND = {"G": GEMINI_FIELDS, "U": USER_FIELDS, "M": META_FIELDS}
KIND_OF_TYPE = {"gemini": "G", "user": "U"}


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind``."""
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


def classify(text: str) -> str | None:
    """The kind of a raw line by its markers (None: not parsed)."""
    if text.startswith(UPDATE_PREFIX):
        return None
    for kind in ("G", "U", "M"):
        if any(marker in text for marker in MARKERS[kind]):
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


def extract_line(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of one parsed line of ``kind``, as ``scan.sql`` computes them (the
    line is re-kinded by its actual top-level type). None when it is not a JSON object."""
    if not isinstance(obj, dict):
        return None
    actual = obj.get("type")
    if kind in KIND_OF_TYPE.values() and isinstance(actual, str) and actual in KIND_OF_TYPE:
        kind = KIND_OF_TYPE[actual]
    if kind == "U":
        values = [_json_text(_at(obj, path)) for _, path in USER_FIELDS]
        return {"kind": kind, "x": values, "overflow": None}
    values = extract(obj, _STEPS[kind])
    overflow = None
    if kind == "G" and "toolCalls" in obj:
        overflow = records.tools(obj.get("toolCalls"))
    return {"kind": kind, "x": values, "overflow": overflow}


def _at(obj: dict[str, Any], path: str) -> Any:
    return obj.get(path[2:])
