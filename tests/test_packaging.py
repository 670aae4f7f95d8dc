"""The wheel carries everything tokentree needs at run time (it reads no files from the repo)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_sql_prices_demo_and_themes(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("tokentree-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sql = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tokentree").rglob("*.sql")}
    assert len(sql) > 50 and sql <= names  # every package's SQL, beside its module
    assert "tokentree/data/pricing/prices.json" in names
    demo = [n for n in names if n.startswith("tokentree/demo/") and n.endswith(".jsonl")]
    assert len(demo) >= 20
    themes = {p.name for p in (ROOT / "themes").glob("*.toml")}
    assert themes and all(f"tokentree/_themes/{name}" in names for name in themes)
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
