"""sqlite stores are read read-only and WAL-safe: committed data in a live WAL is seen, nothing
is created or changed in the user's directory, and damaged or foreign files are clear errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import checksums
from tokentree.data.read.sqlite_ro import columns, open_readonly, tables
from tokentree.data.source import StoreError


def make_db(path: Path, *, wal: bool, rows: int = 3) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")  # keep committed pages in the -wal
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    connection.executemany("INSERT INTO t (v) VALUES (?)", [(f"r{i}",) for i in range(rows)])
    connection.commit()
    return connection


def read_all(path: Path) -> list[str]:
    with open_readonly(str(path)) as connection:
        return [row[0] for row in connection.execute("SELECT v FROM t ORDER BY id")]


def listing(directory: Path) -> dict[str, str]:
    return checksums(directory)


def test_live_wal_is_read_without_touching_the_database(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    writer = make_db(db, wal=True)
    writer.execute("INSERT INTO t (v) VALUES ('in-wal')")
    writer.commit()
    assert (tmp_path / "app.db-wal").stat().st_size > 0
    before = {k: v for k, v in listing(tmp_path).items() if not k.endswith("-shm")}
    assert read_all(db) == ["r0", "r1", "r2", "in-wal"]
    after = {k: v for k, v in listing(tmp_path).items() if not k.endswith("-shm")}
    assert after == before
    writer.close()


def test_a_closed_wal_database_is_read_without_creating_files(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    make_db(db, wal=True).close()
    assert sorted(os.listdir(tmp_path)) == ["app.db"]
    before = listing(tmp_path)
    assert read_all(db) == ["r0", "r1", "r2"]
    assert listing(tmp_path) == before and sorted(os.listdir(tmp_path)) == ["app.db"]


def test_rollback_journal_database(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    make_db(db, wal=False).close()
    before = listing(tmp_path)
    with open_readonly(str(db)) as connection:
        assert tables(connection) == {"t"}
        assert columns(connection, "t") == {"id", "v"}
        assert columns(connection, "missing") == set()
    assert listing(tmp_path) == before


def test_a_wal_left_without_its_index_is_read_from_a_private_copy(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    writer = make_db(db, wal=True)
    writer.execute("INSERT INTO t (v) VALUES ('in-wal')")
    writer.commit()
    wal_bytes = (tmp_path / "app.db-wal").read_bytes()
    db_bytes = db.read_bytes()
    writer.close()  # checkpoints and removes the -wal: put back what a crash leaves
    db.write_bytes(db_bytes)
    (tmp_path / "app.db-wal").write_bytes(wal_bytes)
    before = listing(tmp_path)
    assert read_all(db) == ["r0", "r1", "r2", "in-wal"]
    assert listing(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["app.db", "app.db-wal"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a sqlite database"),
        (b"hello, not a database at all" * 10, "not a sqlite database"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "damaged"),
    ],
)
def test_foreign_and_damaged_files_are_clear_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    db = tmp_path / "app.db"
    db.write_bytes(content)
    with pytest.raises(StoreError, match=message), open_readonly(str(db)) as connection:
        connection.execute("SELECT * FROM t").fetchall()
    assert db.read_bytes() == content
