"""The rollout format: Codex's JSONL, read by DuckDB in place (see ``lines.py``).

Ordered: a request's usage is the change of the thread's cumulative total since the line
before, its model the last ``turn_context`` before it, its tools the calls before it, and a
fork's copied history ends at a marker line — all positions within the file. Not appendable: a
grown rollout is read again whole, because the lines appended cannot be counted without the
cumulative total, model and fork boundary of the lines before them (DuckDB re-reads a rollout
at hundreds of MB/s, and only the rollouts that changed are read).
"""

from __future__ import annotations

from collections.abc import Callable

from tokentree.data.source import LineFormat
from tokentree.data.sources.codex import lines, models
from tokentree.data.sources.codex.paths import ROLLOUT
from tokentree.data.sqlfiles import split, sql

DETAIL_LIMIT = 300
TEXT_LIMIT = 400


def _paths(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in lines.FIELDS_BY_KIND[kind]) + "]"


def _contains(marker: str) -> str:
    return f"contains(line, '{marker}')"


def _kind_tests(form: Callable[[str], str]) -> list[str]:
    """``WHEN … THEN kind`` clauses in classify()'s order, for markers written by ``form``."""
    clauses = [
        f"WHEN {' OR '.join(_contains(form(m)) for m in markers)} THEN '{kind}'"
        for kind, markers in lines.MARKERS
    ]
    for kind, first, second in (
        ("U", lines.ITEM_COMPLETED, lines.USER_ITEM),
        ("I", lines.INTER_AGENT, lines.TRIGGER),
    ):
        clauses.append(f"WHEN {_contains(form(first))} AND {_contains(form(second))} THEN '{kind}'")
    return clauses


def _kind_case() -> str:
    compact = " ".join(_kind_tests(lambda marker: marker))
    spaced = " ".join(_kind_tests(lines.spaced))
    return (
        f"CASE {compact} "
        f"WHEN contains(left(line, {lines.SPACED_PREFIX}), '\": ') THEN CASE {spaced} END END"
    )


def _scan_sql() -> str:
    extract = " ".join(
        f"WHEN '{kind}' THEN try(json_extract_string(line, {_paths(kind)}))"
        for kind in lines.FIELDS_BY_KIND
    )
    return sql("scan", package=__package__, kind_case=_kind_case(), extract_case=extract)


STAGES = ("threads", "usage", "rows")
"""The staging SQL, in order: whose thread each file is, what it billed, the raw rows."""


def _stage_sql() -> list[str]:
    positions: dict[str, object] = {}
    for kind, fields in lines.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = lines.index(kind, name)
    constants = {
        "text_limit": TEXT_LIMIT,
        "fallback_model": models.FALLBACK_MODEL,
        "auto_review": models.AUTO_REVIEW,
    }
    return [
        statement
        for stage in STAGES
        for statement in split(sql(stage, package=__package__, **positions, **constants))
    ]


ROLLOUT_FORMAT = LineFormat(
    name=ROLLOUT,
    scan_sql=_scan_sql(),
    stage_sql=_stage_sql(),
    classify=lines.classify,
    parse=lines.extract_line,
    setup_sql=split(
        sql("setup", package=__package__, detail_limit=DETAIL_LIMIT, **models.sql_lists())
    ),
    appendable=False,
    ordered=True,
)
