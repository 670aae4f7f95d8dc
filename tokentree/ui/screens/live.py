"""Live mode (``tokentree live``): a narrow pane that follows the session you are in.

From top to bottom: the followed session with its totals and activity mix; its current turn's
calls as they arrive; the burn rate, today's and this week's totals, each plan's 5-hour window
and the budgets. The app tells the screen when the data changed (it re-reads the followed
session, switching when another one became active) and hands it each new usage summary; a
clock tick moves the time-dependent figures (burn rate, "resets in") without touching DuckDB.

Like the explorer, the screen knows its :class:`~tokentree.service.backend.Backend` but not
the app: it asks for reloads, pausing, the demo and the explorer with messages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tokentree.model.charset import Charset, for_charset
from tokentree.model.tree import Kind, NodePath
from tokentree.service import hook as hooks
from tokentree.service.follow import FollowSpec, SessionView
from tokentree.service.notices import empty_message
from tokentree.service.usage_now import usage_now
from tokentree.ui import bindings
from tokentree.ui.messages import ExportFinished, LiveActivityLoaded, LiveSessionLoaded
from tokentree.ui.widgets.key_footer import KeyFooter
from tokentree.ui.widgets.live_calls import TurnCalls
from tokentree.ui.widgets.live_session import SessionPanel
from tokentree.ui.widgets.live_usage import UsagePanel
from tokentree.ui.widgets.status import OLDER_LABEL, StatusLine

if TYPE_CHECKING:
    from tokentree.data.read.discovery import SourceRoot
    from tokentree.data.read.ingest import IngestReport
    from tokentree.service.backend import Backend
    from tokentree.service.summary import Summary

TICK = 5.0
"""Seconds between clock ticks (burn rate, reset countdowns, Claude Code's hook readings)."""
MIX_EVERY = 30.0
"""Seconds between re-estimates of the followed session's activity mix (it changes slowly,
and the estimate covers every call; a newly followed session gets its mix at once)."""
DESCRIBED = frozenset({"export_session", "open_explorer", "help", "quit"})
"""Keys whose description the narrow footer keeps."""


class LiveScreen(Screen[None]):
    """The followed session, its current turn, and the usage now."""

    BINDINGS = bindings.LIVE

    live = reactive("off", init=False)
    """Live mode as the app reports it: ``on``, ``polling``, ``paused`` or ``off``."""

    class ReloadRequested(Message):
        """``r``: re-read what changed on disk."""

    class LiveToggleRequested(Message):
        """``p``: pause or resume following the logs."""

    class DemoRequested(Message):
        """``d``: replace the (empty) data set with the embedded demo."""

    class ExplorerRequested(Message):
        """``Enter``: show the explorer, at ``path`` (the followed session) when given."""

        def __init__(self, path: NodePath | None, select: str | None = None) -> None:
            self.path, self.select = path, select
            super().__init__()

    def __init__(
        self,
        backend: Backend,
        *,
        follow: FollowSpec | None = None,
        export_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        charset: Charset = "unicode",
        kept_file: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.follow = follow or FollowSpec()
        self.export_dir = export_dir or Path.cwd()
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.charset: Charset = charset
        self.kept_file = kept_file
        self.kept = hooks.Kept()
        self._kept_stamp: float | None = None
        self.version = -1
        self.view: SessionView | None = None
        self.summary: Summary | None = None
        self.empty = False
        self._footer_state: tuple[bool, ...] = ()
        self._mix_done: tuple[str, float] | None = None
        """The session whose mix was estimated last, and when (monotonic seconds)."""
        self.status = StatusLine(charset=charset, id="live-status")
        self.status.start_loading("loading transcripts…")

    def compose(self) -> ComposeResult:
        yield SessionPanel(charset=self.charset, id="live-session")
        yield TurnCalls(charset=self.charset, id="live-calls")
        yield UsagePanel(charset=self.charset, id="live-usage")
        notice = Static(self._text("Loading transcripts…"), id="live-notice")
        notice.display = False
        yield notice
        yield self.status
        yield KeyFooter(described=DESCRIBED)

    def on_mount(self) -> None:
        self.set_interval(TICK, self._tick)
        self._read_kept()

    def on_resize(self) -> None:
        self.query_one(KeyFooter).fit(self.size.width)

    def _text(self, text: str) -> str:
        return for_charset(text, self.charset)

    # ------------------------------------------------------------------ told by the app

    def watch_live(self, state: str) -> None:
        if self.is_mounted:
            self._show_session()

    def add_notice(self, notice: str) -> None:
        self.status.set_notice(notice)

    def show_progress(self, files_done: int, files_total: int, done: int, total: int) -> None:
        self.status.set_progress(files_done, files_total, done, total)

    def end_progress(self) -> None:
        self.status.stop_loading()

    def show_partial(self, since: date | None) -> None:
        """Only the weeks from ``since`` on are read yet, the older files are being read
        (None: everything is read)."""
        self.status.set_progress_label(OLDER_LABEL if since else "")

    def data_changed(self, version: int) -> None:
        """The data changed: find the session to follow again and re-read it."""
        self.end_progress()
        self.empty = False
        self._show_notice(None)
        if version != self.version:
            self.version = version
            self._load(self.backend, version)

    def summary_changed(self, summary: Summary) -> None:
        """A new usage summary (after each refresh)."""
        self.summary = summary
        self._show_usage()

    def show_empty(self, roots: list[SourceRoot], report: IngestReport | None) -> None:
        self.empty = True
        self.end_progress()
        self.status.set_text("no data · d: demo · q: quit")
        self._show_notice(empty_message(roots, report))
        self._refresh_footer()

    def show_failure(self, error: str) -> None:
        self.end_progress()
        if self.version < 0:
            self._show_notice(
                f"Could not read the transcripts:\n\n{error}\n\nPress r to try again."
            )

    def reset(self, backend: Backend) -> None:
        self.backend = backend
        self.version = -1
        self.view = None
        self.summary = None
        self._mix_done = None
        self.status.start_loading("loading…")
        self._show_notice("Loading…")

    # ------------------------------------------------------------------ reading

    @work(thread=True, exclusive=True, exit_on_error=False, group="live-session")
    def _load(self, backend: Backend, version: int) -> None:
        view = backend.followed(self.follow)
        self.post_message(LiveSessionLoaded(version, view))
        done, now = self._mix_done, time.monotonic()
        if view is not None and (done is None or done[0] != view.id or now - done[1] >= MIX_EVERY):
            self._mix_done = (view.id, now)
            try:
                activity = backend.session_activity(view.id)
            except Exception as error:  # the mix is optional: no mix, keep following
                self.log.warning(f"activity unavailable: {error}")
                return
            self.post_message(LiveActivityLoaded(version, view.id, activity))

    def on_live_session_loaded(self, message: LiveSessionLoaded) -> None:
        if message.version != self.version:
            return
        before, view = self.view, message.view
        if view is not None and before is not None and before.id == view.id and before.activity:
            view = _with_activity(view, before.activity)  # until the new mix arrives
        self.view = view
        if before is not None and view is not None and before.id != view.id:
            self.notify(self._text(f"Following {view.project} · {view.id[:8]}"), timeout=3)
        self._show_session()

    def on_live_activity_loaded(self, message: LiveActivityLoaded) -> None:
        if self.view is not None and self.view.id == message.session:
            self.view = _with_activity(self.view, message.activity)
            self._show_session()

    # ------------------------------------------------------------------ display

    def _show_notice(self, text: str | None) -> None:
        notice = self.query_one("#live-notice", Static) if self.is_mounted else None
        if notice is None:
            return
        if text is not None:
            notice.update(self._text(text))
        notice.display = text is not None
        for panel in ("#live-session", "#live-calls", "#live-usage"):
            self.query_one(panel).display = text is None

    def _claude_cost(self) -> float | None:
        note = self.kept.sessions.get(self.view.id) if self.view else None
        return note.cost_usd if note else None

    def _show_session(self) -> None:
        view = self.view
        waiting = (
            f"No session of {self.follow.describe} yet"
            if self.follow.session or self.follow.project
            else ""
        )
        self.query_one(SessionPanel).show(view, self._claude_cost(), self.live, waiting)
        calls = self.query_one(TurnCalls)
        if view is None or view.turn is None:
            calls.show("turn", ())
        else:
            calls.show(f"turn {view.turn.label}", view.calls, view.earlier)
        if self.version >= 0 and not self.empty:
            self.status.set_text(self._status_text())
        self._refresh_footer()

    def _refresh_footer(self) -> None:
        """Re-check which keys apply only when the answer can have changed: the footer is
        rebuilt on every check, which costs more than the rest of a live update's redraw."""
        state = (self.empty, self.view is not None)
        if state != self._footer_state:
            self._footer_state = state
            self.refresh_bindings()

    def _status_text(self) -> str:
        view = self.view
        if view is None:
            return f"following {self.follow.describe}"
        return f"following {self.follow.describe} · {view.id[:8]}"

    def _show_usage(self) -> None:
        if self.summary is None or not self.is_mounted:
            return
        now = self.clock().timestamp()
        usage = usage_now(self.summary, now, readings=self.kept.readings)
        self.query_one(UsagePanel).show(usage)

    def _read_kept(self) -> bool:
        """Re-read what Claude Code's status-line hook told ``tokentree statusline`` (when the
        file changed); True when it did."""
        if self.kept_file is None:
            return False
        try:
            stamp = os.stat(self.kept_file).st_mtime_ns
        except OSError:
            return False
        if stamp == self._kept_stamp:
            return False
        self._kept_stamp = stamp
        self.kept = hooks.load(self.kept_file)
        return True

    def _tick(self) -> None:
        if self._read_kept():
            self._show_session()
        self._show_usage()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo":
            return self.empty
        if action in ("export_session", "open_explorer"):
            return self.view is not None or action == "open_explorer"
        return True

    def action_export_session(self) -> None:
        view = self.view
        if view is not None:
            self.notify(self._text(f"Exporting session {view.id[:8]}…"), timeout=2)
            self._export(self.backend, view.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, backend: Backend, path: NodePath) -> None:
        try:
            target = backend.export_path(Kind.SESSION, path, self.export_dir, self.clock())
            self.post_message(ExportFinished(target=target))
        except Exception as error:  # report, never crash
            self.post_message(ExportFinished(error=f"{type(error).__name__}: {error}"))

    def on_export_finished(self, message: ExportFinished) -> None:
        if message.target is not None:
            self.notify(self._text(f"Exported to {message.target}"), title="Export")
        else:
            self.notify(self._text(f"Export failed: {message.error}"), severity="error")

    def action_open_explorer(self) -> None:
        view = self.view
        turn = view.turn.id if view is not None and view.turn is not None else None
        self.post_message(self.ExplorerRequested(view.path if view else None, turn))

    def action_live_pane(self) -> None:
        """``L``: back to the explorer as it was."""
        self.post_message(self.ExplorerRequested(None))

    def action_reload(self) -> None:
        self.post_message(self.ReloadRequested())

    def action_toggle_live(self) -> None:
        self.post_message(self.LiveToggleRequested())

    def action_demo(self) -> None:
        self.post_message(self.DemoRequested())


def _with_activity(view: SessionView, activity: dict) -> SessionView:
    from dataclasses import replace

    return replace(view, activity=activity)
