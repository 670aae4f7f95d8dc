"""Kilo counting on hand-made data (Kilo's names and schema, OpenCode's storage): steps as calls,
malformed ``data`` blobs, a live WAL and a damaged channel database, where Kilo keeps its data,
Kilo beside OpenCode, and a generated history — against what each test wrote and the independent
reference reader, never against tokentree's own output."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.plan import make_plan
from bench.writers import kilo as writer
from tests.conftest import checksums, export, run_cli, walk
from tests.data.sources.documents import calls_in_context, day_tokens, read_untouched
from tests.data.sources.kilo import reference
from tests.data.sources.opencode import build as B
from tests.data.sources.truth import Truth, tokens_by_day, truth_of
from tokentree.data.sources import get


def read(root: Path, *extra: str) -> dict[str, Any]:
    return read_untouched("kilo", root, *extra)


def reference_truth(root: Path) -> Truth:
    return Truth(*reference.totals(root))


def database(path: Path, **kwargs: Any) -> B.Database:
    return B.Database(path, schema=writer.SCHEMA, **kwargs)


def test_every_step_of_a_message_is_a_call(tmp_path: Path) -> None:
    """The message row keeps the last step's tokens only; its step-finish parts hold them all."""
    db = database(tmp_path / "kilo.db")
    db.session("ses_1", directory="/home/dev/src/api")
    db.message("msg_0", "ses_1", B.user(B.T0))
    db.part("prt_0", "msg_0", "ses_1", B.text("make the upload resumable"))
    steps = [
        B.tokens(6, 50, 20, 4000, 1200, total=5276),
        B.tokens(2, 30, 0, 5200, 90, total=5322),
        B.tokens(1, 12, 0, 5300, 0, total=5313),
    ]
    db.message("msg_1", "ses_1", B.assistant(B.T0 + 1000, steps[-1], provider="anthropic"))
    db.part("prt_1", "msg_1", "ses_1", B.tool("read", "c1", filePath="up.py"), B.T0 + 1500)
    db.part("prt_2", "msg_1", "ses_1", B.step(steps[0]), B.T0 + 2000)
    db.part("prt_3", "msg_1", "ses_1", B.tool("bash", "c2", command="pytest -x"), B.T0 + 2500)
    db.part("prt_4", "msg_1", "ses_1", B.step(steps[1]), B.T0 + 3000)
    db.part("prt_5", "msg_1", "ses_1", B.step(steps[2]), B.T0 + 4000)
    db.close()
    document = read(tmp_path)
    # 6+2+1 input; output 50+20, 30, 12; reads 4000+5200+5300; writes 1200+90
    expected = Truth(3, 9, 112, 14_500, 1_290)
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    found = calls_in_context(document)
    assert sorted(found) == ["msg_1#1", "msg_1#2", "msg_1#3"]
    assert [t["name"] for t in found["msg_1#1"]["tool_calls"]] == ["Read"]
    assert found["msg_1#2"]["tool_calls"][0] == {"id": "c2", "name": "Bash", "detail": "pytest -x"}
    assert {c["turn"]["prompt"] for c in found.values()} == {"make the upload resumable"}
    assert {c["source"] for c in walk(document) if c.get("kind") in ("call", "session")} == {"kilo"}


def test_malformed_blobs_are_skipped_and_counted_never_fatal(tmp_path: Path) -> None:
    """A blob cut short by a crash makes SQLite's json_extract abort the whole query; the reader
    tests json_valid first, so only the broken rows are lost (and reported)."""
    db = database(tmp_path / "kilo.db")
    db.session("ses_1")
    db.message("msg_1", "ses_1", B.assistant(B.T0, B.tokens(10, 20, 0, 300)))
    db.part("prt_1", "msg_1", "ses_1", B.step(B.tokens(10, 20, 0, 300)), B.T0 + 10)
    db.message("msg_2", "ses_1", '{"role":"assistant","time":{"created":17800')  # cut short
    db.message("msg_3", "ses_1", B.assistant(B.T0 + 9000, B.tokens(4, 5, 0, 60)))
    db.part("prt_3", "msg_3", "ses_1", '{"type":"step-finish","tokens":{"input":4,"out')
    db.part("prt_4", "msg_3", "ses_1", B.step(B.tokens(4, 5, 0, 60)), B.T0 + 9010)
    db.close()
    connection = sqlite3.connect(tmp_path / "kilo.db")
    with pytest.raises(sqlite3.OperationalError, match="malformed JSON"):
        connection.execute("SELECT json_extract(data, '$.role') FROM message").fetchall()
    connection.close()
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 14, 25, 360)
    assert document["skipped_lines"] == 2 and document["unreadable_files"] == 0


