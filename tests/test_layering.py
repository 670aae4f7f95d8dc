"""The layers stay clean: model is pure, data never imports the UI, headless paths stay light."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("tokentree.model.tree", ["duckdb", "pyarrow", "textual", "rich", "tokentree.data"]),
        ("tokentree.data.workspace", ["textual", "tokentree.ui"]),
        ("tokentree.data.tree.export", ["textual", "tokentree.ui"]),
        ("tokentree.cli", ["textual", "tokentree.ui", "duckdb", "_duckdb"]),
        ("tokentree.service.backend", ["textual", "tokentree.ui", "duckdb", "_duckdb"]),
        ("tokentree.service.refresh", ["textual", "tokentree.ui", "duckdb", "_duckdb"]),
        ("tokentree.service.state", ["textual", "tokentree.ui", "duckdb", "_duckdb"]),
        (
            "tokentree.service.statusline",
            ["textual", "tokentree.ui", "duckdb", "_duckdb", "pyarrow", "rich"],
        ),
        ("tokentree.entry", ["textual", "duckdb", "_duckdb", "argparse", "tomllib"]),
        ("tokentree.service.usage_now", ["textual", "duckdb", "_duckdb", "pyarrow"]),
    ],
)
def test_import_hygiene(module: str, forbidden: list[str]) -> None:
    code = f"import sys, {module}; print([m for m in {forbidden!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", f"{module} imports {result.stdout.strip()}"


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or " 0 broken" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run(
        [ruff, *command, "tokentree", "tests", "bench", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
