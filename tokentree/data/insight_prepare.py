"""The tables the insights are computed from, built once per data version (and price table):
``whatif_rates``, then ``insight_turns`` with ``insight_agents`` and ``insight_models``
(``sql/insights_prepare.sql``) alongside ``insight_rebuilds`` and ``insight_reads``
(``sql/insights_prepare_rebuilds.sql``, ``sql/insights_prepare_reads.sql``), on two cursors.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tokentree.data import activity_build
from tokentree.data.activity import ensure_activity
from tokentree.data.activity_build import money_type
from tokentree.data.concurrent import in_parallel, statements_task
from tokentree.data.sqlfiles import statements
from tokentree.model.activity import FILE_EDIT_TOOLS, FILE_READ_TOOLS, ORDER

if TYPE_CHECKING:
    from tokentree.data.pricing import PriceTable
    from tokentree.data.store import UsageStore

REBUILD_MIN_TOKENS = 5_000
DEFAULT_ALTERNATIVE = "claude-sonnet-4-6"
"""The model-choice what-if's cheaper model when no sonnet model is in the data."""
PREMIUM_FACTOR = 1.5
"""A model is premium when its output rate is at least this times the alternative's."""

_prepared: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = weakref.WeakKeyDictionary()


def prepare(
    store: UsageStore, rules: Mapping[str, str] | None, prices: PriceTable | None
) -> tuple[Any, ...]:
    """The attribution tables, ``whatif_rates`` and the insight tables, rebuilt (under the
    store's lock) only when the data changed; returns the data's token."""
    # the insight tables also depend on the days, weeks and turns (the view's time zone)
    token = (ensure_activity(store, rules), store.data_version, id(prices))
    with store.lock:
        if _prepared.get(store) != token:
            _load_whatif(store, prices)
            _prepare_tables(store)
            _prepared[store] = token
    return token


def _load_whatif(store: UsageStore, prices: PriceTable | None) -> None:
    """``whatif_rates``: one row per premium model in the data with its alternative's rates."""
    from tokentree.data.pricing import RATE_COLUMNS, PriceTable

    cursor = store.cursor()
    names = [name for name, _ in RATE_COLUMNS]
    rows = cursor.execute(  # model_rates has one row per model: count the calls per model first
        f"SELECT {', '.join('r.' + n for n in names)}, m.n FROM (SELECT c.model, count(*) AS n"
        " FROM calls c JOIN priced p USING (cid) GROUP BY c.model) m"
        " JOIN model_rates r ON r.model = m.model WHERE r.priced"
    ).fetchall()
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
        for model, row in by_model.items()
        if alt_out and row[out_index] and row[out_index] >= PREMIUM_FACTOR * alt_out
    ]
    columns = ", ".join(f"{n} {t}" for n, t in RATE_COLUMNS if n not in ("model", "canonical"))
    cursor.execute(f"CREATE OR REPLACE TABLE whatif_rates (model VARCHAR, alt VARCHAR, {columns})")
    keep = [i for i, n in enumerate(names) if n not in ("model", "canonical")]
    if premium and alt_row[1]:
        marks = ", ".join("?" for _ in range(len(keep) + 2))
        cursor.executemany(
            f"INSERT INTO whatif_rates VALUES ({marks})",
            [[row[0], alt_row[0], *(alt_row[i] for i in keep)] for row in premium],
        )


_money: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
"""The SQL type money is fetched as: BIGINT (converted to Python five times faster) when every
sum of a store's costs fits, as they always do in practice; else HUGEINT."""


def _sql_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in sorted(names))  # code constants only


def _prepare_tables(store: UsageStore) -> None:
    """Build the insight tables (after the attribution tables and ``whatif_rates``): the turns
    (with subagents and what-ifs) alongside the cache rebuilds and the file reads; then pick
    the type money is fetched as."""
    reads = statements(
        "insights_prepare_reads",
        read_tools=_sql_list(FILE_READ_TOOLS),
        edit_tools=_sql_list(FILE_EDIT_TOOLS),
        reading=ORDER["reading"],
    )
    rebuilds = statements("insights_prepare_rebuilds", rebuild_min=REBUILD_MIN_TOKENS)
    per_call = activity_build.money.get(store, "HUGEINT")
    turns = statements("insights_prepare", rebuild_min=REBUILD_MIN_TOKENS, money=per_call)
    in_parallel(store, [statements_task(turns), statements_task([*rebuilds, *reads])])
    row = (
        store.cursor()
        .execute(
            "SELECT greatest(sum(cost), sum(abs(split_saving)),"
            " (SELECT sum(alt_cost) FROM insight_models)) FROM insight_turns"
        )
        .fetchone()
    )
    _money[store] = money_type(row[0] if row else None)


def money_of(store: UsageStore) -> str:
    """The SQL type the insight queries fetch money as (see :func:`money_type`)."""
    return _money.get(store, "HUGEINT")
