"""Prompts for archived sessions that have none, from an assistant's own prompt history
(:meth:`~tokentree.data.source.Source.prompt_history`: Claude Code's ``history.jsonl`` outlives
the transcripts its clean-up deletes).

A history prompt belongs to an archived session (every file of it gone, no prompt among its
rows) by its session id, or, without one, by its working directory and time (typed in the
session's directory between a minute before its first call and its last call). It becomes a
raw prompt row read from the history file, so turns, labels and the export treat it as any
prompt; sessions with prompts of their own are never touched. Only asked for when such a
session exists: a read with nothing archived costs one small query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentree.data.read.identity import file_id
from tokentree.data.source import HistoryPrompt, Source
from tokentree.data.sqlfiles import sql

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.read.discovery import SourceRoot

SLACK = timedelta(minutes=1)
"""A prompt is typed a little before its first call."""
_COLUMNS = ("file_id", "uuid", "session_id", "ts", "texts", "cwd")


def label_archived(cursor: duckdb.DuckDBPyConnection, roots: Sequence[SourceRoot]) -> list[int]:
    """Add history prompts to the archived sessions without any; returns the file ids of the
    rows added (the history files)."""
    by_source: dict[str, tuple[Source, list[Path]]] = {}
    for root in roots:
        by_source.setdefault(root.source.name, (root.source, []))[1].append(root.path)
    added: set[int] = set()
    for name, (source, paths) in by_source.items():
        sessions = cursor.execute(
            sql("archived_without_prompts", package=__package__), {"source": name}
        ).fetchall()
        if not sessions:
            continue
        rows = matched(sessions, source.prompt_history(paths))
        if not rows:
            continue
        columns: list[list[Any]] = [[] for _ in _COLUMNS]
        for prompt, session in rows:
            fid = file_id(name, prompt.path)
            added.add(fid)
            key = f"{prompt.path}\0{prompt.ts.isoformat()}\0{prompt.text}\0{session}"
            uuid = "history:" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
            values = (fid, uuid, session, prompt.ts, [prompt.text], prompt.project)
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        select = ", ".join(f"unnest(${i + 1}) AS {name}" for i, name in enumerate(_COLUMNS))
        cursor.execute(f"INSERT INTO raw_prompts BY NAME SELECT {select}", columns)
    return sorted(added)


def matched(
    sessions: list[tuple[str, datetime, datetime, str | None]], history: list[HistoryPrompt]
) -> list[tuple[HistoryPrompt, str]]:
    """Each history prompt with the session it belongs to (see the module docstring)."""
    by_id: dict[str, list[HistoryPrompt]] = {}
    anonymous: list[HistoryPrompt] = []
    for prompt in history:
        if prompt.session_id:
            by_id.setdefault(prompt.session_id, []).append(prompt)
        else:
            anonymous.append(prompt)
    found: list[tuple[HistoryPrompt, str]] = []
    for session, start, end, cwd in sessions:
        own = by_id.get(session) or [
            p
            for p in anonymous
            if cwd is not None and p.project == cwd and start - SLACK <= p.ts <= end
        ]
        found += [(prompt, session) for prompt in own]
    return found
