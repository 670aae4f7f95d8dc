"""The explorer: ``tokentree`` with no subcommand.

Threading rule: DuckDB work (refresh, levels, info, export) runs only in thread workers that
post messages; handlers on the app and screens own every state change. The first frame never
waits for data: the workspace is opened inside the first refresh worker.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.screen import Screen

from tokentree import paths
from tokentree.model.format import detect_bar_style
from tokentree.ui import bindings, themes
from tokentree.ui.backend import Backend
from tokentree.ui.messages import DataRefreshed, FilesChanged, LoadProgress, RefreshFailed
from tokentree.ui.screens.browser import BrowserScreen
from tokentree.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from textual.command import Provider

    from tokentree.data.workspace import Options

PROGRESS_INTERVAL = 0.05
"""Seconds between progress updates posted by the refresh thread."""
CACHE_SAVE_DELAY = 2.0
"""Seconds after the first load before the cache is written (the first level comes first)."""


def _commands() -> type[Provider]:
    """The palette's tokentree commands, imported when the palette first opens."""
    from tokentree.ui.commands import TokentreeCommands

    return TokentreeCommands


class TokenTreeApp(App[None]):
    """Browse usage one level at a time; live-refreshes as transcripts grow."""

    TITLE = "tokentree"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings.APP
    COMMANDS = App.COMMANDS | {_commands}

    def __init__(
        self,
        options: Options,
        *,
        theme: str | None = None,
        watch: bool = True,
        export_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        user_themes: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.settings = options.settings
        self.backend = Backend(options)
        self.export_dir = export_dir or Path.cwd()
        """Where ``e`` writes (the current directory)."""
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.watch_enabled = watch
        self.live = "off"
        """``on``, ``polling``, ``paused`` or ``off``."""
        self._pending_changes = False
        self._refreshing = False
        self._refresh_again = False
        self._generation = 0
        """Bumped when another data set replaces the backend (stale results are dropped)."""
        self._stop_watch: asyncio.Event | None = None
        self.notices: list[str] = []
        """Problems found before the first frame (themes), shown once mounted."""
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        bar_style = detect_bar_style(
            self.settings.bars, os.environ if env is None else env, encoding
        )
        self.browser = BrowserScreen(bar_style=bar_style)
        self._install_themes(theme, paths.user_themes_dir() if user_themes is None else user_themes)

    # ------------------------------------------------------------------ setup

    def _install_themes(self, wanted: str | None, user_dir: Path) -> None:
        found = themes.load_themes(user_dir)
        for theme in found.themes.values():
            self.register_theme(theme)
        self.notices += [f"theme file ignored: {error}" for error in found.errors]
        name = wanted or self.settings.theme or themes.DEFAULT_THEME
        if name not in self.available_themes:
            self.notices.append(f"unknown theme {name!r}; using {themes.DEFAULT_THEME}")
            name = themes.DEFAULT_THEME
        self.theme = name

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return themes.variable_defaults(self.current_theme)

    def get_default_screen(self) -> Screen[None]:
        return self.browser

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        for notice in self.notices:
            self.notify(notice, severity="warning", title="Themes")
        self.request_refresh(reason="initial")

    def on_unmount(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()

    # ------------------------------------------------------------------ refresh

    def request_refresh(self, reason: str = "user") -> None:
        """Re-read changed transcripts (one refresh at a time; requests made meanwhile run
        once after it)."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._refresh(self.backend, self._generation, reason)

    @work(thread=True, exit_on_error=False, group="ingest", description="Reading transcripts.")
    def _refresh(self, backend: Backend, generation: int, reason: str) -> None:
        last = 0.0

        def progress(files_done: int, files_total: int, bytes_done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL or files_done == files_total:
                last = now
                self.post_message(LoadProgress(files_done, files_total, bytes_done, total))

        try:
            report = backend.refresh(progress)
        except Exception as error:  # shown to the user, never a crash
            self.post_message(RefreshFailed(f"{error}", generation, reason, type(error).__name__))
            return
        self.post_message(DataRefreshed(report, backend.version, reason, generation))

    def on_load_progress(self, message: LoadProgress) -> None:
        self.browser.query_one(StatusLine).set_progress(
            message.files_done, message.files_total, message.bytes_done, message.bytes_total
        )

    def on_data_refreshed(self, message: DataRefreshed) -> None:
        self._refreshing = False
        if message.generation == self._generation:
            self._apply_refresh(message)
        if self._refresh_again:
            self._refresh_again = False
            self.request_refresh(reason="live")

    def _apply_refresh(self, message: DataRefreshed) -> None:
        report = message.report
        if message.reason == "initial":
            self.set_timer(CACHE_SAVE_DELAY, partial(self._save_cache, self.backend))
            if report.summary():
                self.notify(report.summary() or "", severity="warning", timeout=8)
            if self.watch_enabled:
                self.start_live()
        if report.files == 0 and not self.backend.options.demo:
            self.browser.show_empty(self.backend.source_roots, report)
        elif message.version != self.browser.version or self.browser.empty:
            self.browser.data_changed(message.version)
        if message.reason == "user":
            changed = report.files_read + report.files_appended
            self.notify(
                f"Reloaded: {changed} changed file{'s' * (changed != 1)}"
                if changed
                else "Up to date: no transcript changed",
                timeout=3,
            )

    @work(thread=True, exit_on_error=False, group="cache", description="Saving the cache.")
    def _save_cache(self, backend: Backend) -> None:
        """Persist the first load so the next start is warm (again at exit, after live
        changes)."""
        backend.save_cache()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self._refreshing = False
        if message.generation != self._generation:
            return
        if message.reason == "initial" and message.kind == "ValueError":
            self.exit(return_code=2, message=f"tokentree: {message.error}")
            return
        self.notify(f"Could not read the transcripts: {message.error}", severity="error")

    def load_demo(self) -> None:
        """Replace the (empty) data set with the embedded demo."""
        from dataclasses import replace

        if self._stop_watch is not None:
            self._stop_watch.set()
        self._generation += 1
        self._refreshing = False
        self._close(self.backend)
        self.backend = Backend(replace(self.backend.options, demo=True))
        self.browser.reset()
        self.request_refresh(reason="initial")

    @work(thread=True, exit_on_error=False, group="cache", description="Closing a data set.")
    def _close(self, backend: Backend) -> None:
        backend.close()

    # ------------------------------------------------------------------ live mode

    def start_live(self) -> None:
        self._stop_watch = asyncio.Event()
        self._set_live("on")
        self._watch(self.backend.watch_dirs(), self._stop_watch)

    @work(exclusive=True, exit_on_error=False, group="watch", description="Watching logs.")
    async def _watch(self, roots: list[Path], stop: asyncio.Event) -> None:
        from tokentree.watch import WatchUnavailable, watch_logs

        try:
            async for batch in watch_logs(roots, accept=self.backend.watches, stop_event=stop):
                if batch.notice:
                    self.notify(batch.notice, severity="warning", timeout=8)
                    self._set_live("polling" if self.live != "paused" else "paused")
                if batch.paths:
                    self.post_message(FilesChanged(batch.paths))
            if not stop.is_set():  # nothing to watch (no transcript directory exists)
                self._set_live("off")
        except WatchUnavailable as error:
            self.notify(f"{error}; live mode is off", severity="warning", timeout=8)
            self._set_live("off")

    def on_files_changed(self, message: FilesChanged) -> None:
        if self.live == "paused":
            self._pending_changes = True
        elif self.live != "off":
            self.request_refresh(reason="live")

    def toggle_live(self) -> None:
        """``p``: pause or resume following new log lines (start it if it was off)."""
        if self.live == "off":
            self.start_live()
            self.request_refresh(reason="live")
        elif self.live == "paused":
            self._set_live("on")
            if self._pending_changes:
                self._pending_changes = False
                self.request_refresh(reason="live")
        else:
            self._set_live("paused")
        self.notify(f"Live mode {'paused' if self.live == 'paused' else 'on'}", timeout=2)

    def _set_live(self, state: str) -> None:
        self.live = state
        self.browser.set_live(state)

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from tokentree.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.settings.keymap))


def run(options: Options, theme: str | None, watch: bool) -> int:
    """Start the explorer at once; data loads in a worker after the first frame."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    tz = options.tz or options.settings.timezone
    if tz:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {tz!r}") from None
    app = TokenTreeApp(options, theme=theme, watch=watch)
    try:
        app.run()
    finally:
        app.backend.close()  # saves the cache when live mode changed it
    return app.return_code or 0
