"""The live loop hands the watcher's batches to the controller; watcher trouble ends live mode
with a reason, a watcher with nothing to watch ends it quietly, a stop does not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.service.test_refresh import started_live
from tokentree.data import sources
from tokentree.service.live import follow_logs
from tokentree.service.refresh import LiveState
from tokentree.watch import ChangeBatch, WatchUnavailable

ACCEPT = sources.get("claude").watches


def scripted(items: list[object], stop_after: bool = False):
    """A stand-in for ``watch_logs`` yielding ``items`` (raising exceptions among them)."""

    def watch_logs(roots, *, stop_event=None, **_kwargs):
        async def generate():
            for item in items:
                await asyncio.sleep(0)
                if isinstance(item, Exception):
                    raise item
                yield item
            if stop_after:
                stop_event.set()

        return generate()

    return watch_logs


def follow(monkeypatch: pytest.MonkeyPatch, items: list[object], *, stop_after: bool = False):
    controller, hooks = started_live()
    monkeypatch.setattr("tokentree.watch.watch_logs", scripted(items, stop_after))
    asyncio.run(follow_logs([Path(".")], ACCEPT, controller, 0, asyncio.Event()))
    return controller, hooks


def test_batches_become_refreshes(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = Path("a.jsonl"), Path("b.jsonl")
    controller, hooks = follow(
        monkeypatch,
        [ChangeBatch(frozenset({a})), ChangeBatch(frozenset({b}))],
        stop_after=True,
    )
    assert [t.paths for t in hooks.started[1:]] == [{a}]  # the second waits for the first
    controller.done(hooks.started[-1])
    assert hooks.started[-1].paths == {b}
    assert controller.live is LiveState.ON  # stopped on purpose: still on


def test_polling_fallback_and_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    controller, hooks = follow(
        monkeypatch,
        [
            ChangeBatch(frozenset(), notice="live mode: polling every 1 s"),
            WatchUnavailable("cannot watch the transcripts: too many files"),
        ],
    )
    assert hooks.states[1] == (LiveState.POLLING, "live mode: polling every 1 s")
    assert controller.live is LiveState.OFF
    assert hooks.states[-1] == (
        LiveState.OFF,
        "cannot watch the transcripts: too many files; live mode is off",
    )


def test_nothing_to_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    controller, hooks = follow(monkeypatch, [])
    assert controller.live is LiveState.OFF and hooks.states[-1] == (LiveState.OFF, None)


def test_real_watcher_on_a_missing_root_ends_at_once(tmp_path: Path) -> None:
    controller, hooks = started_live()
    asyncio.run(follow_logs([tmp_path / "nowhere"], ACCEPT, controller, 0, asyncio.Event()))
    assert controller.live is LiveState.OFF and hooks.states[-1] == (LiveState.OFF, None)


def test_real_watcher_reports_an_append(tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    log.write_text("{}\n")
    controller, hooks = started_live()

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(follow_logs([tmp_path], ACCEPT, controller, 0, stop))
        await asyncio.sleep(0.3)
        with log.open("a") as handle:
            handle.write("{}\n")
        for _ in range(100):
            if len(hooks.started) > 1:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert hooks.started[-1].paths == {log}
    assert controller.live is LiveState.ON
