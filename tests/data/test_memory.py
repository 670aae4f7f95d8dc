"""The soft memory ceiling: a statement over DuckDB's limit is retried with a higher one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tokentree.data.store.memory import ElasticCursor, MemoryCeiling, parse_mb
from tokentree.data.store.store import SPILL_MEMORY_LIMIT, UsageStore

HUNGRY = "CREATE OR REPLACE TABLE t AS SELECT i, i::VARCHAR AS s FROM range(2000000) t(i)"
"""A table that does not fit in a few megabytes, on a connection that cannot spill."""


def _connection(limit_mb: int) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        ":memory:",
        config={"memory_limit": f"{limit_mb}MB", "threads": 1, "temp_directory": ""},
    )


def test_the_plain_cursor_fails_under_a_tiny_limit() -> None:
    with pytest.raises(duckdb.OutOfMemoryException):
        _connection(4).cursor().execute(HUNGRY)


def test_a_statement_over_the_limit_is_retried_with_a_higher_one() -> None:
    ceiling = MemoryCeiling(4)
    cursor = ElasticCursor(_connection(4).cursor(), ceiling)
    cursor.execute(HUNGRY)
    assert cursor.execute("SELECT count(*) FROM t").fetchone() == (2000000,)
    assert ceiling.limit_mb > 4
    setting = cursor.execute("SELECT current_setting('memory_limit')").fetchone()
    assert setting is not None and parse_mb(setting[0]) is not None


def test_a_statement_within_the_limit_leaves_it() -> None:
    ceiling = MemoryCeiling(256)
    cursor = ElasticCursor(_connection(256).cursor(), ceiling)
    assert cursor.execute("SELECT 42").fetchone() == (42,)
    assert ceiling.limit_mb == 256


def test_the_ceiling_stops_at_its_maximum() -> None:
    ceiling = MemoryCeiling(4, maximum_mb=8)
    cursor = ElasticCursor(_connection(4).cursor(), ceiling)
    with pytest.raises(duckdb.OutOfMemoryException):
        cursor.execute(HUNGRY)
    assert ceiling.limit_mb == 8


def test_other_errors_are_not_retried() -> None:
    ceiling = MemoryCeiling(64)
    cursor = ElasticCursor(_connection(64).cursor(), ceiling)
    with pytest.raises(duckdb.CatalogException):
        cursor.execute("SELECT * FROM no_such_table")
    assert ceiling.limit_mb == 64


def _settings(store: UsageStore) -> tuple[int | None, str]:
    cursor = store.cursor()
    row = cursor.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    ).fetchone()
    assert row is not None
    return parse_mb(row[0]), row[1]


def test_a_store_that_can_spill_has_a_low_ceiling(tmp_path: Path) -> None:
    store = UsageStore(temp_directory=tmp_path / "spill")
    try:
        limit, directory = _settings(store)
        assert limit == pytest.approx(parse_mb(SPILL_MEMORY_LIMIT), rel=0.1)
        assert directory == str(tmp_path / "spill")
    finally:
        store.close()


def test_a_store_that_cannot_spill_keeps_a_high_ceiling(tmp_path: Path) -> None:
    store = UsageStore(temp_directory=tmp_path / "missing" / "spill")
    try:
        limit, _ = _settings(store)
        assert limit is not None and limit > 1024
        assert not (tmp_path / "missing").exists()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "mb"), [("128MB", 128), ("4GB", 4096), ("1.5 GiB", 1536), ("80%", None)]
)
def test_sizes_parse(text: str, mb: int | None) -> None:
    assert parse_mb(text) == mb


def test_a_memory_limit_that_is_not_a_size_is_an_options_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokentree.cli import main

    monkeypatch.setenv("TOKENTREE_MEMORY_LIMIT", "plenty")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="TOKENTREE_MEMORY_LIMIT='plenty'"):
        UsageStore()
    assert main(["export", "--demo", "--level", "day", "--output", str(tmp_path / "x")]) == 2
