"""The session format as a line format: pi's JSONL read by DuckDB in place (``lines.py``).

Ordered: a request that does not name its model takes the last model switch before it. Not
appendable: appended lines need the header of their file (the session's working directory and
fork time), and pi rewrites a whole file when it migrates an old session to the current
version, so a file that changed is read again whole (only the files that changed are read).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from tokentree.data.shared.pi_session import lines
from tokentree.data.source import LineFormat
from tokentree.data.sqlfiles import split, sql

FileContext = Callable[[str], Sequence[str | None]]
"""A source's facts of a file's path: [session id, project, 'copy' for a whole-file copy]."""


def _with_modified(file_context: FileContext) -> FileContext:
    """The source's facts and the file's modification time (ISO 8601): the time of a request
    whose lines and header carry none."""

    def context(path: str) -> list[str | None]:
        values = list(file_context(path))
        try:
            modified = datetime.fromtimestamp(os.stat(path).st_mtime, UTC).isoformat()
        except (OSError, ValueError, OverflowError):
            modified = None
        return [*values, modified]

    return context


def _paths(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in lines.FIELDS_BY_KIND[kind]) + "]"


def _contains(marker: str) -> str:
    return f"contains(line, '{marker}')"


def _kind_case() -> str:
    """``classify``'s tests in SQL: the compact markers, then the whitespace-tolerant ones."""
    compact = " ".join(
        "WHEN "
        + " OR ".join(
            "(" + " AND ".join(_contains(marker) for marker in markers) + ")"
            for markers in alternatives
        )
        + f" THEN '{kind}'"
        for kind, alternatives in lines.MARKERS
    )
    loose = " ".join(
        "WHEN "
        + " AND ".join(f"regexp_matches(line, '{pattern}')" for pattern in patterns)
        + f" THEN '{kind}'"
        for kind, patterns in lines.LOOSE_MARKERS
    )
    head = f"regexp_matches(left(line, {lines.LOOSE_PREFIX}), '{lines.LOOSE_HEAD}')"
    return f"CASE {compact} WHEN {head} THEN CASE {loose} END END"


def _scan_sql() -> str:
    detail = ", ".join(f"b.arguments->>'{key}'" for key in lines.TOOL_DETAIL_KEYS)
    return sql(
        "scan",
        package=__package__,
        kind_case=_kind_case(),
        paths_a=_paths("A"),
        paths_u=_paths("U"),
        paths_h=_paths("H"),
        paths_m=_paths("M"),
        content_path=lines.CONTENT_PATH,
        tool_call=lines.TOOL_CALL,
        arguments_detail=detail,
        detail_limit=lines.DETAIL_LIMIT,
    )


def _stage_sql(source: str) -> list[str]:
    positions: dict[str, object] = {"source": source, "text_limit": lines.TEXT_LIMIT}
    for kind, fields in lines.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = lines.index(kind, name)
    positions["u_content"] = lines.index("U", "content")
    return split(sql("stage", package=__package__, **positions))


def session_format(name: str, source: str, file_context: FileContext) -> LineFormat:
    """The format ``name`` of ``source``: pi session lines, whose files' session, project and
    copy status ``file_context`` reads from their paths."""
    return LineFormat(
        name=name,
        scan_sql=_scan_sql(),
        stage_sql=_stage_sql(source),
        classify=lines.classify,
        parse=lines.extract_line,
        setup_sql=split(sql("setup", package=__package__)),
        appendable=False,
        file_context=_with_modified(file_context),
        ordered=True,
    )
