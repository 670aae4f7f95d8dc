"""The main screen: one level of the tree at a time, like ncdu.

State lives here as plain model objects (:class:`Navigator`, :class:`LevelCache`, the view
settings and the filter); widgets are told what to show ("attributes down") and report what
the user did ("messages up"). Reading a level is a thread worker that posts
:class:`LevelLoaded`; results for a level the user has already left are dropped.

The screen knows its :class:`~tokentree.service.backend.Backend` but not the app: what only
the app can do (reload, live mode, the demo, remembering the view) is asked for with
messages, and the app tells the screen about data and live mode through its public methods
and the ``live`` reactive.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tokentree.model import format as fmt
from tokentree.model.charset import Charset, for_charset
from tokentree.model.listing import SortKey, ViewSettings, build_listing
from tokentree.model.navigation import LevelCache, Navigator, can_open, child_kind
from tokentree.model.tree import Kind, Node, NodePath
from tokentree.model.usage import sum_totals
from tokentree.service.notices import empty_message, nothing_in_range
from tokentree.ui import bindings
from tokentree.ui.messages import (
    ActivityLoaded,
    ExportFinished,
    LevelLoaded,
    SourcesApplied,
    SourcesLoaded,
)
from tokentree.ui.widgets.filter_bar import FilterBar, FilterLine
from tokentree.ui.widgets.header import ColumnHeader, HeaderState, LevelHeader
from tokentree.ui.widgets.key_footer import KeyFooter
from tokentree.ui.widgets.status import OLDER_LABEL, StatusLine
from tokentree.ui.widgets.usage_list import UsageList

if TYPE_CHECKING:
    from tokentree.data.read.discovery import SourceRoot
    from tokentree.data.read.ingest import IngestReport
    from tokentree.service.backend import Backend


STALE = "activity_stale"
"""Marks a row's activity split carried over from before a live change (re-estimated soon)."""


def _carry_activity(before: list[Node], after: list[Node]) -> None:
    """Give the re-read rows of a level their previous activity split until the new estimate
    arrives, so the column neither vanishes nor blinks while a live change is drawn."""
    previous = {node.id: node.extra["activity"] for node in before if "activity" in node.extra}
    if not previous:
        return
    for node in after:
        node.extra["activity"] = previous.get(node.id, {})
        node.extra[STALE] = True


def _renewed(node: Node, children: list[Node]) -> Node:
    """``node`` with the totals, time span and child count of its freshly read rows (the same
    calls, grouped one level down): a live change reads the listed level alone."""
    starts = [child.start for child in children if child.start]
    ends = [child.end for child in children if child.end]
    return replace(
        node,
        totals=sum_totals([child.totals for child in children]),
        start=min(starts, default=node.start),
        end=max(ends, default=node.end),
        child_count=len(children),
    )


