"""Pilot-test helpers: an explorer app on fixed data, a fixed clock, no live mode (or live mode
on a watcher that never reports), no blinking cursor, its own state file, and a wait that
lets workers and their messages settle."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tokentree.data.workspace import Options, demo_root
from tokentree.ui.app import LivePaneApp, TokenTreeApp

CLAUDE_ONLY = ("claude",)
"""The UI tests browse the Claude part of the demo (a stable, rich data set); the whole
multi-source demo has tests of its own (test_ui_sources.py)."""

FIXED_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LIVE_NOW = datetime(2026, 11, 20, 23, 58, 30, tzinfo=UTC)
"""A minute and a half after the demo's last call: live mode has something to show."""
ENV = {"TERM": "xterm-256color", "LANG": "C.UTF-8"}


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots depend on timing."""
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., TokenTreeApp]:
    """Build an explorer app: demo data by default, exports into ``tmp_path/out``; ``kind``:
    a subclass of the app to build."""
    out = tmp_path / "out"
    out.mkdir()

    def build(options: Options | None = None, **kwargs: Any) -> TokenTreeApp:
        kwargs.setdefault("watch", False)
        kwargs.setdefault("export_dir", out)
        kwargs.setdefault("clock", lambda: FIXED_NOW)
        kwargs.setdefault("user_themes", tmp_path / "user-themes")
        kwargs.setdefault("env", ENV)
        kwargs.setdefault("state_file", tmp_path / "state.json")
        kwargs.setdefault("cache_dir", tmp_path / "cache")
        live_pane = kwargs.pop("live_pane", False)
        kind = kwargs.pop("kind", None) or (LivePaneApp if live_pane else TokenTreeApp)
        app = kind(options or Options(demo=True, sources=CLAUDE_ONLY, tz="UTC"), **kwargs)
        app.animation_level = "none"
        return app

    return build


@pytest.fixture
def make_live(make_app: Callable[..., TokenTreeApp]) -> Callable[..., TokenTreeApp]:
    """Build a live-pane app (``tokentree live``) at :data:`LIVE_NOW`."""

    def build(options: Options | None = None, **kwargs: Any) -> TokenTreeApp:
        kwargs.setdefault("clock", lambda: LIVE_NOW)
        return make_app(options, live_pane=True, **kwargs)

    return build


class QuietWatcher:
    """Stands in for ``watch_logs``: watches nothing and ends when told to stop (live mode
    is on, nothing ever changes)."""

    def __call__(self, roots, *, stop_event=None, **kwargs):
        return self._wait(stop_event)

    async def _wait(self, stop_event):
        await stop_event.wait()
        return
        yield  # an async generator that yields nothing


@pytest.fixture
def quiet_watch(monkeypatch: pytest.MonkeyPatch) -> QuietWatcher:
    watcher = QuietWatcher()
    monkeypatch.setattr("tokentree.watch.watch_logs", watcher)
    return watcher


async def settle(pilot: Pilot, rounds: int = 100) -> None:
    """Wait until no finite worker runs and the messages they posted are handled.

    Quiet twice in a row, a pause apart: a worker that just finished may have posted its
    result from its thread after the previous pause looked at the queues (on a busy machine
    that happens), and handling it may start the next worker.
    """
    app = pilot.app
    await pilot.pause()
    quiet = 0
    for _ in range(rounds):
        busy = [w for w in app.workers if w.is_running and w.group != "watch"]
        if not busy:
            quiet += 1
            if quiet == 2:
                return
        else:
            quiet = 0
            for worker in busy:
                await worker.wait()
        await pilot.pause()
    raise AssertionError("workers did not settle")


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, letting each one's work finish before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def rows(app: TokenTreeApp) -> list[str]:
    """Ids of the listed rows, top to bottom."""
    return [node.id for node in app.browser.rows.listing.rows]


def selected(app: TokenTreeApp) -> str | None:
    node = app.browser.rows.selected
    return node.id if node else None


def screen_text(app: TokenTreeApp) -> str:
    """The active screen as plain text (what a terminal would show)."""
    strips = app.screen._compositor.render_strips()  # textual has no public text dump
    return "\n".join(strip.text.rstrip() for strip in strips)


async def wait_for_text(pilot: Pilot, text: str, *, present: bool = True, rounds: int = 50) -> str:
    """The screen once ``text`` is (or is no longer) on it; repaints such as the footer's
    bindings arrive a message cycle after the state that causes them."""
    for _ in range(rounds):
        screen = screen_text(pilot.app)
        if (text in screen) == present:
            return screen
        await pilot.pause(0.02)
    raise AssertionError(f"{text!r} {'never appeared' if present else 'stayed'} on screen")


async def open_busiest(pilot: Pilot) -> None:
    """Open the row with the most children at the current level."""
    app = pilot.app
    listing = app.browser.rows.listing
    busiest = max(range(len(listing.rows)), key=lambda i: listing.rows[i].child_count)
    app.browser.rows._move(busiest)
    await press(pilot, "enter")


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """A writable copy of the demo transcripts."""
    root = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", root)
    return root


class FakeWatcher:
    """Stands in for watch_logs: the test decides what it yields."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue = asyncio.Queue()

    def __call__(self, roots, *, stop_event=None, **kwargs):
        return self._gen()

    async def _gen(self):
        while True:
            item = await self.queue.get()
            if isinstance(item, Exception):
                raise item
            yield item


@pytest.fixture
def fake_watch(monkeypatch: pytest.MonkeyPatch) -> FakeWatcher:
    fake = FakeWatcher()
    monkeypatch.setattr("tokentree.watch.watch_logs", fake)
    return fake
