"""``tokentree forget``: remove archived calls on request.

Only the archive is touched (the calls of log files that are gone); calls of files on disk are
read again from them on every run. The selected rows are removed by writing the archive's
remaining rows as one new segment and then deleting the segments read, so a reader sees either
the old archive or the new one. A cache saved for the old archive is not served again (its
archive key no longer matches), so the next run shows the tree without the forgotten calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tokentree.data.history.archive import Archive, choose, insert_rows, remove
from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.cache import RAW_TABLES
from tokentree.model.labels import project_name

if TYPE_CHECKING:
    import duckdb

_WITH_TIME = ("raw_calls", "raw_prompts", "raw_events", "raw_limits")


@dataclass(frozen=True, slots=True)
class Selector:
    """Which archived rows to forget: all conditions given must hold."""

    before: datetime | None = None
    """Rows dated before this instant."""
    session: str | None = None
    project: str | None = None
    """A project as the explorer names it, or its directory."""

    @property
    def empty(self) -> bool:
        return self.before is None and self.session is None and self.project is None


@dataclass(frozen=True, slots=True)
class Forgotten:
    calls: int = 0
    sessions: int = 0
    files: int = 0
    """Archived files none of whose rows are left."""
    dry_run: bool = False

    def summary(self) -> str:
        if not self.calls and not self.files:
            return "tokentree: nothing archived matches; nothing forgotten"
        verb = "would forget" if self.dry_run else "forgot"
        files = f"{self.files} archived file{'s' * (self.files != 1)}"
        return (
            f"tokentree: {verb} {self.calls} archived call{'s' * (self.calls != 1)} in "
            f"{self.sessions} session{'s' * (self.sessions != 1)} ({files} emptied)"
        )


def forget(archive: Archive, selector: Selector, *, dry_run: bool = False) -> Forgotten:
    """Remove (or with ``dry_run`` count) the archived rows ``selector`` picks."""
    from tokentree.data.engine import duckdb

    if selector.empty:
        raise ValueError("forget needs --before, --session or --project")
    segments = archive.segments()
    if not segments:
        return Forgotten(dry_run=dry_run)
    con = duckdb.connect(":memory:", config={"autoload_known_extensions": False})
    try:
        con.execute(
            ";\n".join(
                [
                    *statements("raw_tables", package="tokentree.data.store"),
                    *statements("call_key", package="tokentree.data.store"),
                ]
            )
        )
        con.execute("SET TimeZone = 'UTC'")
        chosen = choose(con, segments, ())
        insert_rows(con, chosen, "main")
        sessions = _sessions(con, selector)
        where = _where(selector, sessions is not None)
        params = {"before": selector.before} if selector.before is not None else {}
        if sessions is not None:
            con.execute(
                "CREATE TEMP TABLE forget_sessions AS SELECT unnest($1::VARCHAR[]) AS session_id",
                [sorted(sessions)],
            )
        calls, touched = con.execute(
            sql("forget_counts", package=__package__, where=where), params
        ).fetchone()
        removed = 0
        for table in _WITH_TIME:
            removed += _deleted(con, f"DELETE FROM {table} WHERE {where}", params)
        agents = _where(selector, sessions is not None, dated=False)
        removed += _deleted(con, sql("forget_agents", package=__package__, where=agents))
        left = " UNION ".join(f"SELECT file_id FROM {t}" for t in RAW_TABLES)
        emptied = con.execute(
            f"SELECT count(*) FROM {chosen} WHERE file_id NOT IN ({left})"
        ).fetchone()[0]
        result = Forgotten(int(calls), int(touched), int(emptied), dry_run)
        if dry_run or not removed:
            return result
        manifest = f"SELECT * EXCLUDE (segment) FROM {chosen} WHERE file_id IN ({left})"
        archive.write(con, "main", left, manifest)
        remove(segments, archive.directory)
        return result
    finally:
        con.close()


def _sessions(con: duckdb.DuckDBPyConnection, selector: Selector) -> set[str] | None:
    """The sessions the selector names (None: it names none, only a date)."""
    if selector.session is None and selector.project is None:
        return None
    rows = con.execute(
        "SELECT DISTINCT session_id, cwd, project FROM raw_calls WHERE session_id IS NOT NULL"
    ).fetchall()
    found = set()
    for session, cwd, project in rows:
        if selector.session is not None and session != selector.session:
            continue
        if selector.project is not None and selector.project not in {
            project,
            cwd,
            project_name(cwd) if cwd else None,
        }:
            continue
        found.add(session)
    if selector.session is not None and selector.project is None:
        found.add(selector.session)  # its prompts and events even without a call left
    return found


def _where(selector: Selector, by_session: bool, *, dated: bool = True) -> str:
    parts = ["true"]
    if by_session:
        parts.append("session_id IN (SELECT session_id FROM forget_sessions)")
    if dated and selector.before is not None:
        parts.append("ts < $before")
    return " AND ".join(parts)


def _deleted(con: duckdb.DuckDBPyConnection, statement: str, params: object = None) -> int:
    """Run a DELETE; the number of rows it removed."""
    row = con.execute(statement, params).fetchone()
    return int(row[0]) if row else 0