def durable(root: Path) -> dict[str, str]:
    """Checksums of the files Kilo keeps: every WAL reader (Kilo's own too) takes a read mark in
    the ``-shm`` shared-memory index, which is not data and changes with any reader."""
    return {k: v for k, v in checksums(root).items() if not k.endswith("-shm")}


def test_a_live_wal_and_a_damaged_channel_database(tmp_path: Path) -> None:
    db = database(tmp_path / "kilo.db", wal=True)
    db.connection.execute("PRAGMA wal_autocheckpoint = 0")
    db.session("ses_1")
    db.message("msg_1", "ses_1", B.assistant(B.T0, B.tokens(7, 8, 0, 90)))
    db.connection.commit()  # Kilo is running: the rows live in the WAL
    broken = tmp_path / "kilo-beta.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    try:
        assert (tmp_path / "kilo.db-wal").stat().st_size > 0
        before = durable(tmp_path)
        code, out, err = run_cli("export", "--json", "--root", f"kilo={tmp_path}", "--tz", "UTC")
        assert durable(tmp_path) == before
        assert code == 0 and "kilo-beta.db" in err and "could not read" in err
        document = json.loads(out)
        assert truth_of(document["totals"]) == Truth(1, 7, 8, 90)
        assert document["unreadable_files"] == 1
    finally:
        db.close()


def test_where_kilo_keeps_its_data(tmp_path: Path) -> None:
    source = get("kilo")
    home = {"HOME": "/home/u"}
    assert source.default_roots(home, None) == [Path("/home/u/.local/share/kilo")]
    assert source.default_roots({**home, "XDG_DATA_HOME": "/x"}, None) == [Path("/x/kilo")]
    assert source.default_roots({**home, "KILO_DATA_DIR": "/a, /b"}, None) == [
        Path("/a"),
        Path("/b"),
    ]
    assert source.default_roots({**home, "KILO_DB": "/tmp/run/kilo.db"}, None) == [
        Path("/home/u/.local/share/kilo"),
        Path("/tmp/run/kilo.db"),
    ]
    # relative: inside the data directory, which is walked anyway
    assert source.default_roots({**home, "KILO_DB": "other.db"}, None) == [
        Path("/home/u/.local/share/kilo")
    ]
    assert [source.match(f"/d/{n}") for n in ("kilo.db", "kilo-beta.db", "opencode-dev.db")] == [
        "database"
    ] * 3
    assert source.match("/d/opencode.db") is None and source.match("/d/kilo.db-wal") is None
    assert source.match("/d/storage/message/ses_1/msg_1.json") == "message"
    assert source.match("/d/storage/part/msg_1/prt_1.json") is None
    assert not source.descend("/d/snapshot") and not source.descend("/d/storage/part")
    (tmp_path / "kilo.db").write_bytes(b"")
    assert source.claims(tmp_path) and not get("opencode").claims(tmp_path)


def test_kilo_beside_opencode_each_counts_its_own(tmp_path: Path) -> None:
    """A request is never merged across sources: the same message in both tools' databases is
    one call of each (they are two tools' records), labelled with its tool. (The session ids
    differ: the engine keys a session by its id alone.)"""
    for path, sid in (
        (tmp_path / "kilo" / "kilo.db", "ses_k"),
        (tmp_path / "oc" / "opencode.db", "ses_o"),
    ):
        db = B.Database(path) if path.name == "opencode.db" else database(path)
        db.session(sid)
        db.message("msg_1", sid, B.assistant(B.T0, B.tokens(3, 4, 0, 50)))
        db.close()
    document, _ = export(
        "--root",
        f"kilo={tmp_path / 'kilo'}",
        "--root",
        f"opencode={tmp_path / 'oc'}",
        "--tz",
        "UTC",
    )
    assert truth_of(document["totals"]) == Truth(2, 6, 8, 100)
    assert sorted(document["sources"]) == ["kilo", "opencode"]
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    assert sorted(s["source"] for s in sessions) == ["kilo", "opencode"]


def test_a_generated_history_is_counted_exactly(tmp_path: Path) -> None:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=24, start=date(2026, 4, 1), days=6)
    writer.write(plan, tmp_path, rng)
    root = tmp_path / ".local" / "share" / "kilo"
    assert (root / "kilo.db").is_file() and (root / "kilo-beta.db").is_file()
    document = read(root, "--level", "day")
    tokens = day_tokens(document)
    planned = tokens_by_day(plan.day_totals())
    expected = tokens_by_day(reference.day_totals(reference.read_calls(root)))
    assert tokens == planned == expected
    assert document["totals"]["calls"] == plan.totals()["calls"]
