"""Live refreshes are incremental and exact: random sequences of appends (cut anywhere, also
inside a line), rewrites, truncations, deletions, new files and whole-file writes over generated
Claude Code transcripts (split responses, resumes copying history across files, subagents in
every layout, sidechain replays, agent_progress copies), Codex CLI rollouts (forks, subagents,
compressed and archived copies), Gemini CLI chats (re-read whole) and a JSONL feed. After every
step, every derived table equals the one built from scratch over the same raw rows (also after
the store was compacted, as live mode does now and then), and so do the usage summary (live
pane, budgets, statusline) and the export; at the end the export equals that of a cold read of
the same files."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.data.incremental_harness import (
    DERIVED,
    LiveTree,
    activity_map_conflicts,
    bring_up_to_date,
    make_targets,
    open_workspace,
    rebuilt_from_raw,
    table_rows,
)
from tokentree.data.store.store import UsageStore
from tokentree.data.tree.export import write_export
from tokentree.data.workspace import Workspace
from tokentree.service.collect import collect
from tokentree.service.summary import Summary

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def export_of(store: UsageStore, workspace: Workspace) -> dict:
    out = io.StringIO()
    write_export(store, workspace.view, out, generated_at=NOW, settings=workspace.options.settings)
    return json.loads(out.getvalue())


def summary_of(store: UsageStore, workspace: Workspace, now: datetime) -> Summary:
    """The usage summary of ``store``'s tables as ``workspace`` would collect it."""
    shim = SimpleNamespace(
        store=store, zone=workspace.zone, view=workspace.view, options=workspace.options
    )
    return collect(shim, now)  # type: ignore[arg-type]


def latest_call(store: UsageStore) -> datetime:
    (latest,) = store.cursor().execute("SELECT max(ts) FROM calls").fetchone() or (None,)
    if latest is None:
        return NOW
    return latest if latest.tzinfo else latest.replace(tzinfo=UTC)


def assert_same_tables(store: UsageStore, reference: UsageStore, step: int) -> None:
    for table in DERIVED:
        got, want = table_rows(store, table), table_rows(reference, table)
        assert got == want, f"step {step}: {table} differs ({len(got)} vs {len(want)} rows)"
    assert activity_map_conflicts(store, reference) == [], f"step {step}: activity_map"


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_refreshes_equal_full_builds(tmp_path: Path, seed: int) -> None:
    tree = LiveTree(make_targets(tmp_path / "target", seed), tmp_path / "live", random.Random(seed))
    tree.seed(0.5)
    workspace = open_workspace(tree.roots(), use_cache=False)
    try:
        workspace.refresh()
        bring_up_to_date(workspace.store, workspace)
        derived = workspace.store.derived
        stages = (derived.calls, derived.priced, derived.turns, derived.activity)
        built = [stage.generation for stage in stages]
        for step in range(24):
            touched = tree.step()
            walk = step % 8 == 7  # the user's `r`: a walk, still applied as a delta
            report = workspace.refresh(paths=None if walk else touched)
            assert report.files_read + report.files_appended <= len(touched) or walk
            if step % 3 == 1:  # live mode compacts the store now and then: deltas go on exact
                assert workspace.store.compact()
            bring_up_to_date(workspace.store, workspace)
            assert [stage.generation for stage in stages] == built  # deltas, no full builds
            reference = rebuilt_from_raw(workspace)
            try:
                assert_same_tables(workspace.store, reference, step)
                now = latest_call(reference) + timedelta(minutes=30)
                got = summary_of(workspace.store, workspace, now)
                assert got == summary_of(reference, workspace, now), f"step {step}: summary"
                if step % 4 == 3:
                    assert export_of(workspace.store, workspace) == export_of(reference, workspace)
            finally:
                reference.close()
        cold = open_workspace(tree.roots(), use_cache=False)
        try:
            cold.refresh()
            assert export_of(workspace.store, workspace) == export_of(cold.store, cold)
        finally:
            cold.close()
    finally:
        workspace.close()


@pytest.mark.parametrize("seed", [3, 4])
def test_appended_answers_equal_full_builds(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines appended to growing transcripts one file at a time, as a live session writes them:
    a change that only adds calls after everything their session had takes the appended delta
    (the new calls' rows only), and every table still equals a full build."""
    from tokentree.data.store import tail_delta

    taken = {"turns": 0, "activity": 0}
    for name in taken:
        real = getattr(tail_delta, f"apply_{name}")

        def counted(*args: object, _real=real, _name=name) -> None:  # type: ignore[no-untyped-def]
            taken[_name] += 1
            _real(*args)

        monkeypatch.setattr(tail_delta, f"apply_{name}", counted)
    tree = LiveTree(make_targets(tmp_path / "target", seed), tmp_path / "live", random.Random(seed))
    tree.seed(0.6)
    workspace = open_workspace(tree.roots(), use_cache=False)
    try:
        workspace.refresh()
        bring_up_to_date(workspace.store, workspace)
        for step in range(30):
            growing = [p for p in tree.files if p.exists() and tree.growing(p)]
            if not growing:
                break
            touched = tree.append_lines(tree.rng.choice(growing), tree.rng.randint(1, 3))
            workspace.refresh(paths=touched)
            bring_up_to_date(workspace.store, workspace)
            reference = rebuilt_from_raw(workspace)
            try:
                assert_same_tables(workspace.store, reference, step)
            finally:
                reference.close()
    finally:
        workspace.close()
    assert taken["turns"] > 0 and taken["activity"] > 0, taken
