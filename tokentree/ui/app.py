"""The explorer (``tokentree`` with no subcommand) and the live pane (``tokentree live``).

The app wires the headless service layer to the screens. The
:class:`~tokentree.service.refresh.RefreshController` decides when the data is re-read and
whether live mode follows the logs; the app is its :class:`RefreshHooks` (it runs the refresh
in a thread worker and the watcher in an async worker) and passes results on to the screens
through their public methods. Screens ask for app-level things with messages and never import
this module.

Two Textual *modes*: ``explorer`` (the browser screen and what it opens) and ``live`` (the
live pane); ``L`` switches between them and the pane's ``Enter`` opens the followed session in
the explorer. After every refresh the app collects the usage summary (published for
``tokentree statusline``, handed to the live pane) and checks the budgets, raising each alert
once per threshold and period.

Threading rule: DuckDB work (refresh, levels, info, export) runs only in thread workers that
post messages; handlers own every state change. The first frame never waits for data: the
workspace is opened inside the first refresh worker.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.worker import get_current_worker

from tokentree import paths
from tokentree.model.charset import detect_charset, for_charset
from tokentree.model.format import detect_bar_style
from tokentree.service import hook as hooks
from tokentree.service.alerts import AlertBook, alert_message
from tokentree.service.backend import Backend, check_time_zone
from tokentree.service.errors import OptionsError, service_error
from tokentree.service.follow import FollowSpec
from tokentree.service.live import follow_logs
from tokentree.service.notices import refresh_outcome
from tokentree.service.progress import throttled
from tokentree.service.refresh import LiveState, Reason, RefreshController, Ticket
from tokentree.service.state import StateFile
from tokentree.service.usage_now import usage_now
from tokentree.ui import bindings, themes
from tokentree.ui.messages import (
    DataRefreshed,
    FirstFrameRead,
    LoadProgress,
    RefreshFailed,
    SummaryCollected,
)
from tokentree.ui.screens.browser import BrowserScreen
from tokentree.ui.screens.live import LiveScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from tokentree.data.read.ingest import IngestReport
    from tokentree.data.workspace import Options
    from tokentree.service.summary import Summary

View = BrowserScreen | LiveScreen
"""A screen the app reports data and live mode to."""

CACHE_SAVE_DELAY = 2.0
"""Seconds after the first load before the cache is written (the first level comes first)."""
SUMMARY_DELAY = 0.3
"""Seconds the usage summary waits after a refresh: the screens read and draw the change first
(on two cores its queries would otherwise slow that down), and a burst of refreshes collects
one summary, after the last."""


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
    DEFAULT_MODE = "explorer"

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
        state_file: Path | None = None,
        follow: FollowSpec | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.settings = options.settings
        self.backend = Backend(options)
        self.refresher = RefreshController(self, follow=watch)
        self.state = StateFile(state_file or paths.state_file())
        self.remembered = self.state.load()
        self.alerts = AlertBook(self.state)
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.cache_dir = paths.cache_dir() if cache_dir is None else cache_dir
        """Where the statusline's summary is published and its hook readings are kept."""
        self.summary: Summary | None = None
        self.kept = hooks.Kept()
        self._data_version: int | None = None
        self._empty_report: IngestReport | None = None
        self._empty = False
        self._partial: date | None = None
        """Only the weeks from this day on are read yet (a split cold start's first frame)."""
        self._stop_watch: asyncio.Event | None = None
        environ = os.environ if env is None else env
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        self.charset = detect_charset(environ, encoding)
        self.browser = BrowserScreen(
            self.backend,
            view=self.remembered.view,
            export_dir=export_dir,
            clock=self.clock,
            bar_style=detect_bar_style(self.settings.bars, environ, encoding),
            charset=self.charset,
        )
        self.live_screen = LiveScreen(
            self.backend,
            follow=follow,
            export_dir=export_dir,
            clock=self.clock,
            charset=self.charset,
            kept_file=hooks.kept_file(self.cache_dir),
        )
        self.add_mode("explorer", lambda: self.browser)
        self.add_mode("live", lambda: self.live_screen)
        self._install_themes(theme, paths.user_themes_dir() if user_themes is None else user_themes)

    @property
    def live(self) -> LiveState:
        """``on``, ``polling``, ``paused`` or ``off``."""
        return self.refresher.live

    # ------------------------------------------------------------------ setup

    def _install_themes(self, wanted: str | None, user_dir: Path) -> None:
        found = themes.load_themes(user_dir)
        for theme in found.themes.values():
            self.register_theme(theme)
        for error in found.errors:
            self._notice(f"theme file ignored: {error}")
        configured = self.settings.theme or themes.DEFAULT_THEME
        name, notice = themes.choose_theme(
            list(self.available_themes),
            wanted=wanted,
            remembered=self.remembered.theme_for(configured),
            configured=configured,
        )
        if notice:
            self._notice(notice)
        self.theme = self._first_theme = name

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return themes.variable_defaults(self.current_theme)

    def _notice(self, notice: str) -> None:
        for view in (self.browser, self.live_screen):
            view.add_notice(notice)

    def _views(self) -> list[View]:
        """The screens that are showing (or have shown) data."""
        return [view for view in (self.browser, self.live_screen) if view.is_mounted]

    def _shown_view(self) -> list[View]:
        """The screen of the current mode, if it shows data (the other catches up when it is
        shown again: a hidden screen costs a refresh nothing)."""
        view = self.live_screen if self.current_mode == "live" else self.browser
        return [view] if view.is_mounted else []

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        self.set_class(self.charset == "ascii", "-ascii")
        self.theme_changed_signal.subscribe(self, self._theme_picked)
        self.refresher.request(Reason.INITIAL)

    def on_unmount(self) -> None:
        self.stop_watching()
        self.backend.stop_reading()  # the worker's thread is waited for before the exit

    def _theme_picked(self, theme: Theme) -> None:
        """Remember a theme picked while running (not the one it started with)."""
        if theme.name == self._first_theme:
            return
        self._first_theme = ""
        self._remember(theme=theme.name, theme_config=self.settings.theme)

    def on_browser_screen_view_changed(self, message: BrowserScreen.ViewChanged) -> None:
        self._remember(view=message.view)

    def _remember(self, **changes: object) -> None:
        self.remembered = self.state.update(**changes)

    # ------------------------------------------------------------------ refresh hooks

    def run_refresh(self, ticket: Ticket) -> None:
        self._refresh(self.backend, ticket)

    @work(thread=True, exit_on_error=False, group="ingest", description="Reading transcripts.")
    def _refresh(self, backend: Backend, ticket: Ticket) -> None:
        def post_progress(files: int, files_total: int, done: int, total: int) -> None:
            self.post_message(LoadProgress(ticket, files, files_total, done, total))

        def first_frame(report: IngestReport, since: date) -> None:
            self._first_frame_read(ticket, report, backend.version, since)

        # live reads are small: showing their progress would only flicker
        progress = throttled(post_progress) if ticket.reason is not Reason.LIVE else None
        # a cold start shows the newest weeks while it reads the older files
        split = first_frame if ticket.reason is Reason.INITIAL else None
        try:
            report = backend.refresh(progress, ticket.paths, first_frame=split)
        except Exception as error:  # shown to the user, never a crash
            self.post_message(RefreshFailed(ticket, service_error(error)))
            return
        self.post_message(DataRefreshed(ticket, report, backend.version))

    def _first_frame_read(
        self, ticket: Ticket, report: IngestReport, version: int, since: date
    ) -> None:
        """Called in the refresh worker when a split cold start read its newest weeks (the
        worker goes on with the older files)."""
        self.post_message(FirstFrameRead(ticket, report, version, since))

    def on_first_frame_read(self, message: FirstFrameRead) -> None:
        """Show the newest weeks, marked partial, while the older files are read."""
        if message.ticket.generation != self.refresher.generation:
            return
        self._partial = message.since
        self._empty, self._empty_report = False, message.report
        self._data_version = message.version
        for view in self._shown_view():
            self._show_data(view)

    def on_load_progress(self, message: LoadProgress) -> None:
        if message.ticket.generation == self.refresher.generation:
            for view in (self.browser, self.live_screen):
                view.show_progress(
                    message.files_done,
                    message.files_total,
                    message.bytes_done,
                    message.bytes_total,
                )

    def on_data_refreshed(self, message: DataRefreshed) -> None:
        ticket, report = message.ticket, message.report
        if not self.refresher.done(ticket):
            return
        outcome = refresh_outcome(report, ticket.reason, demo=self.backend.options.demo)
        if ticket.reason is Reason.INITIAL:
            self.set_timer(CACHE_SAVE_DELAY, partial(self._save_cache, self.backend))
        if outcome.notice:
            self._notice(outcome.notice)
        self._empty, self._empty_report = outcome.empty, report
        self._data_version = message.version
        self._partial = None
        for view in self._shown_view():
            self._show_data(view)
        if not outcome.empty:
            self._collect(self.backend, message.version)
        if outcome.reply:
            self.notify(outcome.reply, timeout=3)

    def _show_data(self, view: View) -> None:
        """Tell ``view`` what the last refresh found."""
        view.show_partial(self._partial)
        if self._empty:
            view.show_empty(self.backend.source_roots, self._empty_report)
        elif self._data_version is not None:
            view.data_changed(self._data_version)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if not self.refresher.done(message.ticket, ok=False):
            return
        if message.ticket.reason is Reason.INITIAL and isinstance(message.error, OptionsError):
            self.exit(return_code=2, message=f"tokentree: {message.error}")
            return
        for view in self._views():
            view.show_failure(str(message.error))
        self.notify(f"Could not read the transcripts: {message.error}", severity="error")

    # ------------------------------------------------------------------ summary and budgets

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary")
    def _collect(self, backend: Backend, version: int) -> None:
        """Collect the usage summary (publish it for the statusline) after a refresh, once the
        screens' own reads had a head start (they show the change; this comes second)."""
        time.sleep(SUMMARY_DELAY)
        if get_current_worker().is_cancelled:  # a later refresh's summary replaces it
            return
        try:
            summary = backend.summary(self.clock(), publish_to=self.cache_dir)
        except Exception as error:  # live figures and budgets are extras: keep browsing
            self.log.warning(f"usage summary unavailable: {error}")
            return
        kept = hooks.load(hooks.kept_file(self.cache_dir))
        self.post_message(SummaryCollected(version, summary, kept))

    def on_summary_collected(self, message: SummaryCollected) -> None:
        if message.version != self._data_version:
            return
        self.summary, self.kept = message.summary, message.kept
        if self.live_screen.is_mounted:
            self.live_screen.summary_changed(message.summary)
        self._check_budgets()

    def _check_budgets(self) -> None:
        """Raise the budget alerts now due (each once per threshold and period)."""
        budget = self.settings.budget
        if self.summary is None or not budget.any:
            return
        usage = usage_now(self.summary, self.clock().timestamp(), readings=self.kept.readings)
        zone = ZoneInfo(self.summary.zone)
        for alert in self.alerts.check(usage.budgets):
            severity: SeverityLevel = "error" if alert.threshold >= 100 else "warning"
            self.notify(alert_message(alert, zone), title="Budget", severity=severity, timeout=12)
            if budget.bell:
                self.bell()

    @work(thread=True, exit_on_error=False, group="cache", description="Saving the cache.")
    def _save_cache(self, backend: Backend) -> None:
        """Persist the first load so the next start is warm (again at exit, after live
        changes)."""
        backend.save_cache()

    def start_watching(self, generation: int) -> None:
        self._stop_watch = asyncio.Event()
        self._watch(self.backend.watch_targets(), generation, self._stop_watch)
        self._prepare_for_changes(self.backend)

    @work(thread=True, exit_on_error=False, group="cache", description="Preparing for changes.")
    def _prepare_for_changes(self, backend: Backend) -> None:
        """Copy a cached history into memory ahead of the first live change."""
        try:
            backend.prepare_for_changes()
        except Exception as error:  # the first change then copies it itself
            self.log.warning(f"could not prepare for live changes: {error}")

    @work(exclusive=True, exit_on_error=False, group="watch", description="Watching logs.")
    async def _watch(
        self, targets: list[tuple[Path, bool]], generation: int, stop: asyncio.Event
    ) -> None:
        backend = self.backend
        await follow_logs(
            targets, backend.watches, self.refresher, generation, stop, backend.watch_targets
        )

    def stop_watching(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()
            self._stop_watch = None

    def live_changed(self, state: LiveState, notice: str | None) -> None:
        self.browser.live = self.live_screen.live = state.value
        if notice:
            self.notify(notice, severity="warning", timeout=8)

    # ------------------------------------------------------------------ requests from screens

    def on_browser_screen_reload_requested(self) -> None:
        self.refresher.request(Reason.USER)

    def on_live_screen_reload_requested(self) -> None:
        self.refresher.request(Reason.USER)

    def on_browser_screen_live_toggle_requested(self) -> None:
        self._toggle_live()

    def on_live_screen_live_toggle_requested(self) -> None:
        self._toggle_live()

    def _toggle_live(self) -> None:
        state = self.refresher.toggle_pause()
        self.notify(f"Live mode {'paused' if state is LiveState.PAUSED else 'on'}", timeout=2)

    def on_browser_screen_demo_requested(self) -> None:
        self._load_demo()

    def on_live_screen_demo_requested(self) -> None:
        self._load_demo()

    def _load_demo(self) -> None:
        """Replace the (empty) data set with the embedded demo."""
        self.refresher.replace()
        self._close(self.backend)
        self.backend = Backend(replace(self.backend.options, demo=True))
        self._data_version, self.summary, self._partial = None, None, None
        for view in (self.browser, self.live_screen):
            if view.is_mounted:
                view.reset(self.backend)
            else:
                view.backend = self.backend
        self.refresher.request(Reason.INITIAL)

    async def on_browser_screen_live_pane_requested(self) -> None:
        await self._switch("live")

    async def on_live_screen_explorer_requested(
        self, message: LiveScreen.ExplorerRequested
    ) -> None:
        """``Enter`` in the live pane: the followed session in the explorer (``L``: the
        explorer as it was)."""
        await self._switch("explorer")
        if message.path is not None and not self._empty and self._data_version is not None:
            self.browser.open_path(message.path, message.select)

    async def _switch(self, mode: str) -> None:
        """Show ``mode``; a screen shown for the first time catches up with the data."""
        view: View = self.live_screen if mode == "live" else self.browser
        await self.switch_mode(mode)
        view.live = self.refresher.live.value
        self._show_data(view)  # a screen shown again catches up (same data: nothing to do)
        if view is self.live_screen and self.summary is not None:
            self.live_screen.summary_changed(self.summary)

    @work(thread=True, exit_on_error=False, group="cache", description="Closing a data set.")
    def _close(self, backend: Backend) -> None:
        backend.close()

    # ------------------------------------------------------------------ terminal

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's toast, in ASCII when the terminal needs it."""
        super().notify(
            for_charset(message, self.charset),
            title=for_charset(title, self.charset),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_key_display(self, binding: Binding) -> str:
        return for_charset(super().get_key_display(binding), self.charset)

    def action_help(self) -> None:
        from tokentree.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.settings.keymap, charset=self.charset))


class LivePaneApp(TokenTreeApp):
    """``tokentree live``: the same app, starting in the live pane."""

    DEFAULT_MODE = "live"


def run(options: Options, theme: str | None, watch: bool, follow: FollowSpec | None = None) -> int:
    """Start the explorer (or, given ``follow``, the live pane) at once; data loads in a
    worker after the first frame."""
    check_time_zone(options)
    kind = TokenTreeApp if follow is None else LivePaneApp
    app = kind(options, theme=theme, watch=watch, follow=follow)
    try:
        app.run()
    finally:
        app.backend.close()  # saves the cache when live mode changed it
    return app.return_code or 0
