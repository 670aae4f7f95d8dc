"""The chat format: Qwen Code's ``.jsonl`` sessions, read by DuckDB in place (see
``records.py``). Appendable: every record carries its session, time and usage, so appended
records are read on their own (a record re-appended in the tail is merged by its uuid)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from tokentree.data.source import LineFormat
from tokentree.data.sources.qwen import records
from tokentree.data.sources.qwen.paths import CHAT, project_dir
from tokentree.data.sqlfiles import split, sql

CONTEXT_FIELDS = ("project", "stem")
"""What :func:`file_context` gives ``stage.sql``: the project directory, the file's stem (the
session id when records name none)."""


def file_context(path: str) -> Sequence[str | None]:
    stem = os.path.basename(path).removesuffix(".jsonl")
    return [project_dir(path), stem or None]


def _markers(kind: str) -> str:
    return " OR ".join(f"contains(line, '{marker}')" for marker in records.MARKERS[kind])


def _tool_names() -> str:
    return "MAP {" + ", ".join(f"'{k}': '{v}'" for k, v in records.TOOL_NAMES.items()) + "}"


def _scan_sql() -> str:
    detail = ", ".join(f"p.functionCall.args->>'{key}'" for key in records.DETAIL_KEYS)
    return sql(
        "scan",
        package=__package__,
        paths_a=records.paths_sql("A"),
        paths_u=records.paths_sql("U"),
        markers_a=_markers("A"),
        markers_u=_markers("U"),
        tool_names=_tool_names(),
        args_detail=detail,
        detail_limit=records.DETAIL_LIMIT,
    )


def _stage_sql() -> list[str]:
    positions: dict[str, object] = {}
    for kind, fields in records.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = records.index(kind, name)
    positions.update({f"c_{name}": CONTEXT_FIELDS.index(name) + 1 for name in CONTEXT_FIELDS})
    return split(sql("stage", package=__package__, **positions, text_limit=records.TEXT_LIMIT))


CHAT_FORMAT = LineFormat(
    name=CHAT,
    scan_sql=_scan_sql(),
    stage_sql=_stage_sql(),
    classify=records.classify,
    parse=records.parse,
    file_context=file_context,
)