class BrowserScreen(Screen[None]):
    """Breadcrumb and totals, column titles, the rows, the filter, view settings, keys."""

    BINDINGS = bindings.BROWSER
    AUTO_FOCUS = "UsageList"

    live = reactive("off", init=False)
    """Live mode as the app reports it: ``on``, ``polling``, ``paused`` or ``off``."""

    class ReloadRequested(Message):
        """``r``: re-read what changed on disk."""

    class LiveToggleRequested(Message):
        """``p``: pause or resume live mode."""

    class DemoRequested(Message):
        """``d``: replace the (empty) data set with the embedded demo."""

    class LivePaneRequested(Message):
        """``L``: switch to the live pane."""

    class ViewChanged(Message):
        """The sort, the measure or the graph mode changed (worth remembering)."""

        def __init__(self, view: ViewSettings) -> None:
            self.view = view
            super().__init__()

    def __init__(
        self,
        backend: Backend,
        *,
        view: ViewSettings | None = None,
        export_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        bar_style: str = "unicode",
        charset: Charset = "unicode",
    ) -> None:
        super().__init__()
        self.backend = backend
        self.export_dir = export_dir or Path.cwd()
        """Where ``e`` writes."""
        self.clock = clock or (lambda: datetime.now().astimezone())
        view = view or ViewSettings()
        self.navigator = Navigator()
        self.levels = LevelCache(capacity=8)
        self._stale_ancestors = False
        """The nodes above the listed one predate the data (a live refresh re-read only the
        listed level): going up re-reads them."""
        self.sort = view.sort
        self.measure = view.measure
        self.graph = view.graph
        self.filter_text = ""
        self.version = -1
        """The data version the shown level was read at (-1: nothing loaded yet)."""
        self.loaded: list[Node] | None = None
        self._loaded_path: NodePath | None = None
        """The path whose children ``loaded`` holds."""
        self.empty = False
        self.data_range = ""
        self.partial_since: date | None = None
        """Set while only the weeks from it on are read (a split cold start)."""
        self.hidden_sources: frozenset[str] = frozenset()
        self.bar_style = bar_style
        self.charset: Charset = charset
        self._notices: list[str] = []
        self._jump: NodePath | None = None
        """A path :meth:`open_path` is loading (its result moves the navigator there)."""
        self._footer_state: tuple[bool, ...] = ()
        self.status = StatusLine(bar_style=bar_style, charset=charset, id="status")
        """The status line (created here so the app can report to it before the first
        frame)."""
        self.status.start_loading("loading transcripts…")

    def compose(self) -> ComposeResult:
        charset = self.charset
        rows = UsageList(bar_style=self.bar_style, charset=charset, id="rows")
        columns = ColumnHeader(rows, charset=charset, id="columns")
        rows.display = columns.display = False  # the notice stands in until data arrives
        yield LevelHeader(charset=charset, id="header")
        yield columns
        yield rows
        yield Static(self._text("Loading transcripts…"), id="notice")
        yield FilterLine(charset=charset, id="filter-line")
        yield self.status
        yield KeyFooter()

    @property
    def rows(self) -> UsageList:
        return self.query_one(UsageList)

    @property
    def view(self) -> ViewSettings:
        return ViewSettings(self.sort, self.measure, self.graph)

    def _text(self, text: str) -> str:
        return for_charset(text, self.charset)

    def _show_rows(self, show: bool) -> None:
        """The list and its column titles, or the notice (loading, no data) in their place."""
        self.rows.display = show
        self.query_one(ColumnHeader).display = show
        self.query_one("#notice", Static).display = not show

    def _show_notice(self, text: str) -> None:
        self.query_one("#notice", Static).update(self._text(text))
        self._show_rows(False)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(KeyFooter).fit(event.size.width)

    # ------------------------------------------------------------------ told by the app

    def watch_live(self, state: str) -> None:
        if self.is_mounted and self.version >= 0:
            self._update_header()

    def add_notice(self, notice: str) -> None:
        """A start-up notice (skipped lines, theme problems): shown on the status line until
        the user changes the view."""
        self._notices.append(notice)
        self.status.set_notice(" · ".join(self._notices))

    def _dismiss_notices(self) -> None:
        if self._notices:
            self._notices.clear()
            self.status.set_notice("")

    def show_progress(self, files_done: int, files_total: int, done: int, total: int) -> None:
        """A read is in progress (files and bytes so far)."""
        self.status.set_progress(files_done, files_total, done, total)

    def end_progress(self) -> None:
        """The read finished (or failed): back to the view settings."""
        self.status.stop_loading()

    def show_partial(self, since: date | None) -> None:
        """Only the weeks from ``since`` on are read yet, the older files are being read
        (None: everything is read)."""
        self.partial_since = since
        self.status.set_progress_label(OLDER_LABEL if since else "")
        if self.is_mounted and self.version >= 0:
            self._update_header()

    def data_changed(self, version: int) -> None:
        """Data is there: re-read the level on screen (keeping the selection) and its
        ancestors when it changed, or when nothing was shown yet."""
        self.end_progress()
        if version == self.version and not self.empty:
            return
        self.empty = False
        self.levels.clear()
        self.version = version
        # the listed level and its node now; the ancestors when the user goes up to them
        self._stale_ancestors = self.navigator.depth > 1
        self._read_level(self.backend, self.navigator.path, version, True, True)

    def open_path(self, path: NodePath, select: str | None = None) -> None:
        """Show the children of the node at ``path`` (the deepest part that exists), the cursor
        on ``select``; the data must have been loaded (:meth:`data_changed`)."""
        self._dismiss_notices()
        self._clear_filter()
        if select is not None:
            self.navigator.remember_at(path, select)
        self._jump = path
        self._read_level(self.backend, path, self.version, True)

    def show_empty(self, roots: list[SourceRoot], report: IngestReport | None) -> None:
        """No transcripts at all: say where we looked and offer the demo."""
        self.empty = True
        self.end_progress()
        self.status.set_text("no data · d: demo · q: quit")
        self._show_notice(empty_message(roots, report))
        self._refresh_footer()

    def show_failure(self, error: str) -> None:
        """The first read failed: say why instead of loading forever."""
        self.end_progress()
        if self.version < 0:
            self._show_notice(
                f"Could not read the transcripts:\n\n{error}\n\nPress r to try again."
            )

    def reset(self, backend: Backend) -> None:
        """Forget everything: ``backend`` (another data set) is being loaded."""
        self.backend = backend
        self.navigator = Navigator()
        self.levels.clear()
        self.loaded = None
        self.version = -1
        self.empty = False
        self._show_notice("Loading…")
        self.status.start_loading("loading…")
        self._refresh_footer()

    # ------------------------------------------------------------------ levels

    def _load(self, path: NodePath, version: int, *, reload: bool = False) -> None:
        if not path:
            self._stale_ancestors = False
        cached = None if reload else self.levels.get(path, version)
        if cached is not None and not self._stale_ancestors:
            self._show_level(path, version, cached)
            return
        with_path = reload or self._stale_ancestors
        self._stale_ancestors = False  # a read with the path renews every node on it
        self._read_level(self.backend, path, version, with_path)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="level",
        description="Reading a level.",
    )
    def _read_level(
        self,
        backend: Backend,
        path: NodePath,
        version: int,
        with_path: bool,
        deepest_only: bool = False,
    ) -> None:
        if deepest_only and path:
            _, children, _ = backend.level(path, False)
            if children:  # the listed node's fresh totals are its rows' (renewed when shown)
                self.post_message(LevelLoaded(path, version, children, None, True))
                return
            with_path, deepest_only = True, False  # it vanished: the deepest part that exists
        path, children, nodes = backend.level(path, with_path, deepest_only=deepest_only)
        partial = deepest_only and nodes is not None and len(nodes) == 1 < len(path)
        self.post_message(LevelLoaded(path, version, children, nodes, partial))

    def on_level_loaded(self, message: LevelLoaded) -> None:
        self.levels.put(message.path, message.version, message.children)
        # Loaded nodes live until evicted and hold no reference cycles (refcounting frees
        # them): keep them out of the cyclic collector, whose full passes over 10k-row levels
        # would otherwise pause key handling now and then. Collecting first means no cyclic
        # garbage is frozen with them (it only scans what was created since the last freeze).
        gc.collect()
        gc.freeze()
        if message.path_nodes is not None:
            jump = self._jump
            if jump is not None and message.path == jump[: len(message.path)]:
                self._jump = None
            elif message.path != self.navigator.path[: len(message.path)]:
                return
            nodes = message.path_nodes
            if message.deepest_only:  # the ancestors as they were (re-read when shown)
                nodes = [*self.navigator.nodes[: len(message.path) - 1], *nodes]
            self.navigator.goto(nodes)
        elif message.path != self.navigator.path:
            return  # the user moved on
        elif message.deepest_only and (current := self.navigator.current) is not None:
            renewed = _renewed(current, message.children)
            self.navigator.goto([*self.navigator.nodes[:-1], renewed])
        self._show_level(message.path, message.version, message.children)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="activity",
        description="Estimating activity.",
    )
    def _read_activity(self, backend: Backend, path: NodePath, version: int) -> None:
        try:
            activity = backend.activity(path)
        except Exception as error:  # the column is optional: no column, keep browsing
            self.log.warning(f"activity unavailable: {error}")
            activity = {}
        self.post_message(ActivityLoaded(path, version, activity))

    def on_activity_loaded(self, message: ActivityLoaded) -> None:
        """Add the activity split to the level's rows (the column appears)."""
        nodes = self.levels.get(message.path, message.version)
        if nodes is None:
            return
        for node in nodes:
            node.extra["activity"] = message.activity.get(node.id, {})
            node.extra.pop(STALE, None)
        if message.path == self.navigator.path and nodes is self.loaded:
            self._display(self._selected_key())

    def _show_level(self, path: NodePath, version: int, children: list[Node]) -> None:
        estimate = bool(children) and (
            "activity" not in children[0].extra or STALE in children[0].extra
        )
        reread = estimate and self.loaded is not None and path == self._loaded_path
        if reread and STALE not in children[0].extra:
            _carry_activity(self.loaded or [], children)
        self.version = version
        self.loaded, self._loaded_path = children, path
        if not path:
            starts = [n.start for n in children if n.start]
            ends = [n.end for n in children if n.end]
            self.data_range = fmt.date_range(min(starts, default=None), max(ends, default=None))
        if not path and not children:
            self._show_notice(nothing_in_range(self.backend.view))
        elif not self.rows.display:
            self._show_rows(True)
        self._display(self.navigator.recall())
        self._refresh_footer()
        if reread:  # the same level re-read (a live change): its rows are drawn first
            self.call_after_refresh(self._read_activity, self.backend, path, version)
        elif estimate:
            self._read_activity(self.backend, path, version)

    # ------------------------------------------------------------------ display

    def _display(self, select: str | None = None) -> None:
        """Rebuild the listing from the loaded children; the cursor goes to ``select``."""
        children = self.loaded or []
        current = self.navigator.current
        listing = build_listing(
            children,
            parent=current.totals if current else None,
            measure=self.measure,
            sort=self.sort,
            filter_text=self.filter_text,
        )
        activity = any(node.extra.get("activity") for node in children[:2000])
        kind = child_kind(self.navigator.path)
        empty_text = f'no matches for "{self.filter_text}"' if self.filter_text else ""
        self.rows.show(
            listing,
            kind=kind,
            graph=self.graph,
            select=select,
            activity=activity,
            empty_text=empty_text,
        )
        self.query_one(ColumnHeader).refresh()
        self.query_one(FilterLine).set_matches(
            len(listing), len(children), bool(self.filter_text.strip())
        )
        self._update_header()
        self._update_status()

    def _update_header(self) -> None:
        current = self.navigator.current
        children = self.loaded or []
        self.query_one(LevelHeader).update(
            HeaderState(
                nodes=self.navigator.nodes,
                totals=current.totals if current else sum_totals([n.totals for n in children]),
                children=len(children),
                child_kind=child_kind(self.navigator.path),
                zone=self.backend.view.tz if self.version >= 0 else "",
                data_range=self.data_range,
                live=self.live,
                hidden_sources=tuple(sorted(self.hidden_sources)),
                partial=self.partial_since,
            )
        )

    def _update_status(self) -> None:
        rows = self.rows
        total = len(self.loaded or [])
        self.status.set_view(rows.listing, self.graph, len(rows.listing), total)

    def _view_changed(self) -> None:
        self._dismiss_notices()
        self._display(self._selected_key())
        self.post_message(self.ViewChanged(self.view))

    # ------------------------------------------------------------------ list events

    @on(UsageList.Highlighted)
    def _highlighted(self, event: UsageList.Highlighted) -> None:
        if event.node is not None:
            self.navigator.remember(event.node.key)

    @on(UsageList.Opened)
    def _opened(self, event: UsageList.Opened) -> None:
        node = event.node
        if not can_open(node):
            self.action_info()
            return
        self._dismiss_notices()
        self.navigator.descend(node)
        self._clear_filter()
        self._load(self.navigator.path, self.version)
        self._refresh_footer()

    # ------------------------------------------------------------------ actions

    def _refresh_footer(self) -> None:
        """Re-check which keys apply, only when the answer can have changed (the footer is
        rebuilt on every refresh, which costs more than a whole level's redraw)."""
        state = (self.empty, self.navigator.depth > 0, bool(self.loaded))
        if state != self._footer_state:
            self._footer_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo":
            return self.empty
        if action in ("info", "export"):
            return self.rows.selected is not None
        if action == "up":
            return self.navigator.depth > 0
        return True

    def action_up(self) -> None:
        if self.navigator.depth == 0:
            return
        self._dismiss_notices()
        self.navigator.ascend()
        self._clear_filter()
        self._load(self.navigator.path, self.version)
        self._refresh_footer()

    def action_sort(self, key: str) -> None:
        self.sort = self.sort.toggle(SortKey(key))
        self._view_changed()

    def action_cycle_measure(self) -> None:
        self.measure = self.measure.next()
        self._view_changed()

    def action_cycle_graph(self) -> None:
        self.graph = self.graph.next()
        self._view_changed()

    def action_info(self) -> None:
        node = self.rows.selected
        if node is not None:
            from tokentree.ui.screens.info import InfoScreen  # not needed for the first frame

            path = (*self.navigator.path, node.id)
            self.app.push_screen(InfoScreen(self.backend, node, path, charset=self.charset))

    def action_filter(self) -> None:
        self.query_one(FilterLine).open(self.filter_text)

    def action_clear_filter(self) -> None:
        self._clear_filter()
        self._display(self._selected_key())

    def action_export(self) -> None:
        node = self.rows.selected
        if node is not None:
            self.notify(f"Exporting {node.kind.value} {node.id}…", timeout=2)
            self._export(self.backend, node, (*self.navigator.path, node.id))

    def action_reload(self) -> None:
        self.post_message(self.ReloadRequested())

    def action_toggle_live(self) -> None:
        self.post_message(self.LiveToggleRequested())

    def action_demo(self) -> None:
        self.post_message(self.DemoRequested())

    def action_live_pane(self) -> None:
        self.post_message(self.LivePaneRequested())

    def action_sources(self) -> None:
        if self.version >= 0 and not self.empty:
            self._load_sources(self.backend)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def _load_sources(self, backend: Backend) -> None:
        self.post_message(SourcesLoaded(backend.sources()))

    def on_sources_loaded(self, message: SourcesLoaded) -> None:
        from tokentree.ui.screens.sources import SourcesScreen

        before = frozenset(u.name for u in message.usage if u.hidden)

        def chosen(hidden: frozenset[str] | None) -> None:
            if hidden is not None and hidden != before:
                self._apply_sources(self.backend, hidden)

        self.app.push_screen(SourcesScreen(message.usage, charset=self.charset), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def _apply_sources(self, backend: Backend, hidden: frozenset[str]) -> None:
        self.post_message(SourcesApplied(backend.set_hidden_sources(hidden), hidden))

    def on_sources_applied(self, message: SourcesApplied) -> None:
        self.hidden_sources = message.hidden
        hidden = ", ".join(sorted(message.hidden))
        self.notify(f"Hiding {hidden}" if hidden else "Showing every source", timeout=3)
        self.data_changed(message.version)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="export",
        description="Exporting a node.",
    )
    def _export(self, backend: Backend, node: Node, path: NodePath) -> None:
        try:
            target = backend.export(node, path, self.export_dir, self.clock())
            self.post_message(ExportFinished(target=target))
        except Exception as error:  # report, never crash
            self.post_message(ExportFinished(error=f"{type(error).__name__}: {error}"))

    def on_export_finished(self, message: ExportFinished) -> None:
        if message.target is not None:
            self.notify(f"Exported to {message.target}", title="Export")
        else:
            self.notify(f"Export failed: {message.error}", severity="error")

    # ------------------------------------------------------------------ filter

    @on(FilterBar.Edited)
    def _filter_changed(self, event: FilterBar.Edited) -> None:
        self.filter_text = event.text
        self._display(self._selected_key())

    @on(FilterBar.Done)
    def _filter_done(self, event: FilterBar.Done) -> None:
        if not event.keep:
            self.action_clear_filter()
        self.query_one(FilterLine).close()
        self.rows.focus()

    def _clear_filter(self) -> None:
        self.filter_text = ""
        self.query_one(FilterLine).close()

    def _selected_key(self) -> str | None:
        node = self.rows.selected
        return node.key if node is not None else self.navigator.recall()

    @property
    def selected(self) -> Node | None:
        return self.rows.selected

    @property
    def kind(self) -> Kind:
        return child_kind(self.navigator.path)
