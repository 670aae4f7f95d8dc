"""Conformance samples for pi: a session (a tool call and its result, an aborted request of
zero tokens) and a fork of it (``/fork``: a new file whose header names its parent and whose
first lines copy the parent's, then continues). Hand-computed truth: the copied request counts
once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.data.sources.pi import entries as e
from tests.data.sources.truth import Truth

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
PARENT_ID = "11111111-aaaa-4aaa-8aaa-111111111111"
FORK_ID = "22222222-bbbb-4bbb-8bbb-222222222222"
CWD = "/home/dev/atlas"


def _dir(root: Path) -> Path:
    return root / "--home-dev-atlas--"


def _parent(root: Path) -> Path:
    return _dir(root) / f"2026-11-20T10-00-00-000Z_{PARENT_ID}.jsonl"


def _fork(root: Path) -> Path:
    return _dir(root) / f"2026-11-20T11-00-00-000Z_{FORK_ID}.jsonl"


def write_sample(root: Path) -> Truth:
    t = T0
    prompt = e.user("u1", t + timedelta(seconds=1), "fix the failing parser test")
    first = e.assistant(
        "a1", t + timedelta(seconds=2), input=3, output=120, cache_write=9000,
        tools=[("bash", {"command": "pytest -q tests/test_parser.py"})],
    )  # fmt: skip
    e.write(
        _parent(root),
        [
            e.header(PARENT_ID, t, CWD),
            e.model_change("m1", t, "anthropic", "claude-sonnet-4-5"),
            prompt,
            first,
            e.tool_result("r1", t + timedelta(seconds=9), "call_a1_0", "1 failed"),
            e.assistant("a2", t + timedelta(seconds=10), input=5, output=80, cache_read=9000,
                        cache_write=300),
            e.assistant("a3", t + timedelta(seconds=30), input=0, output=0, stop="aborted"),
        ],
    )  # fmt: skip
    fork_start = t + timedelta(hours=1)
    e.write(
        _fork(root),
        [
            e.header(FORK_ID, fork_start, CWD, parent=str(_parent(root))),
            prompt,  # the fork copies the parent's path, request included
            first,
            e.user("u2", fork_start + timedelta(seconds=5), "now try it another way"),
            e.assistant("a4", fork_start + timedelta(seconds=6), input=40, output=60,
                        cache_read=9100),
        ],
    )  # fmt: skip
    return Truth(
        calls=3,
        input=3 + 5 + 40,
        output=120 + 80 + 60,
        cache_read=9000 + 9100,
        cache_write=9000 + 300,
    )


def grow(root: Path) -> Truth:
    """The fork gets one more request."""
    e.append(
        _fork(root),
        [
            e.assistant("a5", T0 + timedelta(hours=1, minutes=2), input=2, output=30,
                        cache_read=9200, cache_write=50),
        ],
    )  # fmt: skip
    return Truth(calls=1, input=2, output=30, cache_read=9200, cache_write=50)


def data_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.jsonl"))
