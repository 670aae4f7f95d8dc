"""The seam's per-file context: a line format may derive values from a file's path (not its
lines) and find them beside the staging rows, on the DuckDB bulk path and on the Python path
(appended tails, tolerant re-reads) alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.source import LineFormat
from tokentree.data.store.store import UsageStore

SCAN = """
SELECT file_id, 'L' AS kind, nbytes, [json_extract_string(line, '$.n')] AS x,
       NULL AS overflow, NULL AS bad, false AS broken
FROM lines
"""
STAGE = [
    """
    INSERT INTO raw_calls BY NAME
    SELECT s.file_id, 'demo' AS source, s.x[1] AS call_id, c.ctx[1] AS session_id,
           c.ctx[2] AS project, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ts
    FROM staging s LEFT JOIN file_context c USING (file_id)
    WHERE s.kind = 'L'
    """
]


def _parse(obj: Any, kind: str) -> dict[str, Any] | None:
    return {"kind": kind, "x": [json.dumps(obj["n"])]} if isinstance(obj, dict) else None


def _context(path: str) -> list[str | None]:
    if path.endswith("boom.jsonl"):
        raise RuntimeError("a source bug")
    return [Path(path).parent.name, None]


FORMAT = LineFormat(
    name="demo",
    scan_sql=SCAN,
    stage_sql=STAGE,
    classify=lambda text: "L",
    parse=_parse,
    file_context=_context,
)


def _write(path: Path, numbers: list[int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"n": n}) + "\n" for n in numbers), encoding="utf-8")
    return path


def _target(path: Path, offset: int = 0) -> ScanTarget:
    return ScanTarget(str(path), path.stat().st_size, 0, "demo", "demo", offset)


def _rows(store: UsageStore) -> list[tuple]:
    return sorted(
        store.cursor().execute("SELECT call_id, session_id, project FROM raw_calls").fetchall()
    )


def test_the_context_of_each_file_reaches_the_stage_sql(tmp_path: Path) -> None:
    a = _write(tmp_path / "alpha" / "a.jsonl", [1, 2])
    b = _write(tmp_path / "beta" / "b.jsonl", [3])
    store = UsageStore()
    Scanner(store.cursor(), lambda source, name: FORMAT).scan([_target(a), _target(b)])
    assert _rows(store) == [("1", "alpha", None), ("2", "alpha", None), ("3", "beta", None)]
    store.close()


def test_the_python_path_gets_the_context_too(tmp_path: Path) -> None:
    a = _write(tmp_path / "gamma" / "a.jsonl", [1])
    offset = a.stat().st_size
    _write(a, [1, 7])  # an appended line, read from the offset by the tolerant reader
    store = UsageStore()
    (state,) = Scanner(store.cursor(), lambda source, name: FORMAT).scan([_target(a, offset)])
    assert state.via == "tail"
    assert _rows(store) == [("7", "gamma", None)]
    store.close()


def test_a_failing_context_function_leaves_the_rows_without_context(tmp_path: Path) -> None:
    good = _write(tmp_path / "ok" / "a.jsonl", [1])
    bad = _write(tmp_path / "ok" / "boom.jsonl", [2])
    store = UsageStore()
    states = Scanner(store.cursor(), lambda source, name: FORMAT).scan(
        [_target(good), _target(bad)]
    )
    assert not any(state.error for state in states)
    assert _rows(store) == [("1", "ok", None), ("2", None, None)]
    store.close()
