"""The ``i`` panel: details of one node, loaded in a worker when the panel opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from textual import events, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tokentree.model.charset import Charset, for_charset
from tokentree.ui import bindings
from tokentree.ui.ascii import for_terminal, use_ascii_scrollbars
from tokentree.ui.cells import crop
from tokentree.ui.messages import InfoLoaded, InsightsLoaded
from tokentree.ui.widgets.info_view import info_renderables

if TYPE_CHECKING:
    from tokentree.model.tree import Node, NodePath
    from tokentree.service.backend import Backend


CALL_DEPTH = 5
"""Calls (paths of five ids) have no insights."""
NARROW_BELOW = 100
"""Screens narrower than this get the stacked tables and a full-screen panel."""
MAX_WIDTH = 140
TITLE_MARGIN = 6
"""Cells of the top border around its title (cut by us, so the ellipsis can be ASCII)."""


class InfoScreen(ModalScreen[None]):
    """Per-model usage, prices and formula, cache savings, files and dedup of one node."""

    BINDINGS = bindings.PANEL
    DEFAULT_CSS = """
    InfoScreen { align: center middle; }
    InfoScreen > VerticalScroll {
        width: 90%; max-width: 140; height: 90%;  /* MAX_WIDTH */
        border: round $primary; background: $surface; padding: 0 1;
    }
    InfoScreen > VerticalScroll.-narrow { width: 100%; height: 100%; }
    """

    def __init__(
        self, backend: Backend, node: Node, path: NodePath, *, charset: Charset = "unicode"
    ) -> None:
        super().__init__()
        self.backend = backend
        self.node = node
        self.path = path
        self.charset: Charset = charset
        self.narrow = False
        """Stack the wide tables vertically (a side pane)."""
        self.info: InfoLoaded | None = None
        self.insights: list[dict[str, Any]] | None = None
        """None until computed (they take longer than the rest)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                for_charset(f"Loading details of {self.node.label}…", self.charset), id="info-body"
            )

    def on_mount(self) -> None:
        if self.charset == "ascii":
            use_ascii_scrollbars(self.query_one(VerticalScroll))
        self._load()

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        narrow = width < NARROW_BELOW
        panel = width if narrow else min(width * 9 // 10, MAX_WIDTH)
        title = crop(f"{self.node.kind.value}: {self.node.label}", panel - TITLE_MARGIN)
        self.query_one(VerticalScroll).border_title = for_charset(title, self.charset)
        if narrow != self.narrow:
            self.narrow = narrow
            self.query_one(VerticalScroll).set_class(narrow, "-narrow")
            self._show_details()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="info",
        description="Reading node details.",
    )
    def _load(self) -> None:
        backend = self.backend
        try:
            self.post_message(InfoLoaded(self.path, info=backend.info(self.path)))
        except Exception as error:  # a failed query must not take the app down
            self.post_message(InfoLoaded(self.path, error=f"{type(error).__name__}: {error}"))
            return
        try:
            insights = backend.insights(self.path) if len(self.path) < CALL_DEPTH else []
        except Exception as error:
            insights = [{"severity": "info", "message": f"insights unavailable: {error}"}]
        self.post_message(InsightsLoaded(self.path, insights))

    def on_info_loaded(self, message: InfoLoaded) -> None:
        self.info = message
        self._show_details()

    def on_insights_loaded(self, message: InsightsLoaded) -> None:
        self.insights = message.insights
        self._show_details()

    def _show_details(self) -> None:
        body = self.query_one("#info-body", Static)
        message = self.info
        if message is None:
            return
        if message.info is None:
            body.update(for_charset(f"Could not read the details: {message.error}", self.charset))
            return
        waiting = self.insights is None
        insights = self.node.extra.get("insights") if waiting else self.insights
        roots = tuple(str(root) for root in self.backend.roots)
        parts = info_renderables(
            self.node, message.info, insights, loading=waiting, roots=roots, narrow=self.narrow
        )
        body.update(for_terminal(Group(*parts), self.charset))

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()

    def action_close(self) -> None:
        self.dismiss(None)
