"""An ordered line format sees every line's position in its file, whichever reader read it:
DuckDB's bulk scan (many files per batch, two threads), the tolerant reader (a zstd file, a file
whose bytes did not add up) and the Python re-parse of a single line DuckDB could not parse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import zstandard

from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.source import LineFormat
from tokentree.data.store.store import UsageStore

SCAN = """
SELECT file_id, CASE WHEN contains(line, '"n":') THEN 'N' END AS kind, nbytes,
       CASE WHEN contains(line, '"n":') THEN try(json_extract_string(line, ['$.n'])) END AS x,
       NULL AS overflow,
       CASE WHEN contains(line, '"n":') AND try(json_extract_string(line, ['$.n'])) IS NULL
            THEN line END AS bad,
       broken_line(CASE WHEN contains(line, '"n":') THEN 'N' END, line) AS broken,
       ordinal
FROM lines
"""
STAGE = [
    "CREATE TABLE IF NOT EXISTS seen (file_id UBIGINT, n BIGINT, ordinal BIGINT)",
    "INSERT INTO seen SELECT file_id, x[1]::BIGINT, ordinal FROM staging "
    "WHERE kind = 'N' AND bad IS NULL",
]


def _parse(obj: Any, kind: str) -> dict[str, Any] | None:
    if not isinstance(obj, dict):
        return None
    value = obj.get("n")
    return {"kind": kind, "x": [None if value is None else str(value)], "overflow": None}


ORDERED = LineFormat(
    name="numbered",
    scan_sql=SCAN,
    stage_sql=STAGE,
    classify=lambda text: "N" if '"n":' in text else None,
    parse=_parse,
    appendable=False,
    ordered=True,
)


def _lines(count: int, pad: int) -> list[str]:
    return [json.dumps({"n": i, "pad": "x" * (i * 37 % pad)}) for i in range(count)]


def _scan(paths: list[Path], via: str | None = None) -> dict[str, list[int]]:
    """The line numbers ("n") of each file in the order of their ordinals (``via``: the reader
    every file must have been read by)."""
    store = UsageStore(threads=2)
    try:
        cursor = store.cursor()
        targets = [ScanTarget(str(p), p.stat().st_size, 0, "test", "numbered") for p in paths]
        states = Scanner(cursor, lambda _source, _name: ORDERED).scan(targets)
        assert not [s.error for s in states if s.error]
        if via is not None:
            assert {s.via for s in states} == {via}
        by_id = {t.file_id: t.path for t in targets}
        rows = cursor.execute("SELECT file_id, n FROM seen ORDER BY file_id, ordinal").fetchall()
    finally:
        store.close()
    found: dict[str, list[int]] = {}
    for fid, n in rows:
        found.setdefault(by_id[fid], []).append(n)
    return found


def test_bulk_scan_numbers_lines_in_file_order(tmp_path: Path) -> None:
    paths = []
    for index in range(12):
        path = tmp_path / f"f{index}.jsonl"
        path.write_text("\n".join(_lines(3000 + 500 * index, 2000)) + "\n", encoding="utf-8")
        paths.append(path)
    found = _scan(paths, via="duckdb")
    for path in paths:
        count = 3000 + 500 * int(path.stem[1:])
        assert found[str(path)] == list(range(count))


@pytest.mark.parametrize("damage", ["zstd", "invalid-utf8", "lone-surrogate"])
def test_every_reader_keeps_file_order(tmp_path: Path, damage: str) -> None:
    lines = _lines(400, 300)
    path = tmp_path / "f.jsonl"
    data = ("\n".join(lines) + "\n").encode()
    if damage == "zstd":
        path = tmp_path / "f.jsonl.zst"
        data = zstandard.ZstdCompressor().compress(data)
    elif damage == "invalid-utf8":
        # DuckDB drops the line: the whole file is read again by the tolerant reader
        lines[150] = lines[150][:-1] + ', "bad": "\udcff"}'
        data = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    else:
        # DuckDB splits but cannot parse the line: it alone is parsed again in Python
        lines[250] = lines[250][:-1] + ', "text": "\\ud800"}'
        data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    via = "python" if damage == "invalid-utf8" else "duckdb"
    assert _scan([path], via=via)[str(path)] == list(range(400))
