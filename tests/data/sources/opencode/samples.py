"""Conformance samples for OpenCode: a data directory with a database (a two-step message with
its tools, a prompt) and a legacy message file (message-level tokens only)."""

from __future__ import annotations

from pathlib import Path

from tests.data.sources.opencode import build as B
from tests.data.sources.truth import Truth


def write_sample(root: Path) -> Truth:
    db = B.Database(root / "opencode.db")
    db.session("ses_a", directory="/home/dev/src/atlas")
    db.message("msg_a0", "ses_a", B.user(B.T0))
    db.part("prt_a0", "msg_a0", "ses_a", B.text("fix the bug"))
    first = B.tokens(10, 30, 5, 100, 50, total=195)
    second = B.tokens(4, 8, 0, 200, 0, total=212)
    db.message("msg_a1", "ses_a", B.assistant(B.T0 + 1000, second))
    db.part("prt_a1", "msg_a1", "ses_a", {"type": "step-start"}, B.T0 + 1000)
    db.part("prt_a2", "msg_a1", "ses_a", B.tool("bash", "call_1", command="pytest -q"), B.T0 + 1500)
    db.part("prt_a3", "msg_a1", "ses_a", B.step(first), B.T0 + 2000)
    db.part("prt_a4", "msg_a1", "ses_a", B.tool("edit", "call_2", filePath="src/a.py"), B.T0 + 2500)
    db.part("prt_a5", "msg_a1", "ses_a", B.step(second), B.T0 + 3000)
    db.close()
    storage = root / "storage"
    B.legacy_session(storage, "ses_b")
    B.legacy_message(storage, "ses_b", "msg_b1", B.assistant(B.T0 + 60_000, B.tokens(20, 7, 3, 40)))
    # two steps (10+30+5 → output 35; 4+8 → 8) and the legacy message (reasoning added: 7+3)
    return Truth(calls=3, input=34, output=53, cache_read=340, cache_write=50)


def grow(root: Path) -> Truth:
    """OpenCode finishes another message (a new row and its step in the database)."""
    db = B.Database(root / "opencode.db", schema="")
    db.message("msg_a2", "ses_a", B.assistant(B.T0 + 9000, B.tokens(5, 2, 0, 10)))
    db.part("prt_a6", "msg_a2", "ses_a", B.step(B.tokens(5, 2, 0, 10)), B.T0 + 9500)
    db.close()
    return Truth(calls=1, input=5, output=2, cache_read=10)


def data_files(root: Path) -> list[Path]:
    return [root / "opencode.db", *sorted((root / "storage" / "message").rglob("*.json"))]
