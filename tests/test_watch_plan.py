"""What live mode watches: the directories discovery walks, not the bulky trees it skips
(OpenCode's per-message part directories and snapshots, the checkout in ``~/.hermes``), with
real inotify watches counted, and new directories picked up by a new plan."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tokentree.data.workspace import Options, Workspace, demo_root
from tokentree.watch import ChangeBatch, watch_logs

BULK_DIRS = 400
"""Directories in the bulky trees (each one an inotify watch, were the roots watched whole)."""


def bulky_homes(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Copies of the demo's OpenCode and Hermes data with bulky trees beside their data, and
    a Claude projects directory."""
    opencode, hermes, claude = tmp_path / "opencode", tmp_path / "hermes", tmp_path / "claude"
    shutil.copytree(demo_root() / "opencode", opencode)
    shutil.copytree(demo_root() / "hermes", hermes)
    shutil.copytree(demo_root() / "claude", claude)
    for n in range(BULK_DIRS // 4):
        (opencode / "storage" / "part" / f"msg_bulk{n:04d}").mkdir(parents=True)
        (opencode / "snapshot" / "repo" / "objects" / f"{n:02x}").mkdir(parents=True)
        (hermes / "hermes-agent" / "node_modules" / f"pkg{n}").mkdir(parents=True)
        (hermes / "profiles" / "work" / "skills" / f"skill{n}").mkdir(parents=True)
    return opencode, hermes, claude


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    opencode, hermes, claude = bulky_homes(tmp_path)
    options = Options(
        roots=[("opencode", opencode), ("hermes", hermes), ("claude", claude)],
        tz="UTC",
        use_cache=False,
    )
    found = Workspace(options)
    try:
        found.refresh()
        yield found
    finally:
        found.close()


def test_the_plan_leaves_out_what_discovery_skips(workspace: Workspace, tmp_path: Path) -> None:
    opencode, hermes, claude = (tmp_path / name for name in ("opencode", "hermes", "claude"))
    targets = workspace.watch_targets()
    assert set(targets) == {
        (opencode, False),
        (opencode / "storage", False),
        (opencode / "storage" / "message", True),
        (hermes, False),
        (hermes / "profiles", False),
        (hermes / "profiles" / "work", False),
        (workspace.roots[2].path, True),  # Claude's projects directory, whole
    }
    assert workspace.roots[2].path == claude / "projects"


def inotify_watches() -> int:
    """The inotify watches this process holds (Linux: one ``inotify wd:`` line per watch)."""
    count = 0
    for fd in os.listdir("/proc/self/fdinfo"):
        try:
            text = Path(f"/proc/self/fdinfo/{fd}").read_text()
        except OSError:
            continue
        count += sum(1 for line in text.splitlines() if line.startswith("inotify wd:"))
    return count


async def next_batch(gen, timeout: float = 10.0) -> ChangeBatch:
    return await asyncio.wait_for(gen.__anext__(), timeout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts inotify watches")
async def test_the_watcher_holds_a_watch_per_walked_directory(
    workspace: Workspace, tmp_path: Path
) -> None:
    opencode, hermes = tmp_path / "opencode", tmp_path / "hermes"
    walked = sum(
        1
        for root in workspace.roots
        for directory, _, _ in os.walk(root.path)
        if root.descends_to(directory)
    )
    before = inotify_watches()
    stop = asyncio.Event()
    gen = watch_logs(
        workspace.watch_targets(),
        accept=workspace.watches,
        replan=workspace.watch_targets,
        stop_event=stop,
        step_ms=20,
    )
    first = asyncio.ensure_future(next_batch(gen))
    await asyncio.sleep(0.5)  # the watchers start
    held = inotify_watches() - before
    assert 0 < held <= walked < BULK_DIRS  # were the roots watched whole: > BULK_DIRS
    # changes in the bulky trees are not even seen; a message file is
    (opencode / "storage" / "part" / "msg_bulk0000" / "prt_1.json").write_text("{}")
    (opencode / "snapshot" / "repo" / "objects" / "00" / "pack").write_text("x")
    (hermes / "hermes-agent" / "notes.db").write_text("x")
    message = next((opencode / "storage" / "message").iterdir()) / "msg_new.json"
    message.write_text("{}")
    assert (await first).paths == {message}
    stop.set()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(gen.__anext__(), 5)


async def test_a_new_directory_inside_one_watched_alone_is_watched(
    workspace: Workspace, tmp_path: Path
) -> None:
    hermes = tmp_path / "hermes"
    stop = asyncio.Event()
    gen = watch_logs(
        workspace.watch_targets(),
        accept=workspace.watches,
        replan=workspace.watch_targets,
        stop_event=stop,
        step_ms=20,
    )
    first = asyncio.ensure_future(next_batch(gen))
    await asyncio.sleep(0.5)
    (hermes / "skills").mkdir()  # a directory the walk skips: not a change
    profile = hermes / "profiles" / "new"
    profile.mkdir()
    assert (await first).paths == {profile}
    # a new plan watches it; the directory is reported again once its watchers run
    assert (await next_batch(gen)).paths == {profile}
    assert (profile, True) in workspace.watch_targets()  # nothing skipped in it yet
    database = profile / "state.db"
    database.write_bytes(b"SQLite format 3\0")
    batch = await next_batch(gen)
    assert database in batch.paths
    stop.set()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(gen.__anext__(), 5)
