"""Conformance samples for Codex: a Codex home with a session that re-emits a token_count, a
subagent thread whose rollout first copies its parent's history, and a recompressed (.zst)
rollout. Truths are worked out by hand from the numbers written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import zstandard

from bench.writers import codex_lines as cx
from bench.writers.codex_lines import Usage
from tests.data.sources.truth import Truth

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ROOT = "019a0000-0000-7000-8000-00000000000a"
CHILD = "019a0000-0000-7000-8000-00000000000b"
OLD = "019a0000-0000-7000-8000-00000000000c"
CWD = "/home/dev/src/atlas"

FIRST = Usage(input=1000, cached=800, output=50, reasoning=10)
SECOND = Usage(input=1500, cached=1000, output=70, reasoning=20)
CHILD_OWN = Usage(input=600, cached=400, output=30, reasoning=5)
GROWN = Usage(input=1500, cached=1200, output=80, reasoning=10)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _path(root: Path, thread: str, start: datetime, *, suffix: str = "") -> Path:
    local = start.astimezone(UTC)
    folder = root / "sessions" / f"{local:%Y/%m/%d}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"rollout-{local:%Y-%m-%dT%H-%M-%S}-{thread}.jsonl{suffix}"


def _root_lines() -> list[str]:
    return [
        cx.session_meta(at(0), ROOT, CWD),
        cx.event(at(0.01), "task_started", turn_id="t1"),
        cx.user_message(at(0.02), "fix the failing test"),
        cx.token_count(at(0.03), None, None, limits=cx.rate_limits(at(0.03), 4.0)),
        cx.turn_context(at(0.04), "gpt-5.3-codex", CWD, "t1"),
        cx.function_call(at(0.05), "exec_command", {"cmd": "pytest -q"}, "call_1"),
        cx.token_count(at(0.1), FIRST, FIRST, limits=cx.rate_limits(at(0.1), 5.0)),
        cx.tool_output(at(0.11), "call_1", "1 failed"),
        cx.turn_context(at(0.2), "gpt-5.3-codex", CWD, "t1"),
        cx.token_count(at(0.21), FIRST, FIRST),  # re-emitted: unchanged totals
        cx.function_call(at(0.25), "spawn_agent", {"message": "look"}, "call_spawn"),
        cx.token_count(at(0.3), FIRST + SECOND, SECOND),
    ]


def write_sample(root: Path) -> Truth:
    root_lines = _root_lines()
    _path(root, ROOT, at(0)).write_text("\n".join(root_lines) + "\n", encoding="utf-8")
    created = at(0.32)
    child = [
        cx.session_meta(
            created,
            CHILD,
            CWD,
            source=cx.spawned(ROOT, call_id="call_spawn"),
            forked_from=ROOT,
        ),
        *root_lines,  # the parent's history, copied with its original timestamps
        cx.trigger(at(0.33), "/root", "/root/worker", "look at the logs"),
        cx.turn_context(at(0.34), "gpt-5.3-codex", CWD, "w1"),
        cx.token_count(at(0.5), FIRST + SECOND + CHILD_OWN, CHILD_OWN),
    ]
    _path(root, CHILD, created).write_text("\n".join(child) + "\n", encoding="utf-8")
    old = at(-60 * 24 * 9)
    data = "\n".join(
        [
            cx.session_meta(old, OLD, "/home/dev/src/docs"),
            cx.user_message(old + timedelta(seconds=1), "write the docs"),
            cx.turn_context(old + timedelta(seconds=2), "gpt-5.1-codex", "/home/dev/src/docs", "o"),
            cx.token_count(
                old + timedelta(seconds=9),
                Usage(input=3000, output=400, reasoning=100),
                Usage(input=3000, output=400, reasoning=100),
            ),
        ]
    )
    compressed = zstandard.ZstdCompressor().compress((data + "\n").encode())
    _path(root, OLD, old, suffix=".zst").write_bytes(compressed)
    return Truth(calls=4, input=200 + 500 + 200 + 3000, output=550, cache_read=2200)


def grow(root: Path) -> Truth:
    """Codex appends the next request of the open session."""
    path = _path(root, ROOT, at(0))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(cx.turn_context(at(0.6), "gpt-5.3-codex", CWD, "t1") + "\n")
        handle.write(cx.token_count(at(0.7), FIRST + SECOND + GROWN, GROWN) + "\n")
    return Truth(calls=1, input=300, output=80, cache_read=1200)


def data_files(root: Path) -> list[Path]:
    return sorted((root / "sessions").rglob("rollout-*"))
