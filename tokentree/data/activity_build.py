"""Building the attribution tables (``sql/activity.sql``, rule: docs/attribution.md).

The distinct tool names and shell command lines are classified in Python
(:class:`~tokentree.model.activity.Classifier`, memoised per rule set across builds) and loaded
as ``activity_map``; the statements that need no classification run alongside, on another
cursor. Money is computed as BIGINT whenever every amount fits (:func:`money_type`).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tokentree.data.concurrent import in_parallel, statements_task
from tokentree.data.sqlfiles import statements
from tokentree.model.activity import CATEGORIES, ORDER, SHELL_TOOLS, Classifier

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.store import UsageStore

_BITS = (
    "CREATE TABLE IF NOT EXISTS activity_bits AS"
    " SELECT CAST(m AS USMALLINT) AS mask, CAST(b AS UTINYINT) AS cat,"
    " row_number() OVER (PARTITION BY m ORDER BY b) AS i"
    f" FROM range({1 << len(CATEGORIES)}) r(m), range({len(CATEGORIES)}) q(b)"
    " WHERE (m >> b) & 1 = 1"
)
"""Every category bit set with its categories in order (``sql/activity.sql`` expands sets)."""

BIGINT_MONEY = 2**62
"""Amounts of picodollars below this are computed and fetched as BIGINT: several times faster
than HUGEINT, and exact as long as every sum involved fits (checked against the largest)."""


def money_type(largest: int | None) -> str:
    """The SQL type for money whose largest sum (in absolute value) is ``largest``."""
    return "BIGINT" if abs(largest or 0) < BIGINT_MONEY else "HUGEINT"


money: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
"""The money type of each store's last build (per-call amounts; sums get their own check)."""

_classifiers: dict[tuple[tuple[str, str], ...], Classifier] = {}


def _classifier(rules: Mapping[str, str] | None) -> Classifier:
    """One memoising classifier per rule set, so a rebuild reclassifies only new commands."""
    key = tuple(sorted((rules or {}).items()))
    found = _classifiers.get(key)
    if found is None:
        if len(_classifiers) >= 4:
            _classifiers.pop(next(iter(_classifiers)))
        found = _classifiers[key] = Classifier(rules)
    return found


def build_tables(store: UsageStore, rules: Mapping[str, str] | None) -> None:
    """Load the classification and run ``sql/activity.sql``. The Python classification of new
    command lines and the statements that need it run alongside those that do not."""
    classifier = _classifier(rules)
    cursor = store.cursor()
    shell = ", ".join(f"'{name}'" for name in sorted(SHELL_TOOLS))  # code constants
    substitutions: dict[str, object] = {
        "shell_tools": shell,
        "conversation": ORDER["conversation"],
        "context": ORDER["context"],
        "delegating": ORDER["delegating"],
        "reading": ORDER["reading"],
    }
    for statement in statements("exact_macros"):
        cursor.execute(statement)
    cursor.execute(_BITS)
    largest = cursor.execute("SELECT max(abs(cost_pusd)) FROM priced").fetchone()
    substitutions["money"] = money[store] = money_type((largest or (0,))[0])
    for statement in statements("activity_macros", money=substitutions["money"]):
        cursor.execute(statement)
    flow, cost_parts, tools, activity = statements("activity", **substitutions)

    def classified(cursor: duckdb.DuckDBPyConnection) -> None:
        pairs = cursor.execute(
            "SELECT DISTINCT coalesce(t.name, ''),"
            f" CASE WHEN t.name IN ({shell}) THEN coalesce(t.detail, '') ELSE '' END"
            " FROM (SELECT unnest(tools) AS t FROM calls WHERE len(tools) > 0)"
        ).fetchall()
        cursor.execute(
            "CREATE OR REPLACE TABLE activity_map AS"
            " SELECT unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS detail,"
            " unnest(?::UTINYINT[]) AS cat",
            [
                [name for name, _ in pairs],
                [detail for _, detail in pairs],
                [ORDER[classifier.tool(name, detail or None)] for name, detail in pairs],
            ],
        )
        cursor.execute(tools)

    in_parallel(store, [classified, statements_task([flow, cost_parts])])
    cursor.execute(activity)
