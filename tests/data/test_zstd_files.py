"""zstd-compressed line files (Codex recompresses old rollouts): scanned in bulk by DuckDB and
checked against their decompressed size, read frame after frame, and a file cut inside a frame
is reported instead of being read as if it were complete."""

from __future__ import annotations

from pathlib import Path

import zstandard

from tests.data.sources.claude.lines import assistant
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

T = "2026-11-20T10:{:02d}:00.000Z"


def _lines(first: int, count: int) -> bytes:
    return "".join(
        assistant(f"msg_{i}", T.format(i % 60), uuid=f"u{i}") + "\n"
        for i in range(first, first + count)
    ).encode()


def _scan(path: Path) -> tuple[list[str], str | None, str]:
    """(call ids read, the file's error, the reader that read it)."""
    store = UsageStore()
    try:
        target = ScanTarget(str(path), path.stat().st_size, 0, "claude", "transcript")
        (state,) = Scanner(store.cursor()).scan([target])
        ids = [r[0] for r in store.cursor().execute("SELECT call_id FROM raw_calls").fetchall()]
    finally:
        store.close()
    return sorted(ids), state.error, state.via


def test_every_frame_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl.zst"
    compress = zstandard.ZstdCompressor().compress
    path.write_bytes(compress(_lines(0, 3000)) + compress(_lines(3000, 2)))
    ids, error, via = _scan(path)
    assert error is None and len(ids) == 3002 and via == "duckdb"


def test_a_compressed_file_duckdb_cannot_read_whole_is_read_by_python(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl.zst"
    data = _lines(0, 20)[:-1] + b"\n\xff\xfe not utf-8\n" + _lines(20, 5).rstrip(b"\n")
    path.write_bytes(zstandard.ZstdCompressor().compress(data))
    ids, error, via = _scan(path)
    assert error is None and len(ids) == 25 and via == "python"


def test_a_file_cut_inside_a_frame_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl.zst"
    data = zstandard.ZstdCompressor().compress(_lines(0, 50))
    path.write_bytes(data[:-3])
    ids, error, _ = _scan(path)
    assert ids == [] and error is not None and "truncated" in error
