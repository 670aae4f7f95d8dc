"""Live mode: change batches refresh the level in place and keep the selection; ``p`` pauses
and resumes; watcher trouble becomes a notification, never a crash."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.ui.conftest import FakeWatcher, press, settle
from tokentree.data.workspace import Options
from tokentree.watch import ChangeBatch, WatchUnavailable


def append_call(session_file: Path, output: int = 50_000) -> None:
    """Append one more assistant call (a copy of the last one, one second later)."""
    lines = session_file.read_text().splitlines()
    last = next(
        json.loads(line) for line in reversed(lines) if '"assistant"' in line and '"usage"' in line
    )
    ts = last["timestamp"]
    last["timestamp"] = ts[:17] + f"{min(int(ts[17:19]) + 1, 59):02d}" + ts[19:]
    last["uuid"] = last["uuid"][:-4] + "beef"
    last["requestId"] = "req_live_" + last["timestamp"]
    last["message"]["id"] = "msg_live_" + last["timestamp"]
    last["message"]["usage"]["output_tokens"] = output
    with session_file.open("a") as handle:
        handle.write(json.dumps(last, separators=(",", ":")) + "\n")


async def feed(pilot, fake: FakeWatcher, batch) -> None:
    await fake.queue.put(batch)
    for _ in range(5):
        await pilot.pause(0.02)
    await settle(pilot)


async def test_change_batches_refresh_in_place(make_app, logs, fake_watch) -> None:
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.live == "on"
        await press(pilot, "t", "end", "enter", "end")  # the latest week, its latest day
        day = app.browser.rows.selected
        path = app.browser.navigator.path
        before = app.browser.navigator.current.totals.output
        session_id = max(
            (n for n in app.backend.children((*path, day.id))), key=lambda n: n.start
        ).id
        session_file = next(logs.rglob(f"{session_id}.jsonl"))
        append_call(session_file)
        await feed(pilot, fake_watch, ChangeBatch(frozenset({session_file})))
        assert app.browser.navigator.path == path
        assert app.browser.rows.selected.id == day.id  # selection kept
        assert app.browser.navigator.current.totals.output == before + 50_000
        assert app.browser.rows.selected.totals.output == day.totals.output + 50_000

        await press(pilot, "p")
        assert app.live == "paused"
        append_call(session_file, output=7)
        await feed(pilot, fake_watch, ChangeBatch(frozenset({session_file})))
        assert app.browser.navigator.current.totals.output == before + 50_000
        await press(pilot, "p")
        await settle(pilot)
        assert app.live == "on"
        assert app.browser.navigator.current.totals.output == before + 50_007


async def test_after_a_live_change_the_levels_above_are_fresh_too(
    make_app, logs, fake_watch
) -> None:
    """A live refresh re-reads the listed level and its node; going up shows the change in
    the levels above as well."""
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "t", "end", "enter", "end", "enter")  # the latest day's sessions
        navigator = app.browser.navigator
        week_id = navigator.path[0]
        week, day = (node.totals.output for node in navigator.nodes)
        session = max(app.browser.rows.listing.rows, key=lambda n: n.start)
        append_call(next(logs.rglob(f"{session.id}.jsonl")), output=40_000)
        await feed(pilot, fake_watch, ChangeBatch(frozenset(logs.rglob(f"{session.id}.jsonl"))))
        assert navigator.current.totals.output == day + 40_000
        assert sum(n.totals.output for n in app.browser.rows.listing.rows) == day + 40_000
        # the listed node renewed from its rows is the node a full read gives (which has no
        # activity estimate: the one it was listed with is kept)
        fresh = app.backend.path_nodes(navigator.path)[-1]
        assert replace(navigator.current, extra={}) == replace(fresh, extra={})
        assert fresh.extra.items() <= navigator.current.extra.items()
        await press(pilot, "left")
        assert navigator.current.totals.output == week + 40_000
        assert sum(n.totals.output for n in app.browser.rows.listing.rows) == week + 40_000
        await press(pilot, "left")
        weeks = {n.id: n.totals.output for n in app.browser.rows.listing.rows}
        assert weeks[week_id] == week + 40_000


async def test_a_live_change_keeps_the_activity_split_then_renews_it(
    make_app, logs, fake_watch
) -> None:
    """The re-read rows show their previous split while the level is drawn (the column never
    vanishes); the new estimate then replaces it, the changed row's included."""
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "t", "end", "enter", "end", "enter")  # the latest day's sessions
        browser = app.browser
        session = max(browser.rows.listing.rows, key=lambda n: n.start)
        before = {n.id: n.extra["activity"] for n in browser.loaded}
        assert before[session.id]
        path = browser.navigator.path
        shown: dict[str, dict] = {}
        show_level = browser._show_level

        def spy(at, version, children):  # what the rows carry when they are first drawn
            show_level(at, version, children)
            shown.update((node.id, node.extra.get("activity")) for node in children)

        browser._show_level = spy
        transcript = next(logs.rglob(f"{session.id}.jsonl"))
        append_call(transcript, output=40_000)
        await feed(pilot, fake_watch, ChangeBatch(frozenset({transcript})))
        assert shown == before  # the previous split, not none
        assert browser.navigator.path == path
        after = {n.id: n.extra["activity"] for n in browser.loaded}
        assert not any("activity_stale" in n.extra for n in browser.loaded)
        assert after == app.backend.activity(path)
        assert after[session.id] != before[session.id]  # the new call is in the estimate


