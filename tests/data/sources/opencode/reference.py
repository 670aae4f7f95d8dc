"""An independent, deliberately plain reader of OpenCode data (no tokentree imports): every row and
file parsed whole with ``sqlite3`` and ``json``, the counting rules of docs/counting.md written out
again, so tests compare tokentree with a second implementation.

Rules: an assistant message's calls are its ``step-finish`` parts (none: the message's own
tokens); a record's ``total`` says whether its ``output`` holds the reasoning and its ``input``
the cache; the same request found twice (a fork's copy, the legacy copy of a migrated message) is
one call; a subagent session's calls belong to its top-level session. A step is dated by its
part's time in the database when that lies within the message, else by the message.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Call:
    ts: datetime
    session: str
    sidechain: bool
    input: int
    output: int
    cache_read: int
    cache_write: int
    reasoning: int


def _n(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _ms(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return int(value * 1000 if value < 1e11 else value)


def usage(tokens: Any) -> tuple[int, int, int, int, int] | None:
    """(input, output, cache read, cache write, reasoning) in additive semantics."""
    if not isinstance(tokens, dict):
        return None
    inp, out, rea = _n(tokens.get("input")), _n(tokens.get("output")), _n(tokens.get("reasoning"))
    cache = tokens.get("cache") if isinstance(tokens.get("cache"), dict) else {}
    cr, cw = _n(cache.get("read")), _n(cache.get("write"))
    total = tokens.get("total")
    if isinstance(total, int | float) and total > 0:
        if total == inp + cr + cw + out + rea:
            pass
        elif total == inp + cr + cw + out:
            return inp, out, cr, cw, rea
        elif total == inp + out + rea and inp >= cr + cw:
            return inp - cr - cw, out + rea, cr, cw, rea
        elif total == inp + out and inp >= cr + cw:
            return inp - cr - cw, out, cr, cw, rea
    return inp, out + rea, cr, cw, rea


@dataclass
class _Message:
    id: str
    session: str
    data: dict[str, Any]
    parts: list[tuple[dict[str, Any], int | None]]  # (part, time the store recorded)


def _parse(blob: Any) -> Any:
    try:
        return json.loads(blob)
    except (TypeError, ValueError):
        return None


def _from_database(path: Path, parents: dict[str, str | None]) -> list[_Message]:
    uri = f"file:{path}?mode=ro" + ("" if Path(f"{path}-wal").exists() else "&immutable=1")
    db = sqlite3.connect(uri, uri=True)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    messages: list[_Message] = []
    if "session" in names:
        for sid, parent in db.execute("SELECT id, parent_id FROM session"):
            parents[sid] = parent
    if "message" in names:
        parts: dict[str, list[tuple[dict[str, Any], int | None]]] = {}
        if "part" in names:
            for mid, created, data in db.execute(
                "SELECT message_id, time_created, data FROM part ORDER BY message_id, id"
            ):
                obj = _parse(data)
                if isinstance(obj, dict):
                    parts.setdefault(mid, []).append((obj, _ms(created)))
        for mid, sid, data in db.execute("SELECT id, session_id, data FROM message ORDER BY id"):
            obj = _parse(data)
            if isinstance(obj, dict):
                messages.append(_Message(mid, sid, obj, parts.get(mid, [])))
    if "session_message" in names:
        for rid, sid, kind, data in db.execute(
            "SELECT id, session_id, type, data FROM session_message ORDER BY id"
        ):
            obj = _parse(data)
            if isinstance(obj, dict) and kind == "assistant":
                model = obj.get("model") if isinstance(obj.get("model"), dict) else {}
                obj = {
                    **obj,
                    "role": "assistant",
                    "modelID": model.get("id"),
                    "providerID": model.get("providerID"),
                }
                messages.append(_Message(rid, sid, obj, []))
    db.close()
    return messages


def _from_legacy(storage: Path, parents: dict[str, str | None]) -> list[_Message]:
    messages: list[_Message] = []
    for session_file in sorted((storage / "session").glob("*/*.json")):
        obj = _parse(session_file.read_bytes())
        if isinstance(obj, dict):
            parents.setdefault(session_file.stem, obj.get("parentID"))
    for message_file in sorted((storage / "message").glob("*/*.json")):
        obj = _parse(message_file.read_bytes())
        if not isinstance(obj, dict):
            continue
        mid = obj.get("id") or message_file.stem
        parts = []
        for part_file in sorted((storage / "part" / mid).glob("*.json")):
            part = _parse(part_file.read_bytes())
            if isinstance(part, dict):
                parts.append((part, None))
        messages.append(_Message(mid, obj.get("sessionID") or message_file.parent.name, obj, parts))
    return messages


def _top(session: str, parents: dict[str, str | None]) -> str:
    seen = {session}
    while parents.get(session) and parents[session] not in seen:
        session = parents[session]  # type: ignore[assignment]
        seen.add(session)
    return session


def read_calls(root: Path) -> list[Call]:
    """Every billed request of the OpenCode data directory ``root``, each once."""
    parents: dict[str, str | None] = {}
    messages: list[_Message] = []
    for name in sorted(os.listdir(root)):
        if re.fullmatch(r"opencode(-[A-Za-z0-9_.-]+)?\.db", name):
            messages += _from_database(root / name, parents)
    if (root / "storage").is_dir():
        messages += _from_legacy(root / "storage", parents)
    found: dict[tuple, Call] = {}
    for message in messages:
        data = message.data
        if data.get("role") not in ("assistant", None):
            continue
        time = data.get("time") if isinstance(data.get("time"), dict) else {}
        created, completed = _ms(time.get("created")), _ms(time.get("completed"))
        if created is None:
            continue
        steps = [(p, at) for p, at in message.parts if p.get("type") == "step-finish"]
        records = [(p.get("tokens"), at) for p, at in steps] or [(data.get("tokens"), None)]
        top = _top(message.session, parents)
        ident = (
            created,
            completed,
            data.get("providerID"),
            data.get("modelID"),
            data.get("agent") or data.get("mode"),
        )
        for number, (tokens, at) in enumerate(records, start=1):
            counts = usage(tokens)
            if counts is None or not any(counts[:4]):
                continue
            end = (completed or created + 86_400_000) + 1000
            when = at if at is not None and created <= at <= end else created
            call = Call(
                datetime.fromtimestamp(when / 1000, tz=UTC),
                top,
                top != message.session,
                *counts,
            )
            # the last step holds what the message's own tokens hold: keyed alike
            key = (*ident, "last" if number == len(records) else number, *counts)
            if key not in found or found[key].ts < call.ts:
                found[key] = call
    return list(found.values())


def day_totals(calls: list[Call]) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = days.setdefault(
            call.ts.date().isoformat(),
            {"calls": 0, "input": 0, "output": 0, "cache_read": 0, "cache_write": 0},
        )
        day["calls"] += 1
        for name in ("input", "output", "cache_read", "cache_write"):
            day[name] += getattr(call, name)
    return dict(sorted(days.items()))


def totals(root: Path) -> tuple[int, int, int, int, int]:
    """(calls, input, output, cache read, cache write) of the data directory ``root``."""
    calls = read_calls(root)
    return (
        len(calls),
        sum(c.input for c in calls),
        sum(c.output for c in calls),
        sum(c.cache_read for c in calls),
        sum(c.cache_write for c in calls),
    )
