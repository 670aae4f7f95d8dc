"""The transcript format: Claude Code's JSONL, read by DuckDB in place (see ``lines.py``)."""

from __future__ import annotations

from tokentree.data.source import LineFormat
from tokentree.data.sources.claude import lines
from tokentree.data.sources.claude.paths import TRANSCRIPT
from tokentree.data.sqlfiles import split, sql


def _paths(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in lines.FIELDS_BY_KIND[kind]) + "]"


def _literal(text: str) -> str:
    """``text`` for a single-quoted SQL string."""
    return text.replace("'", "''")


def _scan_sql() -> str:
    return sql(
        "scan",
        package=__package__,
        paths_a=_paths("A"),
        paths_u=_paths("U"),
        paths_s=_paths("S"),
        paths_p=_paths("P"),
        i_b1_type=lines.index("A", "b1_type"),
        input_detail=", ".join(f"b.input->>'{key}'" for key in lines.TOOL_DETAIL_KEYS),
        detail_limit=lines.DETAIL_LIMIT,
        snapshot_prefix=_literal(lines.SNAPSHOT_PREFIX),
        loose_kind=_loose_kind(),
    )


def _loose_kind() -> str:
    """The tentative kind of a line without compact markers (``lines._classify_loose``)."""
    return (
        f"CASE WHEN NOT regexp_matches(left(line, {lines.LOOSE_PREFIX}), "
        f"'{_literal(lines.LOOSE_HEAD)}') THEN NULL "
        f"WHEN regexp_matches(line, '{_literal(lines.LOOSE_ASSISTANT)}') THEN 'A' "
        f"WHEN regexp_matches(line, '{_literal(lines.LOOSE_USER)}') THEN 'U' "
        f"WHEN regexp_matches(line, '{_literal(lines.LOOSE_COMPACT)}') THEN 'S' END"
    )


def _stage_sql() -> list[str]:
    for name, _ in lines.ASSISTANT_FIELDS:  # stage.sql reads both kinds by the A positions
        assert lines.index("P", name) == lines.index("A", name), name
    positions: dict[str, object] = {}
    for kind, fields in lines.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = lines.index(kind, name)
    positions["a_detail"] = ", ".join(
        f"x[{lines.index('A', 'in_' + key)}]" for key in lines.TOOL_DETAIL_KEYS
    )
    positions["detail_limit"] = lines.DETAIL_LIMIT
    positions["text_limit"] = lines.TEXT_LIMIT
    return split(sql("stage", package=__package__, **positions))


TRANSCRIPT_FORMAT = LineFormat(
    name=TRANSCRIPT,
    scan_sql=_scan_sql(),
    stage_sql=_stage_sql(),
    classify=lines.classify,
    parse=lines.extract_line,
    setup_sql=split(sql("setup", package=__package__)),
)
