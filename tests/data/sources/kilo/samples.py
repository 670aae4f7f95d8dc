"""Conformance samples for Kilo: ``kilo.db`` (a two-step message with its tools and a prompt), a
channel build's ``kilo-beta.db`` and a legacy JSON message file — Kilo's names, OpenCode's
schema."""

from __future__ import annotations

from pathlib import Path

from bench.writers.kilo import SCHEMA
from tests.data.sources.opencode import build as B
from tests.data.sources.truth import Truth


def write_sample(root: Path) -> Truth:
    db = B.Database(root / "kilo.db", schema=SCHEMA)
    db.session("ses_k", directory="/home/dev/src/atlas")
    db.message("msg_k0", "ses_k", B.user(B.T0))
    db.part("prt_k0", "msg_k0", "ses_k", B.text("add a retry to the uploader"))
    first = B.tokens(12, 40, 10, 900, 300, total=1262)
    second = B.tokens(3, 9, 0, 1200, 0, total=1212)
    db.message("msg_k1", "ses_k", B.assistant(B.T0 + 1000, second, provider="kilo"))
    db.part("prt_k1", "msg_k1", "ses_k", B.tool("bash", "call_1", command="pytest -q"), B.T0 + 1500)
    db.part("prt_k2", "msg_k1", "ses_k", B.step(first), B.T0 + 2000)
    db.part("prt_k3", "msg_k1", "ses_k", B.tool("edit", "call_2", filePath="up.py"), B.T0 + 2500)
    db.part("prt_k4", "msg_k1", "ses_k", B.step(second), B.T0 + 3000)
    db.close()
    beta = B.Database(root / "kilo-beta.db", schema=SCHEMA)
    beta.session("ses_b", directory="/home/dev/src/web")
    beta.message("msg_b1", "ses_b", B.assistant(B.T0 + 7000, B.tokens(5, 6, 0, 70)))
    beta.close()
    storage = root / "storage"
    B.legacy_session(storage, "ses_l")
    B.legacy_message(storage, "ses_l", "msg_l1", B.assistant(B.T0 + 60_000, B.tokens(8, 4, 2, 30)))
    # steps 12/40+10/900/300 and 3/9/1200; beta 5/6/70; legacy 8/(4+2)/30
    return Truth(calls=4, input=28, output=71, cache_read=2200, cache_write=300)


def grow(root: Path) -> Truth:
    """Kilo finishes another message in ``kilo.db``."""
    db = B.Database(root / "kilo.db", schema="")
    db.message("msg_k2", "ses_k", B.assistant(B.T0 + 9000, B.tokens(2, 3, 0, 20)))
    db.part("prt_k5", "msg_k2", "ses_k", B.step(B.tokens(2, 3, 0, 20)), B.T0 + 9500)
    db.close()
    return Truth(calls=1, input=2, output=3, cache_read=20)


def data_files(root: Path) -> list[Path]:
    return [
        root / "kilo.db",
        root / "kilo-beta.db",
        *sorted((root / "storage" / "message").rglob("*.json")),
    ]
