"""Live mode's watcher: real notifications, the polling fallback, and giving up cleanly."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tokentree.data import sources
from tokentree.watch import ChangeBatch, WatchUnavailable, watch_logs

CLAUDE = sources.get("claude").watches


async def collect_first(gen, timeout: float = 10.0) -> ChangeBatch:
    return await asyncio.wait_for(gen.__anext__(), timeout)


async def test_real_watcher_reports_jsonl_changes_only(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    stop = asyncio.Event()
    gen = watch_logs(
        [tmp_path, tmp_path / "missing"],
        accept=CLAUDE,
        stop_event=stop,
        debounce_ms=200,
        step_ms=50,
    )
    first = asyncio.ensure_future(collect_first(gen))
    await asyncio.sleep(0.3)  # let the watcher start
    (project / "notes.txt").write_text("ignored")
    (project / "s1.jsonl").write_text("{}\n")
    batch = await first
    assert batch.notice is None
    assert {p.name for p in batch.paths} == {"s1.jsonl"}
    stop.set()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(gen.__anext__(), 5)


async def test_no_existing_root_yields_nothing(tmp_path: Path) -> None:
    batches = [b async for b in watch_logs([tmp_path / "nope"], accept=CLAUDE)]
    assert batches == []


class FakeWatch:
    """Stands in for watchfiles.awatch: native mode fails, polling works (or not)."""

    def __init__(self, polling_works: bool) -> None:
        self.polling_works = polling_works
        self.calls: list[bool] = []

    def __call__(self, *paths: Path, force_polling: bool, **kwargs: Any):
        self.calls.append(force_polling)
        return self._gen(paths, force_polling)

    async def _gen(self, paths, force_polling):
        if not force_polling:
            raise OSError(28, "OS file watch limit reached")
        if not self.polling_works:
            raise RuntimeError("polling failed")
        yield {(1, str(paths[0] / "a.jsonl"))}


async def test_falls_back_to_polling_with_a_notice(tmp_path: Path) -> None:
    fake = FakeWatch(polling_works=True)
    batches = [b async for b in watch_logs([tmp_path], accept=CLAUDE, awatch=fake)]
    assert fake.calls == [False, True]
    assert batches[0].paths == frozenset() and "polling" in (batches[0].notice or "")
    assert "watch limit" in (batches[0].notice or "")
    assert batches[1] == ChangeBatch(frozenset({tmp_path / "a.jsonl"}))


async def test_gives_up_when_polling_fails_too(tmp_path: Path) -> None:
    fake = FakeWatch(polling_works=False)
    gen = watch_logs([tmp_path], accept=CLAUDE, awatch=fake)
    notice = await gen.__anext__()
    assert notice.notice
    with pytest.raises(WatchUnavailable, match="polling failed"):
        await gen.__anext__()


class LimitedWatch:
    """The real ``watchfiles.awatch``, except that native notifications fail the way watchfiles
    reports the inotify watch limit (at start, or later from the watcher thread); records the
    arguments of each attempt."""

    def __init__(self, *, later: bool = False) -> None:
        self.later = later
        self.attempts: list[dict[str, Any]] = []

    def __call__(self, *paths: Path, **kwargs: Any):
        self.attempts.append(kwargs)
        if kwargs["force_polling"]:
            from watchfiles import awatch

            return awatch(*paths, **kwargs)
        return self._native(paths)

    async def _native(self, paths):
        if self.later:
            yield {(2, str(paths[0] / "p" / "seen-before.jsonl"))}
            from watchfiles._rust_notify import WatchfilesRustInternalError

            raise WatchfilesRustInternalError(
                "error in underlying watcher: OS file watch limit reached."
            )
        raise OSError(
            f"OS file watch limit reached. (Error {{ kind: MaxFilesWatch, paths: [{paths[0]!r}] }})"
        )


async def next_batch(gen, timeout: float = 10.0) -> ChangeBatch:
    return await asyncio.wait_for(gen.__anext__(), timeout)


@pytest.mark.parametrize("later", [False, True], ids=["at-start", "later"])
async def test_the_watch_limit_falls_back_to_real_polling(tmp_path: Path, later: bool) -> None:
    project = tmp_path / "p"
    project.mkdir()
    log = project / "s1.jsonl"
    log.write_text("{}\n")
    past = time.time() - 10
    os.utime(log, (past, past))  # notify's poller compares whole seconds of mtime
    fake = LimitedWatch(later=later)
    stop = asyncio.Event()
    gen = watch_logs(
        [tmp_path], accept=CLAUDE, stop_event=stop, awatch=fake, poll_delay_ms=50, step_ms=20
    )
    if later:
        assert (await next_batch(gen)).paths == {project / "seen-before.jsonl"}
    notice = await next_batch(gen)
    assert notice.paths == frozenset() and notice.resync  # changes meanwhile: look for them
    assert "OS file watch limit reached" in (notice.notice or "") and "polling" in notice.notice
    assert "MaxFilesWatch" not in notice.notice  # no Rust debug output for the user
    # a real watch limit surfaces only if watchfiles is not told to ignore errors
    assert fake.attempts[0]["ignore_permission_denied"] is False
    polled = asyncio.ensure_future(next_batch(gen))
    await asyncio.sleep(0.3)  # the poller's first scan
    with log.open("a") as handle:
        handle.write("{}\n")
    batch = await polled
    assert batch.paths == {log} and batch.notice is None
    assert [a["force_polling"] for a in fake.attempts] == [False, True]
    stop.set()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(gen.__anext__(), 5)


async def test_a_permission_error_keeps_native_notifications(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []

    def awatch(*paths: Path, **kwargs: Any):
        calls.append(kwargs)

        async def gen():
            if not kwargs["ignore_permission_denied"]:
                raise PermissionError(13, "Permission denied")
            yield {(1, str(paths[0] / "a.jsonl"))}

        return gen()

    batches = [b async for b in watch_logs([tmp_path], accept=CLAUDE, awatch=awatch)]
    assert batches == [ChangeBatch(frozenset({tmp_path / "a.jsonl"}))]  # no notice, no polling
    assert [(c["force_polling"], c["ignore_permission_denied"]) for c in calls] == [
        (False, False),
        (False, True),
    ]


async def test_the_real_watcher_reports_new_directories_and_deletions(tmp_path: Path) -> None:
    """Through a workspace's filter: what a live refresh needs to find new and gone files."""
    from tokentree.data.workspace import Options, Workspace

    root = tmp_path / "projects"
    old = root / "old" / "a.jsonl"
    old.parent.mkdir(parents=True)
    old.write_text("{}\n")
    workspace = Workspace(Options(roots=[root], tz="UTC", use_cache=False))
    try:
        workspace.refresh()
        stop = asyncio.Event()
        gen = watch_logs([root], accept=workspace.watches, stop_event=stop, step_ms=20)
        first = asyncio.ensure_future(next_batch(gen))
        await asyncio.sleep(0.3)
        (root / "new").mkdir()
        batch = await first
        assert root / "new" in batch.paths
        second = asyncio.ensure_future(next_batch(gen))
        old.unlink()
        batch = await second
        assert old in batch.paths
        stop.set()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(gen.__anext__(), 5)
    finally:
        workspace.close()
