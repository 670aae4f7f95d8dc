"""The streaming chat format: Gemini CLI's ``.jsonl``, read by DuckDB in place (see
``lines.py``). A file is re-read whole when it grows: message lines carry no session id (only
the file's first line does), so appended lines cannot be read on their own."""

from __future__ import annotations

from tokentree.data.source import LineFormat
from tokentree.data.sources.gemini import lines, records
from tokentree.data.sources.gemini.paths import CHAT
from tokentree.data.sources.gemini.projects import file_context
from tokentree.data.sqlfiles import split, sql


def _paths(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in lines.FIELDS_BY_KIND[kind]) + "]"


def _scan_sql() -> str:
    return sql(
        "scan",
        package=__package__,
        paths_g=_paths("G"),
        paths_u=_paths("U"),
        paths_m=_paths("M"),
        args_detail=", ".join(f"b.args->>'{key}'" for key in records.DETAIL_KEYS),
        detail_limit=records.DETAIL_LIMIT,
    )


def _stage_sql() -> list[str]:
    positions: dict[str, object] = {}
    for kind, fields in lines.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = lines.index(kind, name)
    positions["text_limit"] = records.TEXT_LIMIT
    return split(sql("stage", package=__package__, **positions))


CHAT_FORMAT = LineFormat(
    name=CHAT,
    scan_sql=_scan_sql(),
    stage_sql=_stage_sql(),
    classify=lines.classify,
    parse=lines.extract_line,
    appendable=False,
    file_context=file_context,
)
