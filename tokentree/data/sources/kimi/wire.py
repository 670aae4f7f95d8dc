"""The wire-log format: Kimi CLI's ``wire.jsonl``, read by DuckDB in place (see ``lines.py``).

Ordered: a step's tools are the ``ToolCall`` lines before its ``StatusUpdate``. Not appendable:
a grown log is read again whole (the appended lines' tools may belong to a step whose first lines
were read before)."""

from __future__ import annotations

from tokentree.data.source import LineFormat
from tokentree.data.sources.kimi import context, lines, tools
from tokentree.data.sources.kimi.paths import WIRE
from tokentree.data.sqlfiles import split, sql


def _scan_sql() -> str:
    markers = " OR ".join(f"contains(line, '{marker}')" for marker in lines.MARKERS)
    return sql(
        "scan", package=__package__, paths=lines.paths_sql(), markers=markers, kind=lines.KIND
    )


def _stage_sql() -> list[str]:
    positions: dict[str, object] = {f"i_{name}": lines.index(name) for name, _ in lines.FIELDS}
    positions.update({f"c_{name}": context.index(name) for name in context.CONTEXT_FIELDS})
    return split(
        sql(
            "stage",
            package=__package__,
            **positions,
            kind=lines.KIND,
            tool_names=tools.names_sql(),
            tool_detail=tools.detail_sql("tool_args"),
            text_limit=tools.TEXT_LIMIT,
        )
    )


WIRE_FORMAT = LineFormat(
    name=WIRE,
    scan_sql=_scan_sql(),
    stage_sql=_stage_sql(),
    classify=lines.classify,
    parse=lines.parse,
    appendable=False,
    file_context=context.file_context,
    ordered=True,
)
