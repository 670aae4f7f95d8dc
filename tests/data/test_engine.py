"""The engine module: the compiled DuckDB module when it offers what tokentree uses, the
package otherwise; a run of the CLI never pays for the package's Python helpers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tokentree.data import engine


def test_prefers_the_compiled_module() -> None:
    assert engine.duckdb.__name__ == "_duckdb"
    con = engine.duckdb.connect()
    assert con.execute("SELECT 40 + 2").fetchone() == (42,)


def test_falls_back_to_the_package_and_names_what_is_missing() -> None:
    assert engine.load(("tokentree_no_such_engine", "duckdb")).__name__ == "duckdb"
    with pytest.raises(ImportError, match="connect"):
        engine.load(("json",))  # importable, but not an engine


def test_same_classes_as_the_package() -> None:
    import duckdb

    assert engine.duckdb.DuckDBPyConnection is duckdb.DuckDBPyConnection
    assert engine.duckdb.OutOfMemoryException is duckdb.OutOfMemoryException


EXPORT = """
import json, sys
from tokentree import cli
code = cli.main(["export", "--demo", "--level", "day", "--output", sys.argv[1]])
print(json.dumps(sorted(m for m in sys.modules if m == "duckdb" or m.startswith("duckdb."))))
sys.exit(code)
"""


def _export(tmp_path: Path, name: str) -> tuple[dict, list[str]]:
    """The demo's day export in a fresh interpreter (nothing imported beforehand, unlike in
    this test process) and the duckdb package modules it imported."""
    out = tmp_path / name
    env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", EXPORT, str(out)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text()), json.loads(result.stdout)


def test_store_rows_are_read_and_a_warm_export_skips_the_package(tmp_path: Path) -> None:
    cold, _ = _export(tmp_path, "cold.json")
    assert cold["files"] > 0
    assert cold["unreadable_files"] == 0  # store files go in as Arrow tables: the package set up
    warm, imported = _export(tmp_path, "warm.json")
    assert imported == [], "a warm export needs only the compiled engine"
    assert warm["children"] == cold["children"]
