"""A UTF-8 byte-order mark at the start of a transcript (written back by an editor or a Windows
tool) is not data: the file reads exactly like the same file without it, first line included."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.claude.reference import day_totals, read_calls
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

BOM = b"\xef\xbb\xbf"


def _totals_by_day(document: dict) -> dict[str, dict[str, int]]:
    keys = ("input", "output", "cache_read", "cache_write", "calls")
    return {day: {k: n["totals"][k] for k in keys} for day, n in days_of(document).items()}


def _call_ids(document: dict) -> list[str]:
    return sorted(n["id"] for n in walk(document) if n.get("kind") == "call")


def _from_first_assistant_line(source: Path, target: Path) -> str:
    """The real transcript from its first assistant line on (so that line is the file's first);
    returns that line's message id."""
    lines = source.read_bytes().split(b"\n")
    first = next(i for i, line in enumerate(lines) if b'"type":"assistant"' in line)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\n".join(lines[first:]))
    return lines[first].split(b'"id":"msg_', 1)[1].split(b'"', 1)[0].decode()


def _via(path: Path) -> str:
    store = UsageStore()
    try:
        target = ScanTarget(str(path), path.stat().st_size, 0, "claude", "transcript")
        (state,) = Scanner(store.cursor()).scan([target])
        assert state.skipped == 0
        return state.via
    finally:
        store.close()


def test_real_samples_rewritten_with_a_bom_read_as_the_originals(claude_samples: Path) -> None:
    plain, _ = export("--root", str(claude_samples), "--tz", "UTC")
    for path in claude_samples.rglob("*.jsonl"):
        path.write_bytes(BOM + path.read_bytes())
    document, stderr = export("--root", str(claude_samples), "--tz", "UTC")
    assert "malformed" not in stderr
    plain.pop("generated_at"), document.pop("generated_at")
    assert plain["totals"]["calls"] > 0 and document == plain
    assert _totals_by_day(document) == day_totals(read_calls([claude_samples]), "UTC")


def test_the_first_line_of_a_bom_file_is_counted(tmp_path: Path) -> None:
    sample = FIXTURES / "claude" / "spotter" / "tool_heavy.jsonl"
    plain_path = tmp_path / "plain" / "projects" / "p" / "s.jsonl"
    first = _from_first_assistant_line(sample, plain_path)
    bom_root = tmp_path / "bom"
    shutil.copytree(tmp_path / "plain", bom_root)
    bom_path = bom_root / "projects" / "p" / "s.jsonl"
    bom_path.write_bytes(BOM + bom_path.read_bytes())
    plain, _ = export("--root", str(tmp_path / "plain"), "--tz", "UTC")
    document, stderr = export("--root", str(bom_root), "--tz", "UTC")
    assert "malformed" not in stderr and document["skipped_lines"] == 0
    assert f"msg_{first}" in _call_ids(document)
    assert _call_ids(document) == _call_ids(plain)
    assert document["totals"] == plain["totals"]
    assert _totals_by_day(document) == day_totals(read_calls([bom_root / "projects"]), "UTC")
    assert _via(bom_path) == "duckdb"


def test_a_bom_file_with_an_invalid_utf8_line_goes_through_the_tolerant_reader(
    tmp_path: Path,
) -> None:
    sample = FIXTURES / "claude" / "spotter" / "tool_heavy.jsonl"
    path = tmp_path / "projects" / "p" / "s.jsonl"
    first = _from_first_assistant_line(sample, path)
    plain, _ = export("--root", str(tmp_path), "--tz", "UTC")
    lines = path.read_bytes().split(b"\n")
    last = max(i for i, line in enumerate(lines) if b'"type":"assistant"' in line)
    marker = b'"type":"assistant"'  # the call's last line: a Latin-1 byte in its git branch
    assert b'"gitBranch":"' in lines[last] and marker in lines[last]
    lines[last] = lines[last].replace(b'"gitBranch":"', b'"gitBranch":"caf\xe9-', 1)
    path.write_bytes(BOM + b"\n".join(lines))
    assert _via(path) == "python"
    document, stderr = export("--root", str(tmp_path), "--tz", "UTC")
    assert "malformed" not in stderr and document["skipped_lines"] == 0
    assert f"msg_{first}" in _call_ids(document)
    assert document["totals"] == plain["totals"]
    assert _totals_by_day(document) == day_totals(read_calls([tmp_path / "projects"]), "UTC")
