"""The fast exact arithmetic of the attribution build (sql/exact_macros.sql, sql/activity.sql):
the division-free helpers against plain HUGEINT division, the window-free largest-remainder
split of cost_units against the straightforward window query, and the HUGEINT path (for sums
beyond BIGINT) against the BIGINT one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from tests.data.test_activity import open_workspace
from tokentree.data.activity import build as activity_build
from tokentree.data.activity import query as activity_module
from tokentree.data.activity.query import activity_for_level, ensure_activity
from tokentree.data.insights import compute_insights
from tokentree.data.sqlfiles import statements
from tokentree.data.workspace import Workspace
from tokentree.model.tree import Kind

BIG = 2**62


def _values(rng: random.Random) -> list[tuple[int, int, int]]:
    """(a, b, c) triples around the interesting edges: zero, the estimate's 1e15 limit, BIGINT."""
    edges = [0, 1, 2, 999, 10**6, 10**12, 10**15 - 1, 10**15, 10**15 + 1, BIG - 1, 2**63 - 1]
    found = [(a, b, c) for a in edges for b in edges for c in (1, 3, 10**12, 10**15, BIG)]
    for _ in range(3000):
        scale = rng.choice([10**3, 10**9, 10**12, 10**15, 10**18, 2**62])
        found.append((rng.randrange(scale), rng.randrange(scale), rng.randrange(1, scale)))
    return found


def test_division_free_helpers_equal_hugeint_division() -> None:
    con = duckdb.connect()
    for statement in statements("exact_macros", package="tokentree.data.activity"):
        con.execute(statement)
    rows = _values(random.Random(5))
    con.execute("CREATE TABLE t (a HUGEINT, b HUGEINT, c HUGEINT)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    con.execute("INSERT INTO t VALUES (5, 7, 0), (5, 7, -3), (-5, 7, 3), (5, -7, 3)")
    bad = con.execute(
        "SELECT a, b, c FROM t WHERE tt_muldiv(a, b, c)"
        " IS DISTINCT FROM CASE WHEN c <= 0 THEN 0 ELSE a * b // c END"
        " OR tt_div(a, 7) <> a // 7"
    ).fetchall()
    assert bad == []


@pytest.fixture(scope="module")
def corpus_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("exact")
    generate(out, profile="small", seed=11)
    opened = open_workspace(out / ".claude", plan_name="Pro", plan_monthly_usd=20.0)
    ensure_activity(opened.store)
    yield opened
    opened.close()


def test_cost_units_are_the_largest_remainder_split(corpus_workspace: Workspace) -> None:
    """Each call's exported cost in rows: floors of units x pUSD / call pUSD, the leftover units
    one each to the largest remainders (ties: category, then side), as a window computes it."""
    cursor = corpus_workspace.store.cursor()
    differing = cursor.execute(
        """
        WITH kept AS (
            SELECT a.*, p.cost_units AS units, coalesce(p.cost_pusd, 0)::HUGEINT AS call_pusd
            FROM call_activity a JOIN priced p USING (cid)
        ),
        floored AS (
            SELECT *,
                   CASE WHEN call_pusd > 0 THEN units * cost_pusd // call_pusd ELSE 0 END AS b,
                   CASE WHEN call_pusd > 0 THEN units * cost_pusd % call_pusd ELSE 0 END AS r
            FROM kept
        ),
        reference AS (
            SELECT cid, cat, side,
                   b + CASE WHEN row_number() OVER (PARTITION BY cid ORDER BY r DESC, cat, side)
                                 <= units - sum(b) OVER (PARTITION BY cid) THEN 1 ELSE 0 END
                       AS expected, cost_units
            FROM floored
        )
        SELECT count(*) FROM reference WHERE expected <> cost_units
        """
    ).fetchone()
    assert differing == (0,)
    unbalanced = cursor.execute(
        "SELECT count(*) FROM (SELECT cid, sum(a.cost_units) AS units, sum(a.cost_pusd) AS pusd"
        " FROM call_activity a GROUP BY cid) s JOIN priced p USING (cid)"
        " WHERE s.units <> p.cost_units OR s.pusd <> coalesce(p.cost_pusd, 0)"
    ).fetchone()
    assert unbalanced == (0,)


def _results(workspace: Workspace) -> tuple[Any, ...]:
    store = workspace.store
    rows = sorted(store.cursor().execute("SELECT * FROM call_activity").fetchall())
    found = compute_insights(store, settings=workspace.options.settings, view=workspace.view)
    return rows, activity_for_level(store, Kind.DAY), found.levels


def test_hugeint_money_gives_the_same_results(
    corpus_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sums beyond BIGINT switch the build and the insight queries to HUGEINT: same results."""
    store = corpus_workspace.store
    narrow = _results(corpus_workspace)
    monkeypatch.setattr(activity_build, "BIGINT_MONEY", 0)
    activity_module.discard_activity(store)  # the insight tables and results follow
    wide = _results(corpus_workspace)
    assert wide == narrow
    monkeypatch.undo()
    activity_module.discard_activity(store)
