"""The persisted cache after live changes: saved, a warm start equals a cold read of the same
files; and a process that dies between live changes and its save leaves a cache that agrees
with its manifest, so the next start reads exactly what changed."""

from __future__ import annotations

import random
from pathlib import Path

from tests.data.incremental_harness import (
    LiveTree,
    bring_up_to_date,
    export_of,
    make_targets,
    open_workspace,
)
from tokentree.data.workspace import Workspace


def cold_export(tree: LiveTree) -> dict:
    cold = open_workspace(tree.roots(), use_cache=False)
    try:
        cold.refresh()
        return export_of(cold)
    finally:
        cold.close()


def live_changes(workspace: Workspace, tree: LiveTree, steps: int) -> None:
    for _ in range(steps):
        workspace.refresh(paths=tree.step())
        bring_up_to_date(workspace.store, workspace)


def test_a_warm_start_after_live_changes_equals_a_cold_start(tmp_path: Path) -> None:
    tree = LiveTree(make_targets(tmp_path / "target", 3), tmp_path / "live", random.Random(3))
    tree.seed(0.5)
    first = open_workspace(tree.roots())
    first.refresh()
    bring_up_to_date(first.store, first)
    first.save_cache()  # as the explorer does after its first read
    live_changes(first, tree, 8)
    first.close()  # saves what live mode read

    warm = open_workspace(tree.roots())
    try:
        report = warm.refresh()
        assert report.cache_status == "loaded"
        assert report.files_appended == 0 and report.files_read == len(report.errors)
        assert export_of(warm) == cold_export(tree)
    finally:
        warm.close()


def test_dying_between_live_changes_and_the_save_loses_nothing(tmp_path: Path) -> None:
    tree = LiveTree(make_targets(tmp_path / "target", 4), tmp_path / "live", random.Random(4))
    tree.seed(0.5)
    first = open_workspace(tree.roots())
    first.refresh()
    bring_up_to_date(first.store, first)
    first.save_cache()
    live_changes(first, tree, 6)
    first.store.close()  # the process dies: no save

    restarted = open_workspace(tree.roots())
    report = restarted.refresh()
    assert report.cache_status == "loaded" and report.changed  # what changed since the save
    assert export_of(restarted) == cold_export(tree)
    live_changes(restarted, tree, 4)
    restarted.close()
    again = open_workspace(tree.roots())
    try:
        report = again.refresh()  # only unreadable files (a half-written document) are retried
        assert report.files_appended == 0 and report.files_read == len(report.errors)
        assert export_of(again) == cold_export(tree)
    finally:
        again.close()


def is_view(workspace: Workspace, name: str) -> bool:
    found = workspace.store.cursor().execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal", [name]
    )
    return (found.fetchone() or (0,))[0] > 0


def seed_readable(tree: LiveTree) -> None:
    """Some line files cut anywhere, every other file complete: no half-written document (or
    compressed file), whose error would make a warm start read it again."""
    tree.seed(0.6)
    for path in tree.files:
        if path.exists() and path.suffix != ".jsonl":
            tree._write(path, tree.content[path])


def test_a_cached_history_is_copied_ahead_of_the_first_change(tmp_path: Path) -> None:
    """After an unchanged warm start the tables are views over the cache file; live mode
    copies them into memory in the background, and the changes that follow are exact (the
    copies keep the raw tables' column defaults, which rows read later rely on)."""
    tree = LiveTree(make_targets(tmp_path / "target", 5), tmp_path / "live", random.Random(5))
    seed_readable(tree)
    first = open_workspace(tree.roots())
    first.refresh()
    first.close()

    warm = open_workspace(tree.roots())
    try:
        warm.refresh()
        bring_up_to_date(warm.store, warm)
        assert warm.cache is not None and warm.cache.attached and is_view(warm, "raw_calls")
        before = export_of(warm)
        warm.prepare_for_changes()
        assert not warm.cache.attached and not is_view(warm, "raw_calls")
        assert export_of(warm) == before  # the same rows, now in memory
        live_changes(warm, tree, 4)
        assert export_of(warm) == cold_export(tree)
    finally:
        warm.close()


def test_a_change_during_the_copy_takes_the_copy(tmp_path: Path) -> None:
    """The copy made without the store's lock is what the first change swaps in."""
    tree = LiveTree(make_targets(tmp_path / "target", 6), tmp_path / "live", random.Random(6))
    seed_readable(tree)
    first = open_workspace(tree.roots())
    first.refresh()
    first.close()

    warm = open_workspace(tree.roots())
    try:
        warm.refresh()
        assert warm.cache is not None and warm.cache.attached
        assert warm.cache.copy_out(warm.store.cursor())
        live_changes(warm, tree, 3)  # swaps the copies in instead of copying again
        assert not warm.cache.attached and not is_view(warm, "raw_calls")
        leftovers = warm.store.cursor().execute(
            "SELECT count(*) FROM duckdb_tables() WHERE starts_with(table_name, 'cached_copy_')"
        )
        assert (leftovers.fetchone() or (0,))[0] == 0
        warm.prepare_for_changes()  # nothing left to do
        assert export_of(warm) == cold_export(tree)
    finally:
        warm.close()
