"""The calls appended to a Claude Code transcript since an offset, read without DuckDB.

The statusline adds them to the summary until the next refresh counts them properly. This is
an estimate of the newest few calls, not a second implementation of the counting rules: it
takes assistant lines with usage from the main thread, keeps one entry per message id (the
largest output, as streaming snapshots grow), prices them with the rates the summary carries,
and leaves advisor consultations and subagent transcripts to the next refresh. Only whole
lines are read; a partial last line waits for its newline. Stdlib only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

MAX_BYTES = 8 * 1024 * 1024
"""A tail longer than this is not read (the summary is too old to patch; say so instead)."""


class TailCall(NamedTuple):
    id: str
    at: float
    model: str | None
    counts: tuple[int, int, int, int, int]
    """input, output, 5-minute cache writes, 1-hour cache writes, cache reads."""
    fast: bool = False

    @property
    def tokens(self) -> int:
        return sum(self.counts)


class Tail(NamedTuple):
    offset: int
    """Where the next read starts (after the last whole line)."""
    calls: dict[str, TailCall]
    complete: bool = True
    """False when the tail was too long to read (the calls are then missing)."""


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _epoch(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def parse_call(line: bytes) -> TailCall | None:
    """The call on one transcript line (None for anything else)."""
    if b'"assistant"' not in line or b'"usage"' not in line:
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("type") != "assistant":
        return None
    if record.get("isSidechain") or record.get("isApiErrorMessage"):
        return None
    message = record.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("usage"), dict):
        return None
    model = message.get("model") if isinstance(message.get("model"), str) else None
    call_id = message.get("id")
    at = _epoch(record.get("timestamp"))
    if model == "<synthetic>" or not isinstance(call_id, str) or at is None:
        return None
    usage = message["usage"]
    creation = usage.get("cache_creation")
    if isinstance(creation, dict) and (
        "ephemeral_5m_input_tokens" in creation or "ephemeral_1h_input_tokens" in creation
    ):
        write_5m = _count(creation.get("ephemeral_5m_input_tokens"))
        write_1h = _count(creation.get("ephemeral_1h_input_tokens"))
    else:
        write_5m, write_1h = _count(usage.get("cache_creation_input_tokens")), 0
    counts = (
        _count(usage.get("input_tokens")),
        _count(usage.get("output_tokens")),
        write_5m,
        write_1h,
        _count(usage.get("cache_read_input_tokens")),
    )
    return TailCall(call_id, at, model, counts, usage.get("speed") == "fast")


def read_tail(
    path: str, offset: int, calls: dict[str, TailCall] | None = None, max_bytes: int = MAX_BYTES
) -> Tail:
    """The calls on the whole lines of ``path`` after ``offset``, added to ``calls`` (those
    of an earlier read of the same tail). A file shorter than ``offset`` was replaced: nothing
    is read (the next refresh re-reads it)."""
    found = dict(calls or {})
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size < offset:
                return Tail(offset, {}, complete=False)
            if size - offset > max_bytes:
                return Tail(offset, found, complete=False)
            handle.seek(offset)
            data = handle.read(size - offset)
    except OSError:
        return Tail(offset, found, complete=False)
    end = data.rfind(b"\n") + 1
    for line in data[:end].splitlines():
        call = parse_call(line)
        if call is None:
            continue
        known = found.get(call.id)
        if known is None or call.counts[1] >= known.counts[1]:
            found[call.id] = call
    return Tail(offset + end, found)
