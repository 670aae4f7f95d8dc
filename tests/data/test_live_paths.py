"""Live refreshes by changed paths, against real files: appended bytes are read from the saved
offset (a partial last line waits for its newline), a file that shrank or was replaced is read
again, new and deleted files and directories are handled, a sqlite ``-wal`` change re-reads its
database; and none of it walks the roots."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.data.sources.claude.lines import assistant, prompt, write
from tokentree.data.read import ingest as ingest_module
from tokentree.data.read.discovery import SourceRoot
from tokentree.data.read.sqlite_ro import open_readonly
from tokentree.data.source import RawRows, Source, StoreFormat
from tokentree.data.workspace import Options, Workspace

T = "2026-11-20T10:{:02d}:00.000Z"


def call(n: int, out: int, session: str = "s1") -> str:
    return assistant(
        f"msg_{n}", T.format(n), rid=f"req_{n}", out=out, uuid=f"u{n}", session=session
    )


def totals(workspace: Workspace) -> tuple[int, int]:
    workspace.store.build(workspace.view)
    row = workspace.store.cursor().execute("SELECT count(*), sum(output) FROM calls").fetchone()
    return int(row[0]), int(row[1] or 0)


@pytest.fixture
def no_walk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """After this, any walk of the roots fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a live refresh walked the roots")

    monkeypatch.setattr(ingest_module, "discover", refuse)
    yield


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Workspace, Path]]:
    root = tmp_path / "projects"
    write(root / "p" / "a.jsonl", [prompt("go", T.format(0)), call(1, 10), call(2, 20)])
    workspace = Workspace(Options(roots=[root], tz="UTC", use_cache=False))
    workspace.refresh()
    yield workspace, root
    workspace.close()


def test_appends_and_partial_lines_are_read_from_the_offset(live, no_walk) -> None:
    workspace, root = live
    path = root / "p" / "a.jsonl"
    assert totals(workspace) == (2, 30)
    third, fourth = call(3, 300), call(4, 4000)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(third + "\n" + fourth[:50])  # the fourth line is still being written
    report = workspace.refresh(paths=[path])
    assert (report.files_appended, report.files_read) == (1, 0)
    assert report.bytes_read == len(third) + 1 + 50
    assert totals(workspace) == (3, 330) and report.truncated_files == 1
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(fourth[50:] + "\n")
    report = workspace.refresh(paths=[path])  # from before the partial line: all of it
    assert report.files_appended == 1 and report.bytes_read == len(fourth) + 1
    assert totals(workspace) == (4, 4330) and report.truncated_files == 0


def test_shrunk_and_replaced_files_are_read_again(live, no_walk) -> None:
    workspace, root = live
    path = root / "p" / "a.jsonl"
    write(path, [prompt("go", T.format(0)), call(1, 10)])  # compacted: shorter
    report = workspace.refresh(paths=[path])
    assert (report.files_read, report.files_appended) == (1, 0)
    assert totals(workspace) == (1, 10)
    # Replaced by other content of a greater size: the bytes before the old end differ.
    write(path, [prompt("again", T.format(0)), call(7, 70), call(8, 80), call(9, 90)])
    report = workspace.refresh(paths=[path])
    assert (report.files_read, report.files_appended) == (1, 0)
    assert totals(workspace) == (3, 240)


def test_new_deleted_files_and_directories(live, no_walk) -> None:
    workspace, root = live
    other = write(root / "q" / "b.jsonl", [call(5, 500, session="s2")])
    report = workspace.refresh(paths=[other])
    assert report.files_read == 1 and totals(workspace) == (3, 530)
    # A directory created with files in it before the watcher saw them: named by itself.
    write(root / "r" / "sub" / "c.jsonl", [call(6, 6000, session="s3")])
    report = workspace.refresh(paths=[root / "r"])
    assert report.files_read == 1 and totals(workspace) == (4, 6530)
    other.unlink()  # its calls stay, archived
    report = workspace.refresh(paths=[other])
    assert report.files_dropped == report.files_archived == 1
    assert totals(workspace) == (4, 6530)
    shutil.rmtree(root / "r")  # a directory removed (or moved away) at once
    report = workspace.refresh(paths=[root / "r"])
    assert report.files_dropped == report.files_archived == 1
    assert totals(workspace) == (4, 6530)
    assert report.files == 1


def test_paths_outside_the_roots_or_not_logs_change_nothing(live, no_walk, tmp_path) -> None:
    workspace, root = live
    (root / "p" / "notes.txt").write_text("x")
    elsewhere = write(tmp_path / "elsewhere" / "x.jsonl", [call(9, 9)])
    report = workspace.refresh(paths=[root / "p" / "notes.txt", elsewhere])
    assert not report.changed and totals(workspace) == (2, 30)


def test_the_watcher_filter_takes_logs_and_directories(live) -> None:
    workspace, root = live
    assert workspace.watches(str(root / "p" / "a.jsonl"))
    assert not workspace.watches(str(root / "p" / "notes.txt"))
    (root / "new").mkdir()
    assert workspace.watches(str(root / "new"))  # a directory that appeared
    assert workspace.watches(str(root / "p"))
    assert not workspace.watches(str(root / "gone"))  # vanished, but nothing known under it
    shutil.rmtree(root / "p")
    assert workspace.watches(str(root / "p"))  # vanished with known files under it


# ---------------------------------------------------------------- a sqlite store with a -wal


def read_db(path: str) -> RawRows:
    rows = RawRows()
    with open_readonly(path) as connection:
        for call_id, output in connection.execute("SELECT id, output FROM calls"):
            rows.calls.append(
                {
                    "call_id": str(call_id),
                    "session_id": "db",
                    "ts": "2026-11-20T11:00:00+00:00",
                    "model": "claude-sonnet-4-5",
                    "output": output,
                }
            )
    rows.records = len(rows.calls)
    return rows


class SqliteToy(Source):
    name = "sqlitetoy"
    label = "sqlite toy"
    marker = "SQ"
    formats = (StoreFormat("db", read_db, companions=("-wal",)),)

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return []

    def match(self, path: str) -> str | None:
        return "db" if path.endswith(".db") else None


def test_a_wal_change_rereads_its_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store" / "app.db"
    db.parent.mkdir()
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # committed pages stay in the -wal
    writer.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY, output INTEGER)")
    writer.execute("INSERT INTO calls (output) VALUES (10)")
    writer.commit()
    workspace = Workspace(Options(roots=[tmp_path / "store"], tz="UTC", use_cache=False))
    workspace.roots = [SourceRoot(SqliteToy(), tmp_path / "store")]
    try:
        workspace.refresh()
        assert totals(workspace) == (1, 10)
        monkeypatch.setattr(ingest_module, "discover", None)  # no walk from here on
        writer.execute("INSERT INTO calls (output) VALUES (32)")
        writer.commit()
        wal = Path(f"{db}-wal")
        assert wal.exists() and workspace.watches(str(wal))
        report = workspace.refresh(paths=[wal])  # only the -wal changed
        assert report.files_read == 1 and totals(workspace) == (2, 42)
        assert not os.path.exists(f"{db}-journal")
    finally:
        writer.close()
        workspace.close()
