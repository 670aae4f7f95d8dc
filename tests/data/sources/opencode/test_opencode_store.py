"""The OpenCode database as it is found in the wild: written to while read (WAL), held under an
exclusive lock, damaged, carrying blobs that are not JSON, from older or newer schemas; and the
discovery walk that must not wander into OpenCode's bulky part and snapshot trees."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import opencode as writer
from tests.conftest import checksums, export, run_cli
from tests.data.sources.opencode import build as B
from tests.data.sources.opencode import reference
from tests.data.sources.truth import Truth, truth_of
from tokentree.data.read import discovery
from tokentree.data.read.discovery import SourceRoot, discover
from tokentree.data.shared.opencode_schema import database
from tokentree.data.sources import get


def totals(root: Path) -> tuple[Truth, dict]:
    document, _ = export("--root", f"opencode={root}", "--tz", "UTC", "--no-annotate")
    return truth_of(document["totals"]), document


def test_blobs_that_are_not_json_are_skipped_and_counted(tmp_path: Path) -> None:
    db = B.Database(tmp_path / "opencode.db")
    db.session("ses_1")
    db.message("msg_1", "ses_1", B.assistant(B.T0, B.tokens(1, 2, 0, 3)))
    db.part("prt_1", "msg_1", "ses_1", B.step(B.tokens(1, 2, 0, 3)))
    db.part("prt_2", "msg_1", "ses_1", '{"type":"tool","tool":"bash","state":{"inp')
    db.message("msg_2", "ses_1", '{"role":"assistant","tokens":{"input":')
    db.message("msg_3", "ses_1", "[1, 2]")
    db.message("msg_4", "ses_1", B.assistant(B.T0 + 10, B.tokens(4, 5, 0, 6)))
    db.close()
    truth, document = totals(tmp_path)
    assert truth == Truth(2, 5, 7, 9) == Truth(*reference.totals(tmp_path))
    assert document["skipped_lines"] == 3 and document["unreadable_files"] == 0


SCHEMAS = {
    # the shape ccusage's own tests use: no parts, no sessions, no times
    "message-only": "CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, data TEXT);",
    # parts without time columns, sessions without parent or directory
    "no-times": """
        CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT);
        CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, data TEXT);
        CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, data TEXT);
    """,
    # a newer schema with columns and tables we do not know
    "newer": B.SCHEMA.replace("data TEXT NOT NULL);", "data TEXT NOT NULL, shard INTEGER);")
    + "CREATE TABLE event (id TEXT PRIMARY KEY, data TEXT);",
}


@pytest.mark.parametrize("schema", sorted(SCHEMAS))
def test_schemas_that_drifted_are_read_for_what_they_hold(tmp_path: Path, schema: str) -> None:
    connection = sqlite3.connect(tmp_path / "opencode.db")
    connection.executescript(SCHEMAS[schema])
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}

    def insert(table: str, **values: object) -> None:
        present = {r[1] for r in connection.execute(f"PRAGMA table_info({table})")}
        values.update({k: B.T0 for k in ("time_created", "time_updated") if k in present})
        marks = ", ".join("?" for _ in values)
        connection.execute(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", list(values.values())
        )

    message = B.assistant(B.T0, B.tokens(2, 3, 1, 40))
    insert("message", id="msg_1", session_id="ses_1", data=json.dumps(message))
    steps = 0
    if "part" in tables:
        for index, toks in enumerate((B.tokens(9, 9, 0, 90), B.tokens(2, 3, 1, 40))):
            data = json.dumps(B.step(toks))
            insert("part", id=f"prt_{index}", message_id="msg_1", session_id="ses_1", data=data)
        steps = 2
    connection.commit()
    connection.close()
    truth, document = totals(tmp_path)
    expected = Truth(2, 11, 13, 130) if steps else Truth(1, 2, 4, 40)
    assert truth == expected and document["unreadable_files"] == 0


def test_a_database_being_written_is_read_consistently(tmp_path: Path) -> None:
    """A live OpenCode (another process, WAL) commits a message and its step at a time; a read
    sees committed messages only, whole, never an open transaction, and changes nothing."""
    db = B.Database(tmp_path / "opencode.db", wal=True)
    db.session("ses_1")
    db.close()
    script = textwrap.dedent(
        f"""
        import json, sqlite3, sys, time
        sys.path.insert(0, {str(Path(__file__).parents[4])!r})
        from tests.data.sources.opencode import build as B
        c = sqlite3.connect({str(tmp_path / "opencode.db")!r}, isolation_level=None)
        c.execute("PRAGMA wal_autocheckpoint = 0")
        c.execute("PRAGMA synchronous = OFF")

        def message(i):
            c.execute("INSERT INTO message VALUES (?, 'ses_1', ?, ?, ?)",
                      (f"msg_{{i:04d}}", B.T0 + i, B.T0 + i,
                       json.dumps(B.assistant(B.T0 + i * 1000, B.tokens(1, 2, 0, 3)))))
            c.execute("INSERT INTO part VALUES (?, ?, 'ses_1', ?, ?, ?)",
                      (f"prt_{{i:04d}}", f"msg_{{i:04d}}", B.T0 + i * 1000 + 5,
                       B.T0 + i * 1000 + 5, json.dumps(B.step(B.tokens(1, 2, 0, 3)))))

        for i in range(100):
            c.execute("BEGIN"); message(i); c.execute("COMMIT")
        c.execute("BEGIN")
        message(100)  # written, not committed
        print("holding", flush=True)
        input()
        c.execute("COMMIT")
        for i in range(101, 200):
            c.execute("BEGIN"); message(i); c.execute("COMMIT")
            time.sleep(0.005)
        print("done", flush=True)
        input()
        """
    )
    live = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert live.stdin is not None and live.stdout is not None
    try:
        assert live.stdout.readline().strip() == "holding"
        truth, document = totals(tmp_path)
        assert truth == Truth(100, 100, 200, 300) and document["unreadable_files"] == 0
        live.stdin.write("\n")
        live.stdin.flush()
        truth, document = totals(tmp_path)  # while it writes
        assert 101 <= truth.calls <= 200 and document["unreadable_files"] == 0
        assert truth == Truth(truth.calls, truth.calls, 2 * truth.calls, 3 * truth.calls)
        assert live.stdout.readline().strip() == "done"
        assert (tmp_path / "opencode.db-wal").stat().st_size > 0  # the data is in the live WAL
        before = {k: v for k, v in checksums(tmp_path).items() if not k.endswith("-shm")}
        truth, _ = totals(tmp_path)
        after = {k: v for k, v in checksums(tmp_path).items() if not k.endswith("-shm")}
        assert truth == Truth(200, 200, 400, 600) and after == before
    finally:
        live.communicate("\n", timeout=30)


def test_a_database_under_an_exclusive_lock_is_read_from_a_private_copy(tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "opencode.db")
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.executescript(B.SCHEMA)
    holder.execute(
        "INSERT INTO message VALUES ('msg_1', 'ses_1', 0, 0, ?)",
        (json.dumps(B.assistant(B.T0, B.tokens(3, 4, 0, 5))),),
    )
    holder.commit()  # committed, and the lock is kept while the connection lives
    try:
        with pytest.raises(sqlite3.OperationalError):
            sqlite3.connect(f"file:{tmp_path / 'opencode.db'}?mode=ro", uri=True).execute(
                "SELECT count(*) FROM message"
            ).fetchone()
        before = checksums(tmp_path)
        truth, document = totals(tmp_path)
        assert truth == Truth(1, 3, 4, 5) and document["unreadable_files"] == 0
        assert checksums(tmp_path) == before
    finally:
        holder.close()


def test_a_damaged_database_is_reported_and_the_json_still_counted(tmp_path: Path) -> None:
    (tmp_path / "opencode.db").write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    storage = tmp_path / "storage"
    B.legacy_message(storage, "ses_1", "msg_1", B.assistant(B.T0, B.tokens(1, 1, 0, 1)))
    code, out, err = run_cli("export", "--json", "--root", f"opencode={tmp_path}", "--tz", "UTC")
    assert code == 0 and "opencode.db" in err and "could not read" in err
    document = json.loads(out)
    assert document["unreadable_files"] == 1 and truth_of(document["totals"]) == Truth(1, 1, 1, 1)


def test_discovery_never_walks_the_part_and_snapshot_trees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = tmp_path / "storage"
    B.legacy_message(storage, "ses_1", "msg_1", B.assistant(B.T0, B.tokens(1, 1, 0, 1)))
    B.legacy_part(storage, "msg_1", "prt_1", B.step(B.tokens(5, 6, 0, 7)))
    for index in range(50):
        B.legacy_part(storage, f"msg_x{index}", "prt_1", B.text("a part of another message"))
    (tmp_path / "snapshot" / "global" / "objects").mkdir(parents=True)
    (storage / "session_diff").mkdir()
    walked: list[str] = []
    real = os.scandir

    def spy(path: str):  # records what the walk enters; the real scandir does the work
        walked.append(os.path.relpath(path, tmp_path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", spy)
    found = discover([SourceRoot(get("opencode"), tmp_path)])
    monkeypatch.undo()
    assert [os.path.relpath(f.path, tmp_path) for f in found.files] == [
        "storage/message/ses_1/msg_1.json"
    ]
    assert sorted(walked) == [".", "storage", "storage/message", "storage/message/ses_1"]
    truth, _ = totals(tmp_path)  # the message's parts are still read: the step's tokens
    assert truth == Truth(1, 5, 6, 7)


def test_without_sqlite_json_functions_the_same_rows_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    plan = make_plan(rng, writer.SHAPE, sessions=8, start=date(2026, 4, 1), days=3)
    writer.write(plan, tmp_path, rng)
    path = str(tmp_path / ".local" / "share" / "opencode" / "opencode.db")

    def rows() -> tuple[list, list, list, int]:
        read = database.read_database(path)
        calls = [
            dict(zip(read.calls, values, strict=True))
            for values in zip(*read.calls.values(), strict=True)
        ]

        def canonical(records: list[dict]) -> list[str]:
            return sorted(repr(sorted(record.items())) for record in records)

        return canonical(calls), canonical(read.prompts), canonical(read.agents), read.skipped

    with_json = rows()
    monkeypatch.setattr(database, "_has_json", lambda connection: False)
    assert rows() == with_json and with_json[0]
