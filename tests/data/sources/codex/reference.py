"""An independent, deliberately plain reader of Codex rollouts.

It shares no code with tokentree: ``json.loads`` line by line and the counting rules of
docs/counting.md ("Codex CLI") written out as one loop per file, so tests compare tokentree's
numbers with a second implementation rather than with values copied from tokentree.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import zstandard

FIELDS = ("input_tokens", "cached_input_tokens", "cache_write_input_tokens", "output_tokens")
REVIEW_DEFAULTS = (
    ("2025-08-07", "gpt-5"),
    ("2025-09-15", "gpt-5-codex"),
    ("2025-11-13", "gpt-5.1-codex"),
    ("2025-12-11", "gpt-5.2-codex"),
    ("2026-02-05", "gpt-5.3-codex"),
    ("2026-03-05", "gpt-5.4"),
    ("2026-04-23", "gpt-5.5"),
)


@dataclass
class Call:
    key: tuple | None
    main: bool
    session: str
    thread: str
    ts: datetime
    model: str
    input: int
    cache_read: int
    cache_write: int
    output: int
    reasoning: int
    tools: list[tuple[str, str | None]] = field(default_factory=list)


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        return max(int(float(value)), 0)
    except ValueError:
        return 0


def _vector(usage: object) -> tuple[int, int, int, int, int] | None:
    """(input, cached, cache write, output, reasoning) of a usage object, None if absent."""
    if not isinstance(usage, dict) or not any(
        k in usage for k in ("input_tokens", "output_tokens", "cached_input_tokens")
    ):
        return None
    write = usage.get("cache_write_input_tokens", usage.get("cache_creation_input_tokens"))
    return (
        _int(usage.get("input_tokens")),
        _int(usage.get("cached_input_tokens")),
        _int(write),
        _int(usage.get("output_tokens")),
        _int(usage.get("reasoning_output_tokens")),
    )


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def rollouts(homes: list[Path]) -> list[Path]:
    """The rollout files read: one copy per name and home, plain before .zst, sessions/ before
    archived_sessions/."""
    chosen: list[Path] = []
    for home in homes:
        best: dict[str, tuple[int, Path]] = {}
        for rank_dir, folder in enumerate(("sessions", "archived_sessions")):
            for directory, _, names in sorted(os.walk(home / folder)):
                for name in sorted(names):
                    if not name.startswith("rollout-"):
                        continue
                    if not (name.endswith(".jsonl") or name.endswith(".jsonl.zst")):
                        continue
                    rank = 2 * rank_dir + name.endswith(".zst")
                    key = name.removesuffix(".zst")
                    if key not in best or rank < best[key][0]:
                        best[key] = (rank, Path(directory, name))
        chosen += sorted(path for _, path in best.values())
    return chosen


def _lines(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    parsed = []
    for raw in data.split(b"\n"):
        try:
            obj = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            obj = None
        parsed.append(obj if isinstance(obj, dict) else {})
    return parsed


def _shell(argv: list) -> str:
    if len(argv) >= 3 and argv[1] in ("-c", "-lc", "-cl") and str(argv[0]).endswith("sh"):
        return str(argv[-1])
    return " ".join(str(a) for a in argv)


def _detail(payload: dict) -> str | None:
    if payload.get("type") == "local_shell_call":
        command = (payload.get("action") or {}).get("command")
        return _shell(command) if isinstance(command, list) else None
    if payload.get("type") == "custom_tool_call":
        text = payload.get("input") if isinstance(payload.get("input"), str) else ""
        if payload.get("name") == "apply_patch":
            for row in text.splitlines():
                for verb in ("Add", "Update", "Delete"):
                    if row.startswith(f"*** {verb} File: "):
                        return row.split(": ", 1)[1]
            return None
        return text.strip().splitlines()[0] if text.strip() else None
    try:
        args = json.loads(payload.get("arguments") or "")
    except ValueError:
        return None
    if not isinstance(args, dict):
        return None
    if payload.get("name") == "apply_patch":
        return _detail(
            {"type": "custom_tool_call", "name": "apply_patch", "input": args.get("input")}
        )
    command = args.get("command")
    if isinstance(command, list):
        return _shell(command)
    for key in ("command", "cmd", "file_path", "path", "pattern", "url", "query"):
        if isinstance(args.get(key), str):
            return args[key]
    return None


def read_file(path: Path) -> list[Call]:
    """The billed requests of one rollout, in order."""
    lines = _lines(path)
    metas = [
        (i, o.get("payload") or {}) for i, o in enumerate(lines) if o.get("type") == "session_meta"
    ]
    owner_at, owner = metas[0] if metas else (-1, {})
    thread = owner.get("id") or f"file:{path.name}"
    source = owner.get("source")
    spawn = {}
    subagent = isinstance(source, dict) and "subagent" in source
    if subagent and isinstance(source["subagent"], dict):
        spawn = source["subagent"].get("thread_spawn") or {}
    subagent = subagent or owner.get("thread_source") == "subagent"
    forked_from = owner.get("forked_from_id") or spawn.get("forked_from_id")
    tree = owner.get("session_id") if owner.get("session_id") != owner.get("id") else None
    parent = None
    if subagent:
        parent = (
            spawn.get("parent_thread_id") or owner.get("parent_thread_id") or tree or forked_from
        )
    session = (tree or parent) if parent else thread
    later = [(i, p.get("id")) for i, p in metas if i > owner_at]
    foreign = min((i for i, other in later if other != thread), default=None)
    repeat = min((i for i, other in later if other == thread), default=None)
    triggers = [
        i
        for i, o in enumerate(lines)
        if i > owner_at
        and o.get("type") == "inter_agent_communication"
        and (o.get("payload") or {}).get("trigger_turn") is True
    ]
    marker = min(
        [m for m in (repeat, triggers[0] if triggers else None) if m is not None], default=None
    )
    lineage = bool(forked_from or subagent or owner.get("parent_thread_id") or foreign is not None)
    created = _time(owner.get("timestamp"))
    meta_time = _time(lines[owner_at].get("timestamp")) if owner_at >= 0 else None

    events = []  # (index, ts, total, last, payload)
    for i, o in enumerate(lines):
        p = o.get("payload") or {}
        if o.get("type") == "event_msg" and p.get("type") == "token_count":
            info = p.get("info") or {}
            total = _vector(info.get("total_token_usage"))
            last = _vector(info.get("last_token_usage"))
            if total or last:
                events.append((i, _time(o.get("timestamp")), total, last, p, info))

    copy_end = None
    if lineage and events:
        i, ts, total, last, _, _ = events[0]
        copied = (
            (foreign is not None and i > foreign)
            or (total is not None and last is not None and total != last)
            or (ts is not None and created is not None and ts < created)
        )
        if copied and marker is not None:
            copy_end = marker
        elif copied:
            previous = meta_time
            burst_last = None
            for i, ts, *_ in events:
                inside = ts is not None and (
                    (created is not None and ts < created)
                    or ts <= (previous or ts) + timedelta(seconds=1)
                )
                if not inside:
                    break
                burst_last, previous = i, ts
            copy_end = burst_last + 1 if burst_last is not None else events[0][0]
    elif foreign is not None and not events:
        copy_end = marker
    own = (lambda i: True) if copy_end is None else (lambda i: i >= copy_end)

    records = [
        (i, o)
        for i, o in enumerate(lines)
        if o.get("type") == "token_usage_record"
        and own(i)
        and (o.get("payload") or {}).get("thread_id") in (None, thread)
    ]
    first_record = records[0][0] if records else None

    billed = []  # (index, ts, vector, key, model hint)
    previous_total = None
    for i, ts, total, last, p, info in events:
        if total is None:
            usage = last
        elif previous_total is None:
            usage = last or total
        elif total == previous_total:
            usage = None
        elif any(a < b for a, b in zip(total, previous_total, strict=True)) or total == last:
            usage = last or total
        else:
            usage = tuple(a - b for a, b in zip(total, previous_total, strict=True))
        if total is not None:
            previous_total = total
        if usage is None or not own(i) or (first_record is not None and i >= first_record):
            continue
        key = ("tc", ts, total, last)
        billed.append((i, ts, usage, key, info.get("model") or p.get("model")))
    for i, o in records:
        p = o["payload"]
        usage = _vector(p.get("usage")) or (0, 0, 0, 0, 0)
        key = ("resp", p["response_id"]) if p.get("response_id") else None
        billed.append((i, _time(o.get("timestamp")), usage, key, p.get("model")))
    billed.sort(key=lambda row: row[0])

    calls = []
    tools: list[tuple[str, str | None]] = []
    model = None
    first_model = next(
        (
            (o.get("payload") or {}).get("model")
            for o in lines
            if o.get("type") == "turn_context" and (o.get("payload") or {}).get("model")
        ),
        None,
    )
    queue = list(billed)
    for i, o in enumerate(lines):
        p = o.get("payload") or {}
        if o.get("type") == "turn_context" and p.get("model"):
            model = p["model"]
        if o.get("type") == "response_item" and own(i):
            kind = p.get("type")
            if kind in ("function_call", "custom_tool_call", "local_shell_call"):
                name = "local_shell" if kind == "local_shell_call" else p.get("name")
                tools.append((name, _detail(p)))
        if queue and queue[0][0] == i:
            _, ts, usage, key, hint = queue.pop(0)
            chosen = hint or model or first_model or owner.get("model") or "gpt-5"
            if chosen == "codex-auto-review":
                day = ts.date().isoformat()
                chosen = "gpt-5"
                for released, default in REVIEW_DEFAULTS:
                    if released <= day:
                        chosen = default
            inp, cached, write, out, reasoning = usage
            if not (inp or cached or write or out) or ts is None:
                continue
            cached = min(cached, inp)
            write = min(write, inp - cached)
            calls.append(
                Call(
                    key,
                    parent is None,
                    session,
                    thread,
                    ts,
                    chosen,
                    inp - cached - write,
                    cached,
                    write,
                    out,
                    reasoning,
                    tools,
                )
            )
            tools = []
    return calls


def read_calls(homes: list[Path]) -> list[Call]:
    """Every billed request under the Codex homes, copies across files counted once (the main
    thread's row kept)."""
    best: dict[tuple, Call] = {}
    calls: list[Call] = []
    for path in rollouts(homes):
        for call in read_file(path):
            if call.key is None:
                calls.append(call)
                continue
            kept = best.get(call.key)
            if kept is None or (call.main and not kept.main):
                best[call.key] = call
    return calls + list(best.values())


def day_totals(calls: list[Call], tz: str = "UTC") -> dict[str, dict[str, int]]:
    zone = ZoneInfo(tz)
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = call.ts.astimezone(zone).date().isoformat()
        totals = days.setdefault(
            day, {"calls": 0, "input": 0, "output": 0, "cache_read": 0, "cache_write": 0}
        )
        totals["calls"] += 1
        totals["input"] += call.input
        totals["output"] += call.output
        totals["cache_read"] += call.cache_read
        totals["cache_write"] += call.cache_write
    return dict(sorted(days.items()))
