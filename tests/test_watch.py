"""Live mode's watcher: real notifications, the polling fallback, and giving up cleanly."""

from __future__ import annotations

import asyncio
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
