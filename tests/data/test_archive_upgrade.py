"""A parser-version upgrade: the files on disk are read again, archived calls stay, and files
that vanished since the last run of the previous version are archived from its cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.test_archive import VICTIM, export_root, sessions, tree_of
from tokentree.data.store import cache as cache_module
from tokentree.data.workspace import Options, Workspace

SHORT = "55604662-cf2a-4331-851a-ec234028f8ca"


def read(root: Path):
    workspace = Workspace(Options(roots=[root], tz="UTC"))
    try:
        return workspace.refresh()
    finally:
        workspace.close()


def test_an_upgrade_keeps_the_archive_and_reads_the_files_again(
    claude_samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = export_root(claude_samples)
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    export_root(claude_samples)  # archived by this version
    next(claude_samples.rglob("short.jsonl")).unlink()  # gone before the upgrade's first run
    files_left = len([p for p in claude_samples.rglob("*.jsonl")])

    monkeypatch.setattr(cache_module, "PARSER_VERSION", cache_module.PARSER_VERSION + 1)
    report = read(claude_samples)
    assert report.files_read == files_left and report.files_cached == 0
    assert report.files_archived == 1  # short.jsonl, from the previous version's cache

    after = export_root(claude_samples)
    assert after["totals"] == before["totals"]
    assert tree_of(after) == tree_of(before)
    assert {s for s, n in sessions(after).items() if n.get("archived")} == {VICTIM, SHORT}
    again = read(claude_samples)  # the new version's cache: nothing archived twice
    assert (again.files_read, again.files_archived) == (0, 0)
    assert export_root(claude_samples)["children"] == after["children"]


def test_a_column_the_archive_lacks_takes_its_default(
    claude_samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Archived rows are loaded by name: a raw column added by a later version (here: one
    the archive's Parquet never had) takes its declared default."""
    before = export_root(claude_samples)
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    export_root(claude_samples)
    from tokentree.data import sqlfiles

    original = sqlfiles._text

    def with_new_column(package: str, name: str) -> str:
        text = original(package, name)
        if name == "raw_tables":
            text = text.replace(
                "    k UBIGINT\n", "    k UBIGINT,\n    added_later VARCHAR DEFAULT 'x'\n"
            )
        return text

    monkeypatch.setattr(sqlfiles, "_text", with_new_column)
    monkeypatch.setattr(cache_module, "PARSER_VERSION", cache_module.PARSER_VERSION + 1)
    after = export_root(claude_samples)
    assert after["totals"] == before["totals"]
    assert sessions(after)[VICTIM]["archived"] is True
