"""Conformance samples for Kimi CLI: a share directory (``config.toml``, ``kimi.json``) with a
session of two steps and a subagent (its own log, relayed in the parent's), and a forked copy of
the session (the same steps again); beside it, in Kimi Code's layout, a session of two requests
(one by a subagent, in its own log) and a fork of it."""

from __future__ import annotations

from pathlib import Path

from bench.writers import kimi as K
from bench.writers import kimi_code as KC
from tests.data.sources.truth import Truth

CWD = "/home/dev/src/atlas"
SESSION = "aaaaaaaa-1111-4111-8111-111111111111"
FORK = "bbbbbbbb-2222-4222-8222-222222222222"
AGENT = "agent-0001"
T0 = 1_780_000_000.25  # 2026-05-28T20:26:40Z


def _main(root: Path) -> Path:
    return root / "sessions" / K.folder(CWD) / SESSION / "wire.jsonl"


def write_sample(root: Path) -> Truth:
    K.write_config(root, K.MODEL)
    K.write_metadata(root, [CWD])
    sub = [
        K.turn_begin(T0 + 20, "look at the parser"),
        K.status(T0 + 21, K.usage(40, 9, 300), "m-sub"),
    ]
    lines = [
        K.metadata(),
        K.turn_begin(T0, "fix the parser"),
        K.tool_call(T0 + 1, "t1", "Shell", {"command": "pytest -q"}),
        K.status(T0 + 2, K.usage(120, 30, 1000), "m1"),
        K.status(T0 + 3, None, None),
        K.tool_call(T0 + 4, "t2", "Agent", {"description": "look at the parser"}),
        K.status(T0 + 5, K.usage(80, 12, 1200), "m2"),
        *(K.relay(line, AGENT, "t2") for line in sub),
    ]
    K.write_lines(_main(root), lines)
    K.write_lines(_main(root).parent / "subagents" / AGENT / "wire.jsonl", [K.metadata(), *sub])
    K.write_lines(root / "sessions" / K.folder(CWD) / FORK / "wire.jsonl", lines)
    return Truth(calls=3, input=240, output=51, cache_read=2500) + _write_code(root)


def _write_code(root: Path) -> Truth:
    """A Kimi Code session under the same root (``sessions/wd_…/<session>/agents/…``)."""
    start = int(T0 * 1000) + 3_600_000
    main = [
        KC.metadata(start),
        KC.config_update(start, CWD),
        KC.prompt(start, "tidy the imports"),
        KC.request(start + 1000, "1.1"),
        KC.usage_record(start + 2000, KC.counts(60, 20, 900)),
        KC.tool_call(start + 3000, "s1", "c1", "Agent", {"description": "check the tests"}),
    ]
    sub = [KC.metadata(start + 4000), KC.usage_record(start + 5000, KC.counts(30, 8, 400, 100))]
    base = root / "sessions" / KC.work_dir_key(CWD)
    for session, tail in (("session_code-1", []), ("session_code-2", [{"type": "forked"}])):
        KC.write_lines(base / session / "agents" / "main" / "wire.jsonl", [*main, *tail])
        KC.write_lines(base / session / "agents" / "agent-0" / "wire.jsonl", [*sub, *tail])
    return Truth(calls=2, input=90, output=28, cache_read=1300, cache_write=100)


def grow(root: Path) -> Truth:
    """The session takes another step."""
    with _main(root).open("a", encoding="utf-8") as handle:
        handle.write(K.dumps(K.status(T0 + 60, K.usage(7, 3, 50), "m3")) + "\n")
    return Truth(calls=1, input=7, output=3, cache_read=50)


def data_files(root: Path) -> list[Path]:
    return sorted((root / "sessions").rglob("wire.jsonl"))
