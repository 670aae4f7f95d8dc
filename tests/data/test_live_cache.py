"""The persisted cache after live changes: saved, a warm start equals a cold read of the same
files; and a process that dies between live changes and its save leaves a cache that agrees
with its manifest, so the next start reads exactly what changed."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime
from pathlib import Path

from tests.data.incremental_harness import LiveTree, bring_up_to_date, make_targets, open_workspace
from tokentree.data.export import write_export
from tokentree.data.workspace import Workspace

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def export_of(workspace: Workspace) -> dict:
    out = io.StringIO()
    write_export(
        workspace.store,
        workspace.view,
        out,
        generated_at=NOW,
        settings=workspace.options.settings,
        results=workspace.results(),
        adopt_activity=workspace.adopt_cached_activity,
    )
    return json.loads(out.getvalue())


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
