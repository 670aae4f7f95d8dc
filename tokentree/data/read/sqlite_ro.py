"""Reading a sqlite database another program may be writing: read-only, WAL-safe, briefly.

Python's ``sqlite3`` is used (DuckDB's sqlite extension is a download). How a database is opened
depends on what is on disk, so that tokentree never writes into the user's directory — not even
the ``-wal``/``-shm`` files SQLite creates when a reader opens a WAL database that has none:

* a WAL database with its ``-wal`` and ``-shm`` present (the program is running): ``mode=ro``,
  which reads the committed pages in the WAL through the existing shared-memory index;
* a database without a live WAL (checkpointed and closed, or a rollback-journal database with no
  hot journal): ``immutable=1``, which reads the file as it is and creates nothing;
* anything else, or either of the above failing (a ``-wal`` without ``-shm`` left by a crash, a
  hot journal, a read-only directory): a private copy of the database and its ``-wal`` in a
  temporary directory of tokentree's own, opened there.

Queries run in one read transaction so they see one consistent state; the connection is closed
at once, so no lock is held. A database that stays locked, is not a database or is corrupt
raises :class:`~tokentree.data.source.StoreError` with a message for the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from tokentree.data.source import StoreError

BUSY_SECONDS = 2.0
"""How long a read waits for a writer's exclusive lock before giving up (retried next time)."""
HEADER = b"SQLite format 3\x00"


def _uri(path: str, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"file:{quote(os.path.abspath(path))}?{query}"


def _is_wal(path: str) -> bool:
    """The header's read/write versions are 2 for a WAL database."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    if not header.startswith(HEADER):
        raise StoreError("not a sqlite database")
    return header[18:20] == b"\x02\x02"


def _connect(uri: str) -> sqlite3.Connection:
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, check_same_thread=False)
    connection.execute("PRAGMA query_only = ON")
    connection.execute("BEGIN")  # one read transaction: a consistent snapshot
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return connection


def _copy(path: str, directory: str) -> str:
    target = os.path.join(directory, os.path.basename(path))
    shutil.copyfile(path, target)
    for suffix in ("-wal", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            shutil.copyfile(path + suffix, target + suffix)
    return target


def _error(path: str, error: sqlite3.Error) -> StoreError:
    text = str(error)
    if "locked" in text or "busy" in text:
        return StoreError(f"database is locked by another program ({text}); read again later")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"database is damaged ({text})")
    return StoreError(f"cannot read the database ({text})")


@contextlib.contextmanager
def open_readonly(path: str) -> Iterator[sqlite3.Connection]:
    """A read-only connection inside one read transaction (see the module docstring)."""
    wal = _is_wal(path)
    live_wal = os.path.exists(path + "-wal")
    attempts: list[str] = []
    if wal and live_wal and os.path.exists(path + "-shm"):
        attempts.append(_uri(path, mode="ro"))
    elif not live_wal and not os.path.exists(path + "-journal"):
        attempts.append(_uri(path, mode="ro", immutable="1"))
    connection: sqlite3.Connection | None = None
    last: sqlite3.Error | None = None
    for uri in attempts:
        try:
            connection = _connect(uri)
            break
        except sqlite3.Error as error:
            last = error
    scratch: str | None = None
    try:
        if connection is None:
            scratch = tempfile.mkdtemp(prefix="tokentree-sqlite-")
            try:
                connection = _connect(_uri(_copy(path, scratch)))
            except sqlite3.Error as error:
                raise _error(path, error if last is None else last) from None
        try:
            yield connection
        except sqlite3.Error as error:
            raise _error(path, error) from None
        finally:
            connection.close()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def tables(connection: sqlite3.Connection) -> set[str]:
    return {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def columns(connection: sqlite3.Connection, table: str) -> set[str]:
    """The column names of ``table`` (empty when it does not exist): schemas drift between
    versions, so readers select what is there."""
    return {row[1] for row in connection.execute(f"PRAGMA table_info({_identifier(table)})")}


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_files(path: str | Path) -> list[str]:
    """The database and its companions that exist (for checksums in tests and the watcher)."""
    base = str(path)
    return [p for p in (base, base + "-wal", base + "-shm") if os.path.exists(p)]
