"""A database in OpenCode's schema (``opencode.db`` and its forks' databases), read once, read-only.

The database is opened through :mod:`tokentree.data.read.sqlite_ro` (never a write, never a lock
held; a live WAL is read through its shared-memory index). What is read, in one transaction:

* ``session`` (and ``session_v2``): each session's parent and directory;
* ``message`` in id order and the parts that matter (``db_parts.sql``: the JSON is taken apart
  by SQLite, so the bulky tool outputs never reach Python), merged per message;
* ``session_message`` (v2 rows).

Schemas drift between versions: every query names only the columns that exist (a missing one
reads as NULL), a missing table reads as empty, and a blob that is not JSON (a message, or a part
that could matter) is skipped and counted, never fatal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from tokentree.data.read import sqlite_ro
from tokentree.data.shared.opencode_schema import parts as P
from tokentree.data.shared.opencode_schema import v2
from tokentree.data.shared.opencode_schema.assemble import Assembler, Message
from tokentree.data.shared.opencode_schema.sessions import SessionInfo, SessionTree
from tokentree.data.source import RawRows
from tokentree.data.sqlfiles import sql

PACKAGE = __package__


def _column(present: set[str], name: str) -> str:
    return name if name in present else "NULL"


def _extract(path: str) -> str:
    return f"json_extract(data, '{path}')"


def _part_values() -> str:
    """One column per field position: each part type's path at that position."""
    columns = []
    for index in range(P.WIDTH):
        cases = " ".join(
            f"WHEN '{kind}' THEN {_extract(paths[index])}"
            for kind, paths in P.PATHS.items()
            if index < len(paths)
        )
        columns.append(f"CASE kind {cases} END")
    return ", ".join(columns)


def _candidates() -> str:
    """Parts whose text names a type we read (``"tool"``, ``"step-finish"`` …): cheap substring
    tests that spare SQLite from parsing every other part."""
    return " OR ".join(f"instr(data, '\"{kind}\"')" for kind in P.PATHS)


def _has_json(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT json_valid('{}'), json_extract('{}', '$.a')")
    except sqlite3.OperationalError:
        return False
    return True


def _object(raw: Any) -> dict[str, Any] | None:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _sessions(connection: sqlite3.Connection, tables: set[str]) -> SessionTree:
    tree = SessionTree()
    for table in ("session", "session_v2"):
        present = sqlite_ro.columns(connection, table) if table in tables else set()
        if "id" not in present:
            continue
        query = sql(
            "db_sessions",
            package=PACKAGE,
            table=table,
            parent_id=_column(present, "parent_id"),
            directory=_column(present, "directory"),
        )
        for sid, parent, directory in connection.execute(query):
            if isinstance(sid, str) and sid not in tree.sessions:
                tree.add(
                    SessionInfo(
                        sid,
                        parent if isinstance(parent, str) and parent else None,
                        directory if isinstance(directory, str) and directory else None,
                    )
                )
    return tree


def _parts(
    connection: sqlite3.Connection, present: set[str], rows: RawRows, json1: bool
) -> Iterator[tuple[str, P.Part]]:
    """(message id, part) of the parts that matter, in message and part id order."""
    time_created = _column(present, "time_created")
    if json1:
        query = sql(
            "db_parts",
            package=PACKAGE,
            time_created=time_created,
            values=_part_values(),
            candidates=_candidates(),
        )
        for row in connection.execute(query):
            if not row[2]:
                rows.skipped += 1
            elif type(row[0]) is str:
                yield row[0], (row[3], row[4:], row[1])
        return
    query = sql(
        "db_parts_raw", package=PACKAGE, time_created=time_created, candidates=_candidates()
    )
    for message_id, created, data in connection.execute(query):
        obj = _object(data)
        if obj is None:
            rows.skipped += 1
            continue
        part = P.from_object(obj, created)
        if part is not None and isinstance(message_id, str):
            yield message_id, part


def _messages(
    connection: sqlite3.Connection, present: set[str], rows: RawRows, json1: bool
) -> Iterator[tuple[Any, Any, Any, tuple[Any, ...] | None]]:
    """(id, session id, creation time, fields or None when data is not a JSON object)."""
    time_created = _column(present, "time_created")
    if json1:
        paths = ", ".join(f"'{path}'" for path in P.MESSAGE_PATHS)
        query = sql("db_messages", package=PACKAGE, time_created=time_created, paths=paths)
        for message_id, session_id, created, fields in connection.execute(query):
            values = json.loads(fields) if isinstance(fields, str) else None
            yield message_id, session_id, created, None if values is None else tuple(values)
        return
    query = sql("db_messages_raw", package=PACKAGE, time_created=time_created)
    for message_id, session_id, created, data in connection.execute(query):
        obj = _object(data)
        yield message_id, session_id, created, None if obj is None else P.message_values(obj)


def _v1(connection: sqlite3.Connection, tables: set[str], assembler: Assembler) -> None:
    rows = assembler.rows
    present = sqlite_ro.columns(connection, "message")
    if not {"id", "session_id", "data"} <= present:
        return
    json1 = _has_json(connection)
    part_columns = sqlite_ro.columns(connection, "part") if "part" in tables else set()
    parts: Iterator[tuple[str, P.Part]] = iter(())
    if {"id", "message_id", "data"} <= part_columns:
        parts = _parts(connection, part_columns, rows, json1)
    pending = next(parts, None)
    for message_id, session_id, created, values in _messages(connection, present, rows, json1):
        rows.records += 1
        if not isinstance(message_id, str) or not isinstance(session_id, str):
            rows.skipped += 1
            continue
        own: list[P.Part] = []
        while pending is not None and pending[0] < message_id:
            pending = next(parts, None)  # parts of a message that is not there
        while pending is not None and pending[0] == message_id:
            own.append(pending[1])
            pending = next(parts, None)
        if values is None:
            rows.skipped += 1
            continue
        assembler.add(Message(message_id, session_id, values, own, created))


def _v2(connection: sqlite3.Connection, assembler: Assembler) -> None:
    rows = assembler.rows
    present = sqlite_ro.columns(connection, "session_message")
    if not {"id", "session_id", "type", "data"} <= present:
        return
    query = sql(
        "db_session_messages", package=PACKAGE, time_created=_column(present, "time_created")
    )
    for row_id, session_id, kind, created, data in connection.execute(query):
        rows.records += 1
        obj = _object(data)
        if obj is None or not isinstance(row_id, str) or not isinstance(session_id, str):
            rows.skipped += 1
            continue
        message = v2.message(row_id, session_id, kind, obj, created)
        if message is not None:
            assembler.add(message)


def read_database(path: str) -> RawRows:
    """Every call, prompt and subagent link of one OpenCode database."""
    with sqlite_ro.open_readonly(path) as connection:
        tables = sqlite_ro.tables(connection)
        assembler = Assembler(_sessions(connection, tables))
        if "message" in tables:
            _v1(connection, tables, assembler)
        if "session_message" in tables:
            _v2(connection, assembler)
    return assembler.finish()
