"""The store's distinct_count / distinct_sorted macros answer what count(DISTINCT x) and
list_sort(list(DISTINCT x)) answer, NULLs included, per group."""

from __future__ import annotations

from tokentree.data.store.store import UsageStore

VALUES = (
    "(1, 'b'), (1, NULL), (1, 'a'), (1, 'b'), (2, NULL), (2, NULL), (3, 'z'), (3, 'z'), (4, 'y')"
)


def test_distinct_macros_match_the_distinct_aggregates() -> None:
    store = UsageStore()
    rows = (
        store.cursor()
        .execute(
            f"""SELECT g, count(DISTINCT x), distinct_count(list(x)),
                       list_sort(list(DISTINCT x)), distinct_sorted(list(x))
                FROM (VALUES {VALUES}) t(g, x) GROUP BY g ORDER BY g"""
        )
        .fetchall()
    )
    store.close()
    assert [(g, a, b) for g, a, b, _, _ in rows] == [(1, 2, 2), (2, 0, 0), (3, 1, 1), (4, 1, 1)]
    assert all(listed == macro for _, _, _, listed, macro in rows)
    assert rows[0][4] == ["a", "b", None] and rows[1][4] == [None]
