"""Building the attribution tables (``sql/activity.sql``, rule: docs/attribution.md).

The distinct tool names and shell command lines are classified in Python
(:class:`~tokentree.model.activity.Classifier`, memoised per rule set across builds) and loaded
as ``activity_map``; the statements that need no classification run alongside, on another
cursor. Money is computed as BIGINT whenever every amount fits (:func:`money_type`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.concurrent import in_parallel, statements_task
from tokentree.data.store.delta import merge, relations, retarget
from tokentree.model.activity import CATEGORIES, ORDER, SHELL_TOOLS, Classifier

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.store.derived import DerivedTables


BIGINT_MONEY = 2**62
"""Amounts of picodollars below this are computed and fetched as BIGINT: several times faster
than HUGEINT, and exact as long as every sum involved fits (checked against the largest)."""


def money_type(largest: int | None) -> str:
    """The SQL type for money whose largest sum (in absolute value) is ``largest``."""
    return "BIGINT" if abs(largest or 0) < BIGINT_MONEY else "HUGEINT"


_classifiers: dict[tuple[tuple[str, str], ...], Classifier] = {}
"""Pure memos of classifications, shared by every store (keyed by rule set, not by store)."""


def _classifier(rules: Mapping[str, str] | None) -> Classifier:
    """One memoising classifier per rule set, so a rebuild reclassifies only new commands."""
    key = tuple(sorted((rules or {}).items()))
    found = _classifiers.get(key)
    if found is None:
        if len(_classifiers) >= 4:
            _classifiers.pop(next(iter(_classifiers)))
        found = _classifiers[key] = Classifier(rules)
    return found


TABLES = ("call_flow", "call_cost_parts", "call_tools", "call_activity")
"""What the stage builds (a delta builds the scope's rows into ``delta_<table>`` first)."""
INPUTS = ("calls", "prompts", "priced")
"""What it reads, besides small lookup tables (a delta: the scope's rows)."""


def fits(cursor: duckdb.DuckDBPyConnection, money: str) -> bool:
    """Whether the scope's calls (``delta_priced``) fit the money type the tables were built
    with (else they are built again in full)."""
    if money != "BIGINT":
        return True
    largest = cursor.execute("SELECT max(abs(cost_pusd)) FROM delta_priced").fetchone()
    return money_type((largest or (0,))[0]) == money


def prepare(cursor: duckdb.DuckDBPyConnection, money: str) -> None:
    """The macros and lookup table the stage's SQL (and the insights') use, for ``money``."""
    for statement in statements("exact_macros", package=__package__):
        cursor.execute(statement)
    cursor.execute(  # every category set with its categories in order
        sql(
            "activity_bits",
            package=__package__,
            sets=1 << len(CATEGORIES),
            categories=len(CATEGORIES),
        )
    )
    for statement in statements("activity_macros", package=__package__, money=money):
        cursor.execute(statement)


def substitutions(names: Mapping[str, str], money: str) -> dict[str, object]:
    """What ``sql/activity.sql`` is filled in with: the code's constants, the money type and
    what each table it reads or builds is named (``names``)."""
    return {
        "shell_tools": SHELL_LIST,
        "conversation": ORDER["conversation"],
        "context": ORDER["context"],
        "delegating": ORDER["delegating"],
        "reading": ORDER["reading"],
        "money": money,
        **names,
    }


SHELL_LIST = ", ".join(f"'{name}'" for name in sorted(SHELL_TOOLS))
"""The shell tools as an SQL list (code constants)."""


def classify(
    cursor: duckdb.DuckDBPyConnection, rules: Mapping[str, str] | None, uses: str | None
) -> None:
    """``activity_map``: every tool use of ``calls`` classified (``uses`` None), or the uses of
    the calls ``uses`` (a relation, optionally with a WHERE clause) not classified yet added."""
    classifier = _classifier(rules)
    query = sql(
        "tool_pairs",
        package=__package__,
        shell_tools=SHELL_LIST,
        uses=uses or "calls WHERE",
        new="(name, detail) NOT IN (SELECT (name, detail) FROM activity_map)" if uses else "true",
    )
    pairs = cursor.execute(query).fetchall()
    if uses and not pairs:
        return
    target = "INSERT INTO activity_map" if uses else "CREATE OR REPLACE TABLE activity_map AS"
    cursor.execute(
        f"{target} SELECT unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS detail,"
        " unnest(?::UTINYINT[]) AS cat",
        [
            [name for name, _ in pairs],
            [detail for _, detail in pairs],
            [ORDER[classifier.tool(name, detail or None)] for name, detail in pairs],
        ],
    )


def build_tables(derived: DerivedTables, rules: Mapping[str, str] | None, *, scoped: bool) -> None:
    """Load the classification and run ``sql/activity.sql``: for everything, or (``scoped``)
    for the calls of the sessions in ``delta_sessions``/``delta_cids`` (their old rows are
    replaced). The Python classification of new command lines and the statements that need it
    run alongside those that do not."""
    store = derived.store
    cursor = store.cursor()
    if not scoped:
        largest = cursor.execute("SELECT max(abs(cost_pusd)) FROM priced").fetchone()
        derived.activity_money = money_type((largest or (0,))[0])
        prepare(cursor, derived.activity_money)
    names = relations(INPUTS, TABLES, scoped=scoped)
    flow, cost_parts, tools, activity = (
        retarget(statement, TABLES) if scoped else statement
        for statement in statements(
            "activity", package=__package__, **substitutions(names, derived.activity_money)
        )
    )
    # a delta: only the changed calls (``delta_keys``) can bring a tool use not classified
    uses = f"{names['calls']} WHERE cid IN (SELECT k FROM delta_keys) AND" if scoped else None

    def classified(cursor: duckdb.DuckDBPyConnection) -> None:
        classify(cursor, rules, uses)
        cursor.execute(tools)

    in_parallel(store, [classified, statements_task([flow, cost_parts])])
    cursor.execute(activity)
    if scoped:
        merge(cursor, TABLES)