async def test_watcher_trouble_is_reported_not_fatal(make_app, logs, fake_watch) -> None:
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await feed(pilot, fake_watch, ChangeBatch(frozenset(), notice="live mode: polling"))
        assert app.live == "polling"
        await feed(pilot, fake_watch, WatchUnavailable("cannot watch: too many files"))
        assert app.live == "off"
        messages = [n.message for n in app._notifications]
        assert any("polling" in m for m in messages)
        assert any("too many files" in m and "live mode is off" in m for m in messages)
        assert len(app.browser.rows.listing.rows) == 4  # still browsing
        await press(pilot, "p")  # turns live mode back on
        assert app.live == "on"


async def test_no_watch_means_no_live_mode(make_app, logs) -> None:
    app = make_app(Options(roots=[logs], tz="UTC"), watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.live == "off"
        assert not [w for w in app.workers if w.group == "watch"]


async def test_real_watcher_end_to_end(make_app, logs) -> None:
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        before = sum(n.totals.output for n in app.browser.rows.listing.rows)
        await asyncio.sleep(0.3)
        append_call(next(logs.rglob("*.jsonl")), output=12_345)
        for _ in range(60):
            await pilot.pause(0.1)
            await settle(pilot)
            after = sum(n.totals.output for n in app.browser.rows.listing.rows)
            if after != before:
                break
        assert after == before + 12_345
        await press(pilot, "r")
        assert any("Up to date" in n.message for n in app._notifications)


async def test_nothing_to_watch_turns_live_mode_off(make_app, tmp_path) -> None:
    app = make_app(Options(roots=[tmp_path / "nowhere"], tz="UTC"), watch=True)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        for _ in range(20):
            if app.live == "off":
                break
            await pilot.pause(0.05)
        assert app.live == "off" and app.browser.empty


async def test_live_changes_are_read_without_walking_the_roots(
    make_app, logs, fake_watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An appended call, a new session in a new project directory and a deleted session each
    reach the explorer's rows through the watcher's paths alone."""
    from tests.data.sources.claude.lines import assistant, write
    from tokentree.data.read import ingest

    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)

        def total() -> int:
            return sum(n.totals.output for n in app.browser.rows.listing.rows)

        before = total()

        def no_walk(*args, **kwargs):
            raise AssertionError("a live refresh walked the roots")

        monkeypatch.setattr(ingest, "discover", no_walk)
        session_file = max(logs.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
        append_call(session_file, output=70_000)
        await feed(pilot, fake_watch, ChangeBatch(frozenset({session_file})))
        assert total() == before + 70_000

        week = app.browser.rows.listing.rows[-1]
        day = app.backend.children((week.id,))[-1]
        new_dir = logs / "projects" / "-home-dev-src-brand-new"
        line = assistant(
            "msg_brand_new",
            day.start.isoformat().replace("+00:00", "Z"),
            session="brand-new-session",
            out=9_000,
            uuid="brand-new-1",
        )
        write(new_dir / "brand-new-session.jsonl", [line])
        await feed(pilot, fake_watch, ChangeBatch(frozenset({new_dir})))  # the directory only
        assert total() == before + 79_000
        sessions = [n.id for n in app.backend.children((week.id, day.id))]
        assert "brand-new-session" in sessions

        (new_dir / "brand-new-session.jsonl").unlink()  # its calls stay, archived
        await feed(pilot, fake_watch, ChangeBatch(frozenset({new_dir / "brand-new-session.jsonl"})))
        assert total() == before + 79_000
        archived = [n for n in app.backend.children((week.id, day.id)) if n.extra.get("archived")]
        assert [n.id for n in archived] == ["brand-new-session"]
        assert app.live == "on"
