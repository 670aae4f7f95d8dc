"""The main screen: one level of the tree at a time, like ncdu.

State lives here as plain model objects (:class:`Navigator`, :class:`LevelCache`, the sort,
measure, graph mode and filter); widgets are told what to show ("attributes down") and report
what the user did ("messages up"). Reading a level is a thread worker that posts
:class:`LevelLoaded`; results for a level the user has already left are dropped.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from tokentree.model import format as fmt
from tokentree.model.listing import GraphMode, Measure, SortKey, SortSpec, build_listing
from tokentree.model.navigation import LevelCache, Navigator, can_open, child_kind
from tokentree.model.tree import Kind, Node, NodePath
from tokentree.model.usage import sum_totals
from tokentree.ui import bindings
from tokentree.ui.messages import ActivityLoaded, ExportFinished, LevelLoaded
from tokentree.ui.widgets.filter_bar import FilterBar
from tokentree.ui.widgets.header import ColumnHeader, HeaderState, LevelHeader
from tokentree.ui.widgets.status import StatusLine, view_summary
from tokentree.ui.widgets.usage_list import UsageList

if TYPE_CHECKING:
    from tokentree.data.discovery import SourceRoot
    from tokentree.data.ingest import IngestReport
    from tokentree.data.store import View
    from tokentree.ui.app import TokenTreeApp


def empty_message(roots: list[SourceRoot], report: IngestReport | None) -> str:
    """What to say when no logs were found: where we looked, and the demo offer."""
    missing = set(report.missing_roots) if report else set()
    looked = (
        "\n".join(
            f"  {root.source.label}: {root.path}  "
            f"({'missing' if root in missing else 'no usage logs'})"
            for root in roots
        )
        or "  (nowhere)"
    )
    return (
        "No usage logs found.\n\n"
        f"tokentree looked in:\n{looked}\n\n"
        "Point it at your logs with --root PATH (or CLAUDE_CONFIG_DIR, CODEX_HOME …), "
        "or press d to explore the embedded demo data."
    )


def nothing_in_range(view: View) -> str:
    """What to say when transcripts exist but no call falls in the chosen dates."""
    since = view.since.isoformat() if view.since else "the beginning"
    until = view.until.isoformat() if view.until else "today"
    return f"No usage from {since} to {until} ({view.tz}). Try other --since/--until dates."


FOOTER_PALETTE_WIDTH = 100


class BrowserScreen(Screen[None]):
    """Breadcrumb and totals, column titles, the rows, view settings, keys."""

    BINDINGS = bindings.BROWSER
    AUTO_FOCUS = "UsageList"

    def __init__(self, bar_style: str = "unicode") -> None:
        super().__init__()
        self.navigator = Navigator()
        self.levels = LevelCache(capacity=8)
        self.sort = SortSpec()
        self.measure = Measure.TOTAL
        self.graph = GraphMode.BOTH
        self.filter_text = ""
        self.version = -1
        """The data version the shown level was read at (-1: nothing loaded yet)."""
        self.loaded: list[Node] | None = None
        self.empty = False
        self.data_range = ""
        self.live = "off"
        self.bar_style = bar_style
        self._footer_state: tuple[bool, ...] = ()

    @property
    def tokentree(self) -> TokenTreeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        rows = UsageList(bar_style=self.bar_style, id="rows")
        yield LevelHeader(id="header")
        yield ColumnHeader(rows, id="columns")
        yield rows
        yield Static("Loading transcripts…", id="notice")
        yield FilterBar(id="filter")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def rows(self) -> UsageList:
        return self.query_one(UsageList)

    def on_mount(self) -> None:
        self.query_one(StatusLine).start_loading("loading transcripts…")
        self._show_rows(False)

    def _show_rows(self, show: bool) -> None:
        """The list and its column titles, or the notice (loading, no data) in their place."""
        self.rows.display = show
        self.query_one(ColumnHeader).display = show
        self.query_one("#notice", Static).display = not show

    def on_resize(self, event: events.Resize) -> None:
        """Narrow terminals keep the footer for the keys (Ctrl+P is still listed in help)."""
        self.query_one(Footer).show_command_palette = event.size.width >= FOOTER_PALETTE_WIDTH

    # ------------------------------------------------------------------ data in

    def data_changed(self, version: int) -> None:
        """New data: re-read the level on screen (keeping the selection) and its ancestors."""
        self.empty = False
        self.query_one(StatusLine).stop_loading()
        self.levels.clear()
        self.version = version
        self._load(self.navigator.path, version, reload=True)

    def show_empty(self, roots: list[SourceRoot], report: IngestReport | None) -> None:
        """No transcripts at all: say where we looked and offer the demo."""
        self.empty = True
        self.query_one(StatusLine).stop_loading()
        self.query_one(StatusLine).set_text("no data · d: demo · q: quit")
        self.query_one("#notice", Static).update(empty_message(roots, report))
        self._show_rows(False)
        self._refresh_footer()

    def reset(self) -> None:
        """Forget everything (another data set is being loaded)."""
        self.navigator = Navigator()
        self.levels.clear()
        self.loaded = None
        self.version = -1
        self.empty = False
        self.query_one("#notice", Static).update("Loading…")
        self._show_rows(False)
        self.query_one(StatusLine).start_loading("loading…")
        self._refresh_footer()

    def _load(self, path: NodePath, version: int, *, reload: bool = False) -> None:
        cached = None if reload else self.levels.get(path, version)
        if cached is not None:
            self._show_level(path, version, cached)
            return
        self._read_level(path, version, reload)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="level",
        description="Reading a level.",
    )
    def _read_level(self, path: NodePath, version: int, with_path: bool) -> None:
        backend = self.tokentree.backend
        path_nodes = backend.path_nodes(path) if with_path and path else None
        if path_nodes is not None and len(path_nodes) < len(path):
            path = path[: len(path_nodes)]  # the level vanished: show the deepest that exists
        self.post_message(LevelLoaded(path, version, backend.children(path), path_nodes))

    def on_level_loaded(self, message: LevelLoaded) -> None:
        self.levels.put(message.path, message.version, message.children)
        # Loaded nodes live until evicted and hold no reference cycles (refcounting frees
        # them): keep them out of the cyclic collector, whose full passes over 10k-row levels
        # would otherwise pause key handling now and then. Collecting first means no cyclic
        # garbage is frozen with them (it only scans what was created since the last freeze).
        gc.collect()
        gc.freeze()
        if message.path_nodes is not None:
            if message.path != self.navigator.path[: len(message.path)]:
                return
            self.navigator.goto(message.path_nodes)
        elif message.path != self.navigator.path:
            return  # the user moved on
        self._show_level(message.path, message.version, message.children)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="activity",
        description="Estimating activity.",
    )
    def _read_activity(self, path: NodePath, version: int) -> None:
        try:
            activity = self.tokentree.backend.activity(path)
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
        if message.path == self.navigator.path and nodes is self.loaded:
            self._display(self._selected_key())

    def _show_level(self, path: NodePath, version: int, children: list[Node]) -> None:
        if children and "activity" not in children[0].extra:
            self._read_activity(path, version)
        self.version = version
        self.loaded = children
        if not path:
            starts = [n.start for n in children if n.start]
            ends = [n.end for n in children if n.end]
            self.data_range = fmt.date_range(min(starts, default=None), max(ends, default=None))
        if not path and not children:
            self.query_one("#notice", Static).update(nothing_in_range(self.tokentree.backend.view))
            self._show_rows(False)
        elif not self.rows.display:
            self._show_rows(True)
        self._display(self.navigator.recall())
        self._refresh_footer()

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
        self.rows.show(listing, kind=kind, graph=self.graph, select=select, activity=activity)
        self.query_one(ColumnHeader).refresh()
        self._update_header()
        self._update_status()

    def _update_header(self) -> None:
        current = self.navigator.current
        children = self.loaded or []
        backend = self.tokentree.backend
        self.query_one(LevelHeader).update(
            HeaderState(
                nodes=self.navigator.nodes,
                totals=current.totals if current else sum_totals([n.totals for n in children]),
                children=len(children),
                child_kind=child_kind(self.navigator.path),
                zone=backend.view.tz if self.version >= 0 else "",
                data_range=self.data_range,
                live=self.live,
            )
        )

    def _update_status(self) -> None:
        rows = self.rows
        total = len(self.loaded or [])
        self.query_one(StatusLine).set_text(
            view_summary(rows.listing, self.graph, len(rows.listing), total)
        )

    def set_live(self, state: str) -> None:
        self.live = state
        if self.version >= 0:
            self._update_header()

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
        self.navigator.ascend()
        self._clear_filter()
        self._load(self.navigator.path, self.version)
        self._refresh_footer()

    def action_sort(self, key: str) -> None:
        self.sort = self.sort.toggle(SortKey(key))
        self._display(self._selected_key())

    def action_cycle_measure(self) -> None:
        self.measure = self.measure.next()
        self._display(self._selected_key())

    def action_cycle_graph(self) -> None:
        self.graph = self.graph.next()
        self._display(self._selected_key())

    def action_info(self) -> None:
        node = self.rows.selected
        if node is not None:
            from tokentree.ui.screens.info import InfoScreen  # not needed for the first frame

            path = (*self.navigator.path, node.id)
            self.app.push_screen(InfoScreen(self.tokentree.backend, node, path))

    def action_filter(self) -> None:
        self.query_one(FilterBar).open(self.filter_text)

    def action_clear_filter(self) -> None:
        self._clear_filter()
        self._display(self._selected_key())

    def action_export(self) -> None:
        node = self.rows.selected
        if node is not None:
            self.notify(f"Exporting {node.kind.value} {node.id}…", timeout=2)
            self._export(node, (*self.navigator.path, node.id))

    def action_reload(self) -> None:
        self.tokentree.request_refresh()

    def action_toggle_live(self) -> None:
        self.tokentree.toggle_live()

    def action_demo(self) -> None:
        self.tokentree.load_demo()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="export",
        description="Exporting a node.",
    )
    def _export(self, node: Node, path: NodePath) -> None:
        app = self.tokentree
        try:
            target = app.backend.export(node, path, app.export_dir, app.clock())
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
        self.query_one(FilterBar).close()
        self.rows.focus()

    def _clear_filter(self) -> None:
        self.filter_text = ""
        self.query_one(FilterBar).close()

    def _selected_key(self) -> str | None:
        node = self.rows.selected
        return node.key if node is not None else self.navigator.recall()

    @property
    def selected(self) -> Node | None:
        return self.rows.selected

    @property
    def kind(self) -> Kind:
        return child_kind(self.navigator.path)
