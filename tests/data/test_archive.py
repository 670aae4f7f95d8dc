"""The archive: calls of files that vanished stay in the tree, marked archived, across reopens,
a wiped cache and a running workspace; a file back on disk is read again."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import checksums, export, walk
from tokentree import paths
from tokentree.data.tree.export import write_export
from tokentree.data.workspace import Options, Workspace

VICTIM = "1af7fc5e-8455-4414-9ccd-011d40f70b2a"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def tree_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's nodes without the archive's marks (what deleting a file must not change)."""
    children = json.loads(json.dumps(document["children"]))
    for week in children:
        for node in walk(week):
            node.pop("archived", None)
            node.pop("last_seen", None)
    return children


def sessions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for w in document["children"] for n in walk(w) if n["kind"] == "session"}


def export_root(root: Path, *args: str) -> dict[str, Any]:
    document, _ = export("--root", str(root), "--tz", "UTC", *args)
    return document


def test_a_deleted_session_file_stays_in_the_tree_marked_archived(claude_samples: Path) -> None:
    before = export_root(claude_samples)
    assert not any(s.get("archived") for s in sessions(before).values())
    victim = next(claude_samples.rglob(f"{VICTIM}.jsonl"))
    mtime = datetime.fromtimestamp(victim.stat().st_mtime, UTC)
    victim.unlink()

    after = export_root(claude_samples)
    assert after["totals"] == before["totals"]
    assert tree_of(after) == tree_of(before)
    archived = {sid for sid, s in sessions(after).items() if s.get("archived")}
    assert archived == {VICTIM}
    last_seen = datetime.fromisoformat(sessions(after)[VICTIM]["last_seen"])
    assert last_seen >= mtime.replace(microsecond=0)

    again = export_root(claude_samples)  # the cache, served as it is
    assert again["children"] == after["children"]


def test_the_cache_is_disposable_the_archive_is_not(claude_samples: Path) -> None:
    before = export_root(claude_samples)
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    export_root(claude_samples)
    archive = paths.data_dir() / "archive"
    assert list(archive.rglob("*.parquet"))
    assert not str(archive).startswith(str(paths.cache_dir()))
    shutil.rmtree(paths.cache_dir())

    after = export_root(claude_samples)
    assert after["totals"] == before["totals"]
    assert tree_of(after) == tree_of(before)
    assert sessions(after)[VICTIM]["archived"] is True
    no_cache = export_root(claude_samples, "--no-cache")
    assert no_cache["children"] == after["children"]


def test_a_file_back_on_disk_is_read_again(claude_samples: Path, tmp_path: Path) -> None:
    before = export_root(claude_samples)
    victim = next(claude_samples.rglob(f"{VICTIM}.jsonl"))
    saved = tmp_path / "saved.jsonl"
    shutil.copy2(victim, saved)
    victim.unlink()
    export_root(claude_samples)
    shutil.copy2(saved, victim)

    back = export_root(claude_samples)
    assert back["children"] == before["children"]  # no mark, nothing counted twice


def test_other_roots_do_not_see_the_archive(claude_samples: Path, tmp_path: Path) -> None:
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    export_root(claude_samples)
    export_root(claude_samples)
    other = tmp_path / "other" / "projects"
    shutil.copytree(claude_samples / "sample-project" / "spotter", other / "spotter")
    assert VICTIM not in sessions(export_root(other))


def test_the_archive_never_writes_under_the_logs(claude_samples: Path) -> None:
    export_root(claude_samples)
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    files_before = checksums(claude_samples)
    export_root(claude_samples)
    export_root(claude_samples, "--no-cache")
    assert checksums(claude_samples) == files_before


def export_of(workspace: Workspace) -> dict[str, Any]:
    out = io.StringIO()
    write_export(workspace.store, workspace.view, out, generated_at=NOW, annotate=False)
    return json.loads(out.getvalue())


def test_a_running_workspace_keeps_what_vanished(small_corpus: tuple[Path, Any]) -> None:
    corpus, _ = small_corpus
    root = corpus.parent.parent / "live-copy"
    shutil.copytree(corpus, root)
    workspace = Workspace(Options(roots=[root], tz="UTC"))
    try:
        workspace.refresh()
        before = export_of(workspace)
        project = sorted(p for p in root.iterdir() if p.is_dir())[0]
        gone = {f.stem for f in project.glob("*.jsonl")}
        shutil.rmtree(project)  # a whole project directory, subagents included
        report = workspace.refresh(paths=[project])
        assert report.files_archived >= len(gone) and report.files_read == 0
        during = export_of(workspace)
        assert during["totals"] == before["totals"]
        assert tree_of(during) == tree_of(before)
        marked = {sid for sid, s in sessions(during).items() if s.get("archived")}
        assert marked and marked <= gone
        assert export_of(workspace) == during
        walked = workspace.refresh()  # the user's `r`: nothing more to archive
        assert walked.files_archived == 0
        assert export_of(workspace)["children"] == during["children"]
    finally:
        workspace.close()
    reopened = Workspace(Options(roots=[root], tz="UTC"))
    try:
        reopened.refresh()
        assert export_of(reopened)["children"] == during["children"]
    finally:
        reopened.close()


def test_an_archived_call_replayed_in_a_surviving_file_counts_once(tmp_path: Path) -> None:
    from tests.data.sources.claude.lines import assistant, write

    root = tmp_path / "projects"
    first = [
        assistant("m1", "2026-11-20T10:00:00.000Z", rid="r1", uuid="a1", out=100),
        assistant("m2", "2026-11-20T10:01:00.000Z", rid="r2", uuid="a2", out=200),
    ]
    original = write(root / "p" / "s1.jsonl", first)
    # --resume: a new file copies the history before its own calls
    write(
        root / "p" / "s1-resumed.jsonl",
        [*first, assistant("m3", "2026-11-20T11:00:00.000Z", rid="r3", uuid="a3", out=300)],
    )
    before = export_root(root)
    assert before["totals"]["calls"] == 3 and before["totals"]["output"] == 600
    original.unlink()
    after = export_root(root)
    assert after["totals"] == before["totals"]
    assert tree_of(after) == tree_of(before)
    assert not sessions(after)["s1"].get("archived")  # a file of it is still on disk
