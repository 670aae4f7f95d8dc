"""One line of a feed: the fields read, and when a line is a valid usage record.

A feed line is one JSON object (docs/data-sources.md, "JSONL feed"). The DuckDB scan
(``scan.sql``) and the tolerant Python reader both extract the same fields as strings, the way
``json_extract_string`` renders them, judge them by the same rule and stage the same values:
:func:`staged` here, the ``feed_ok`` and ``feed_staged`` macros in ``setup.sql`` there (a test
holds the two to the same answers). A line that is JSON but not a valid record is counted as
skipped; ``stage.sql`` types the staged values into ``raw_calls``.

Rules, strict about what is required and lenient about how numbers are written:

* ``timestamp``: ISO-8601 with a UTC offset or ``Z`` (a time without an offset is ambiguous and
  rejected), or a non-negative epoch number whose magnitude tells its unit: below 1e11 seconds,
  below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds;
* ``model``: a non-empty value;
* ``input_tokens``, ``output_tokens`` (required) and ``cache_read_tokens``,
  ``cache_write_tokens``, ``cache_write_1h_tokens`` (when present and not null): non-negative
  numbers, as JSON numbers or strings; fractions are rounded to the nearest integer;
* ``cache_write_1h_tokens`` is the 1-hour part of ``cache_write_tokens`` and cannot exceed it;
* ``cached_included: true`` says ``input_tokens`` counts the cache reads and writes too
  (OpenAI's ``prompt_tokens``); they are subtracted, and cannot exceed it.

``reasoning_tokens`` and ``cost_usd`` are informational: an invalid value is ignored, never a
reason to skip the line.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract, json_string

FEED = "feed"
"""The format's name (one per source)."""
KIND = "F"
"""The staging kind of a record line."""

FIELDS: tuple[tuple[str, str], ...] = (
    ("timestamp", "$.timestamp"),
    ("model", "$.model"),
    ("input", "$.input_tokens"),
    ("output", "$.output_tokens"),
    ("cache_read", "$.cache_read_tokens"),
    ("cache_write", "$.cache_write_tokens"),
    ("cache_write_1h", "$.cache_write_1h_tokens"),
    ("reasoning", "$.reasoning_tokens"),
    ("cost", "$.cost_usd"),
    ("session_id", "$.session_id"),
    ("project", "$.project"),
    ("service", "$.service"),
    ("request_id", "$.request_id"),
    ("cached_included", "$.cached_included"),
    ("tools", "$.tools"),
)
"""What one parse of a line extracts; the SQL addresses the values by position."""
STAGED: tuple[str, ...] = (
    "timestamp",
    "model",
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "reasoning",
    "cost",
    "session_id",
    "project",
    "service",
    "request_id",
)
"""What a valid record stages (``x``): token counts as normalised integers (``input``
uncached, cache writes split by lifetime, ``reasoning`` only when it fits in ``output``),
the other values as extracted. ``stage.sql`` addresses them by position."""

NUMBER = r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"
"""A non-negative number as JSON writes it (also accepted inside a string)."""
ISO_TIME = (
    r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)"
)
"""ISO-8601 date and time with a UTC offset (the calendar date is checked by parsing)."""
EPOCH_LIMITS = (1e11, 1e14, 1e17)
"""Epoch numbers below these are seconds, milliseconds, microseconds; larger: nanoseconds."""
BIGINT_MAX = 2**63 - 1
MAX_DIGITS = 19
TOOLS_KEY = '"tools"'
DETAIL_LIMIT = 300

_NUMBER = re.compile(NUMBER)
_ISO_TIME = re.compile(ISO_TIME)
_STEPS = compile_paths([path for _, path in FIELDS])


def index(name: str) -> int:
    """1-based position of a field in :data:`FIELDS` (for the SQL)."""
    return [field for field, _ in FIELDS].index(name) + 1


def staged_index(name: str) -> int:
    """1-based position of a value in :data:`STAGED` (for the SQL)."""
    return STAGED.index(name) + 1


def number(text: str | None) -> int | None:
    """A token count as DuckDB casts it (``TRY_CAST(text AS BIGINT)``: rounded half away from
    zero), or None when ``text`` is not a non-negative number that fits."""
    if text is None or not _NUMBER.fullmatch(text):
        return None
    try:
        exact = Decimal(text)
        if exact.adjusted() > MAX_DIGITS:
            return None  # far beyond BIGINT (and never expanded into a huge integer)
        value = int(exact.to_integral_value(ROUND_HALF_UP))
    except (InvalidOperation, OverflowError):
        return None
    return value if value <= BIGINT_MAX else None


def valid_time(text: str | None) -> bool:
    if text is None:
        return False
    if _NUMBER.fullmatch(text):
        return number(text) is not None
    if not _ISO_TIME.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def staged(values: list[str | None]) -> list[str | None] | None:
    """The staged values (:data:`STAGED`) of extracted values (:data:`FIELDS` order), or None
    when they do not make a usage record."""
    fields = dict(zip((name for name, _ in FIELDS), values, strict=True))
    if not valid_time(fields["timestamp"]) or not fields["model"]:
        return None
    inp, out = number(fields["input"]), number(fields["output"])
    if inp is None or out is None:
        return None
    optional: list[int] = []
    for name in ("cache_read", "cache_write", "cache_write_1h"):
        text = fields[name]
        value = 0 if text is None else number(text)
        if value is None:
            return None
        optional.append(value)
    cache_read, cache_write, cache_write_1h = optional
    if cache_write_1h > cache_write:
        return None
    if fields["cached_included"] == "true":
        inp -= cache_read + cache_write
        if inp < 0:
            return None
    reasoning = number(fields["reasoning"])
    return [
        fields["timestamp"],
        fields["model"],
        str(inp),
        str(out),
        str(cache_read),
        str(cache_write - cache_write_1h),
        str(cache_write_1h),
        str(reasoning) if reasoning is not None and reasoning <= out else None,
        fields["cost"],
        fields["session_id"],
        fields["project"],
        fields["service"],
        fields["request_id"],
    ]


def valid(values: list[str | None]) -> bool:
    """Whether extracted values (in :data:`FIELDS` order) make a usage record."""
    return staged(values) is not None


# --------------------------------------------------------------------------------------------
# Python twin of scan.sql (tolerant fallback and appended tails)


def classify(text: str) -> str | None:
    """Every non-empty line is meant to be a record (an empty one is only counted)."""
    return KIND if text else None


def _tools(value: Any) -> list[dict[str, str | None]] | None:
    """``tools``: names, or objects with ``name`` (and ``id``, ``detail``); None if absent."""
    if not isinstance(value, list):
        return None
    tools = []
    for item in value:
        if isinstance(item, str):
            tools.append({"id": None, "name": item, "detail": None})
        elif isinstance(item, dict):
            name = json_string(item.get("name"))
            if name is not None:
                detail = json_string(item.get("detail"))
                tools.append(
                    {
                        "id": json_string(item.get("id")),
                        "name": name,
                        "detail": detail[:DETAIL_LIMIT] if detail is not None else None,
                    }
                )
    return tools


def parse(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of a record line, as ``scan.sql`` computes them; None when the line
    is not a valid record (it is then counted as skipped)."""
    if not isinstance(obj, dict):
        return None
    values = staged(extract(obj, _STEPS))
    if values is None:
        return None
    return {"kind": KIND, "x": values, "overflow": _tools(obj.get("tools"))}
