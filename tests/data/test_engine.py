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


def test_an_export_does_not_import_the_package(tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    code = (
        "import sys\n"
        "from tokentree import cli\n"
        f"code = cli.main(['export', '--demo', '--level', 'day', '--output', {str(out)!r}])\n"
        "print(sorted(m for m in sys.modules if m == 'duckdb' or m.startswith('duckdb.')))\n"
        "sys.exit(code)\n"
    )
    env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert json.loads(out.read_text())["children"], "the demo export lists its weeks"
