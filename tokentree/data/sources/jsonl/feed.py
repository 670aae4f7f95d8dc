"""The feed format: JSONL usage records read in place by DuckDB (see ``record.py``)."""

from __future__ import annotations

from tokentree.data.source import LineFormat
from tokentree.data.sources.jsonl import record
from tokentree.data.sqlfiles import split, sql


def _substitutions() -> dict[str, object]:
    values: dict[str, object] = {f"i_{name}": record.index(name) for name, _ in record.FIELDS}
    values.update({f"s_{name}": record.staged_index(name) for name in record.STAGED})
    below_ms, below_us, below_ns = record.EPOCH_LIMITS
    values.update(
        number=record.NUMBER,
        iso_time=record.ISO_TIME,
        below_ms=f"{below_ms:.0e}",
        below_us=f"{below_us:.0e}",
        below_ns=f"{below_ns:.0e}",
        paths="[" + ", ".join(f"'{path}'" for _, path in record.FIELDS) + "]",
        detail_limit=record.DETAIL_LIMIT,
    )
    return values


def _sql(name: str) -> str:
    return sql(name, package=__package__, **_substitutions())


FEED_FORMAT = LineFormat(
    name=record.FEED,
    scan_sql=_sql("scan"),
    stage_sql=split(_sql("stage")),
    classify=record.classify,
    parse=record.parse,
    setup_sql=split(_sql("setup")),
)
