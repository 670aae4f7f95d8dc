"""A split cold start (``read.first_frame``, ``read.older``): the first read makes
the weeks it shows complete, and after the older files every persisted table, the manifest and
the export equal a read in one go; the partial state is never saved."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bench.mtimes import set_mtimes
from tests.data.incremental_harness import (
    DERIVED,
    RAW,
    bring_up_to_date,
    export_of,
    make_targets,
    open_workspace,
    table_rows,
)
from tokentree.data.read.discovery import FoundFile
from tokentree.data.read.first_frame import FirstFrame
from tokentree.data.workspace import Workspace


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    """Every quirk of Claude Code plus Codex, Gemini and a JSONL feed, dated as real logs."""
    out = tmp_path_factory.mktemp("first_frame")
    targets = make_targets(out, seed=3)
    set_mtimes(out)
    return list(targets.items())


def split_for(history: list[tuple[str, Path]]) -> FirstFrame:
    """Half the bytes first (the newest weeks holding calls), however small the history."""
    total = sum(p.stat().st_size for _, root in history for p in root.rglob("*") if p.is_file())
    return FirstFrame(budget=total // 2, threshold=0)


def weeks(workspace: Workspace) -> dict[str, tuple]:
    workspace.store.build(workspace.view)
    return {str(row[0]): row for row in workspace.store.level_rows("week")}


def test_two_reads_equal_one(history: list[tuple[str, Path]]) -> None:
    whole = open_workspace(history, use_cache=False)
    split = open_workspace(history, use_cache=False)
    try:
        whole.refresh()
        bring_up_to_date(whole.store, whole)
        split.refresh(first_frame=split_for(history))
        assert split.older_pending
        cutoff = split.view.since
        assert cutoff is not None and cutoff.weekday() == 0
        first = weeks(split)
        assert first, "the first frame shows the newest weeks"
        all_weeks = weeks(whole)
        assert len(first) < len(all_weeks)
        # the weeks shown are complete: equal to the read in one go
        assert first == {week: row for week, row in all_weeks.items() if week in first}
        assert min(row[1] for row in first.values()).date() >= cutoff
        report = split.read_older()
        assert not split.older_pending and split.view == whole.view
        assert report.files_read == whole.last_report.files_read
        bring_up_to_date(split.store, split)
        for table in (*RAW, "files", *DERIVED):
            assert table_rows(split.store, table) == table_rows(whole.store, table), table
        assert export_of(split) == export_of(whole)
    finally:
        whole.close()
        split.close()


def test_browsing_while_the_older_files_are_read(history: list[tuple[str, Path]]) -> None:
    """The explorer reads levels, toggles a source and builds the activity split while the
    older files are scanned (without the store's lock); the end is still a read in one go."""
    whole = open_workspace(history, use_cache=False)
    split = open_workspace(history, use_cache=False)
    try:
        whole.refresh()
        bring_up_to_date(whole.store, whole)
        split.refresh(first_frame=split_for(history))
        split.store.build(split.view)
        first = weeks(split)
        paused, go_on = threading.Event(), threading.Event()

        def progress(files_done: int, *_: int) -> None:
            if files_done == 1:  # mid-scan: one file's rows in, the others to come
                paused.set()
                assert go_on.wait(60)

        reader = threading.Thread(target=split.read_older, args=(progress,))
        reader.start()
        try:
            assert paused.wait(60)
            rules = split.options.settings.activity_rules
            with split.store.lock:
                assert weeks(split) == first  # the first frame's tables, untouched
                split.set_hidden_sources(frozenset({"codex"}))
                split.store.build(split.view)
                split.store.derived.ensure_activity(rules)
                split.set_hidden_sources(frozenset())
                assert weeks(split) == first
        finally:
            go_on.set()
            reader.join(120)
        assert not split.older_pending and split.view == whole.view
        bring_up_to_date(split.store, split)
        for table in (*RAW, "files", *DERIVED):
            assert table_rows(split.store, table) == table_rows(whole.store, table), table
    finally:
        whole.close()
        split.close()


def test_the_partial_state_is_never_saved(history: list[tuple[str, Path]]) -> None:
    workspace = open_workspace(history)
    assert workspace.cache is not None
    try:
        workspace.refresh(first_frame=split_for(history))
        assert workspace.older_pending
        workspace.save_cache()
        assert not workspace.cache.path.exists()
        workspace.read_older()
        workspace.save_cache()
        assert workspace.cache.path.exists()
        expected = export_of(workspace)
    finally:
        workspace.close()
    warm = open_workspace(history)
    try:
        warm.refresh(first_frame=split_for(history))  # a cache to start from: no split
        assert not warm.older_pending and warm.last_report.exposed
        assert export_of(warm) == expected
    finally:
        warm.close()


def _file(day: date, size: int) -> FoundFile:
    stamp = datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp()
    return FoundFile(f"/logs/{day}.jsonl", size, int(stamp * 1e9), "claude", "claude-jsonl")


def test_the_cut_is_the_start_of_the_week_reaching_the_budget() -> None:
    files = [_file(date(2026, 11, d), 10) for d in range(1, 31)]  # 30 days, 10 bytes each
    # 25 bytes are reached on Sat 28 Nov: its week, from Mon 23 Nov
    assert FirstFrame(budget=25, threshold=0).cutoff(files, "UTC", None) == date(2026, 11, 23)
    # 100 bytes are reached on Fri 20 Nov: from Mon 16 Nov
    assert FirstFrame(budget=100, threshold=0).cutoff(files, "UTC", None) == date(2026, 11, 16)
    # at least the newest week
    assert FirstFrame(budget=1, threshold=0).cutoff(files, "UTC", None) == date(2026, 11, 30)
    # a small history, a budget holding everything, a --since after the cut: one read
    assert FirstFrame(budget=25, threshold=1000).cutoff(files, "UTC", None) is None
    assert FirstFrame(budget=1000, threshold=0).cutoff(files, "UTC", None) is None
    assert FirstFrame(budget=1, threshold=0).cutoff(files, "UTC", date(2026, 11, 30)) is None
    # --since before the cut: only the files from it on count
    since = date(2026, 11, 20)
    assert FirstFrame(budget=1, threshold=0).cutoff(files, "UTC", since) == date(2026, 11, 30)
