"""Conformance samples for OpenClaw: a state directory with one agent's transcripts — a live
session (its model named by a model-snapshot, not by the messages), the ``.reset.`` archive of
an earlier session (a backup left its live copy too: the same lines twice), a ``.deleted.``
archive, a checkpoint copy taken before compaction, and files that are not transcripts (the
``sessions.json`` index, a lock, a runtime trace, a repair backup). Hand-computed truth: every
billed request once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.data.sources.pi import entries as e
from tests.data.sources.truth import Truth

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
LIVE = "33333333-cccc-4ccc-8ccc-333333333333"
RESET = "44444444-dddd-4ddd-8ddd-444444444444"
DELETED = "55555555-eeee-4eee-8eee-555555555555"
CHECKPOINT = "66666666-ffff-4fff-8fff-666666666666"
WORKSPACE = "/home/dev/.openclaw/workspace"


def sessions(root: Path) -> Path:
    return root / "agents" / "main" / "sessions"


def _live(root: Path) -> Path:
    return sessions(root) / f"{LIVE}.jsonl"


def write_sample(root: Path) -> Truth:
    t = T0
    folder = sessions(root)
    # the reset session: its live file was renamed, and a backup put the live copy back
    reset_lines = [
        e.header(RESET, t, WORKSPACE),
        e.model_change("m1", t, "minimax-cn", "MiniMax-M2.5-highspeed"),
        e.user("u1", t + timedelta(seconds=1), "summarise my inbox"),
        e.assistant("a1", t + timedelta(seconds=2), input=1200, output=90, cache_read=4000,
                    cache_write=600, provider="minimax-cn", model="MiniMax-M2.5-highspeed",
                    tools=[("exec", {"command": "himalaya list"})]),
        e.assistant("a2", t + timedelta(seconds=9), input=300, output=150, cache_read=5800,
                    provider="minimax-cn", model="MiniMax-M2.5-highspeed"),
    ]  # fmt: skip
    e.write(folder / f"{RESET}.jsonl", reset_lines[:4])
    e.write(folder / f"{RESET}.jsonl.reset.2026-11-21T09-30-00.000Z", reset_lines)
    # a deleted session was still billed
    e.write(
        folder / f"{DELETED}.jsonl.deleted.2026-11-21T12-00-00.000Z",
        [
            e.header(DELETED, t + timedelta(hours=1), WORKSPACE),
            e.user("u1", t + timedelta(hours=1, seconds=1), "what is on my calendar?"),
            e.assistant("a1", t + timedelta(hours=1, seconds=2), input=800, output=40,
                        cache_read=2000, provider="openai-codex", model="gpt-5.4"),
        ],
    )  # fmt: skip
    # the live session: the model comes from a snapshot entry, the messages do not name it
    live = [
        e.header(LIVE, t + timedelta(hours=2), WORKSPACE),
        e.snapshot("s1", t + timedelta(hours=2), "anthropic", "claude-sonnet-4-5"),
        e.user("u1", t + timedelta(hours=2, seconds=1), "draft a reply to Sam"),
        e.assistant("a1", t + timedelta(hours=2, seconds=2), input=20, output=310,
                    cache_write=7000, provider=None, model=None,
                    tools=[("read", {"file_path": "/home/dev/notes/sam.md"})]),
        e.assistant("a2", t + timedelta(hours=2, seconds=20), input=0, output=0, provider=None,
                    model=None, stop="error"),
    ]  # fmt: skip
    e.write(_live(root), live)
    e.write(folder / f"{LIVE}.checkpoint.{CHECKPOINT}.jsonl", live[:4])
    # not transcripts
    (folder / "sessions.json").write_text(json.dumps({"agent:main:main": {"sessionId": LIVE}}))
    (folder / f"{LIVE}.jsonl.lock").write_text('{"pid": 1}')
    e.write(folder / f"{LIVE}.trajectory.jsonl", [live[3]])
    e.write(folder / f"{LIVE}.jsonl.bak.2026-11-21T08-00-00.000Z", live)
    return Truth(
        calls=4,
        input=1200 + 300 + 800 + 20,
        output=90 + 150 + 40 + 310,
        cache_read=4000 + 5800 + 2000,
        cache_write=600 + 7000,
    )


def grow(root: Path) -> Truth:
    """The live session gets one more request."""
    e.append(
        _live(root),
        [
            e.assistant("a3", T0 + timedelta(hours=2, minutes=1), input=15, output=70,
                        cache_read=7330, provider=None, model=None),
        ],
    )  # fmt: skip
    return Truth(calls=1, input=15, output=70, cache_read=7330)


def data_files(root: Path) -> list[Path]:
    """The transcripts (the files tokentree reads)."""
    folder = sessions(root)
    return sorted(
        p
        for p in folder.iterdir()
        if (p.name.endswith(".jsonl") and not p.name.endswith(".trajectory.jsonl"))
        or ".jsonl.reset." in p.name
        or ".jsonl.deleted." in p.name
    )
