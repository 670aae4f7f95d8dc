"""The tables the insights are computed from (``store.derived`` decides when): ``whatif_rates``,
then ``insight_turns`` with ``insight_agents`` and ``insight_models`` (``sql/insights_prepare.sql``)
alongside ``insight_rebuilds`` and ``insight_reads`` (``sql/insights_prepare_rebuilds.sql``,
``sql/insights_prepare_reads.sql``), on two cursors; for everything, or for the sessions of a
delta (:mod:`tokentree.data.store.delta`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tokentree.data.activity.build import money_type
from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.concurrent import in_parallel, statements_task
from tokentree.data.store.delta import merge, relations, retarget
from tokentree.model.activity import FILE_EDIT_TOOLS, FILE_READ_TOOLS, ORDER

if TYPE_CHECKING:
    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.store.derived import DerivedTables
    from tokentree.data.store.store import UsageStore

REBUILD_MIN_TOKENS = 5_000
DEFAULT_ALTERNATIVE = "claude-sonnet-4-6"
"""The model-choice what-if's cheaper model when no sonnet model is in the data."""
PREMIUM_FACTOR = 1.5
"""A model is premium when its output rate is at least this times the alternative's."""
TABLES = ("insight_turns", "insight_agents", "insight_models", "insight_rebuilds", "insight_reads")
"""Every table is per session: a delta replaces the rows of its sessions."""
INPUTS = (
    "calls",
    "prompts",
    "raw_agents",
    "priced",
    "call_turns",
    "call_flow",
    "call_cost_parts",
    "call_tools",
    "call_activity",
)
"""What the tables are built from, besides small lookup tables (a delta: the scope's rows)."""


def prepare(
    store: UsageStore, rules: Mapping[str, str] | None, prices: PriceTable | None
) -> tuple[Any, ...]:
    """The attribution tables, ``whatif_rates`` and the insight tables current; returns the
    data's token (see :meth:`DerivedTables.ensure_insights`)."""
    return store.derived.ensure_insights(rules, prices)


def whatif_rows(store: UsageStore, prices: PriceTable | None) -> list[tuple[Any, ...]]:
    """The rows of ``whatif_rates``: one per premium model in the data, with its alternative's
    rates (the most used sonnet model, else the default)."""
    from tokentree.data.pricing.prices import RATE_COLUMNS, PriceTable

    cursor = store.cursor()
    names = [name for name, _ in RATE_COLUMNS]
    columns = ", ".join("r." + n for n in names)
    rows = cursor.execute(sql("used_model_rates", package=__package__, columns=columns)).fetchall()
    by_model = {row[0]: row[:-1] for row in rows}
    used = sorted((row for row in rows if "sonnet" in (row[0] or "")), key=lambda r: (-r[-1], r[0]))
    if used:
        alt_row = used[0][:-1]
    else:
        table = prices or PriceTable.bundled()
        alt_row = table.rate_row(DEFAULT_ALTERNATIVE)
    out_index = names.index("out_r")
    alt_out = alt_row[out_index]
    premium = [
        row
        for model, row in sorted(by_model.items())
        if alt_out and row[out_index] and row[out_index] >= PREMIUM_FACTOR * alt_out
    ]
    keep = [i for i, n in enumerate(names) if n not in ("model", "canonical")]
    if not (premium and alt_row[1]):
        return []
    return [(row[0], alt_row[0], *(alt_row[i] for i in keep)) for row in premium]


def load_whatif(store: UsageStore, rows: list[tuple[Any, ...]]) -> None:
    """(Re)create ``whatif_rates`` with ``rows`` (:func:`whatif_rows`)."""
    from tokentree.data.pricing.prices import RATE_COLUMNS

    cursor = store.cursor()
    columns = ", ".join(f"{n} {t}" for n, t in RATE_COLUMNS if n not in ("model", "canonical"))
    cursor.execute(f"CREATE OR REPLACE TABLE whatif_rates (model VARCHAR, alt VARCHAR, {columns})")
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        cursor.executemany(f"INSERT INTO whatif_rates VALUES ({marks})", rows)


def loaded_whatif(store: UsageStore) -> list[tuple[Any, ...]]:
    """The rows ``whatif_rates`` holds (an adopted stage's: what its tables were built with)."""
    return [
        tuple(row)
        for row in store.cursor().execute("SELECT * FROM whatif_rates ORDER BY model").fetchall()
    ]


def _sql_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in sorted(names))  # code constants only


def build_tables(derived: DerivedTables, *, scoped: bool) -> None:
    """Build the insight tables (after the attribution tables and ``whatif_rates``): the turns
    (with subagents and what-ifs) alongside the cache rebuilds and the file reads; for
    everything, or (``scoped``) for the sessions in ``delta_sessions``. Then pick the type
    money is fetched as."""
    store = derived.store
    tables = {
        **relations(INPUTS, TABLES, scoped=scoped),
        "insight_turns_new": "delta_new_insight_turns_new" if scoped else "insight_turns_new",
    }
    reads = statements(
        "prepare_reads",
        package=__package__,
        read_tools=_sql_list(FILE_READ_TOOLS),
        edit_tools=_sql_list(FILE_EDIT_TOOLS),
        reading=ORDER["reading"],
        **tables,
    )
    rebuilds = statements(
        "prepare_rebuilds", package=__package__, rebuild_min=REBUILD_MIN_TOKENS, **tables
    )
    turns = statements(
        "prepare",
        package=__package__,
        rebuild_min=REBUILD_MIN_TOKENS,
        money=derived.activity_money,
        **tables,
    )
    if scoped:
        turns, rebuilds, reads = (
            [retarget(statement, TABLES) for statement in group]
            for group in (turns, rebuilds, reads)
        )
    in_parallel(store, [statements_task(turns), statements_task([*rebuilds, *reads])])
    if scoped:
        merge(store.cursor(), TABLES)
    row = store.cursor().execute(sql("money_bound", package=__package__)).fetchone()
    derived.insight_money = money_type(row[0] if row else None)


def money_of(store: UsageStore) -> str:
    """The SQL type the insight queries fetch money as (see :func:`money_type`)."""
    return store.derived.insight_money
