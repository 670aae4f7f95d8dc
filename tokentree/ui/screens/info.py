"""The ``i`` panel: details of one node, loaded in a worker when the panel opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tokentree.ui import bindings
from tokentree.ui.messages import InfoLoaded
from tokentree.ui.widgets.info_view import info_renderables

if TYPE_CHECKING:
    from tokentree.model.tree import Node, NodePath
    from tokentree.ui.backend import Backend


class InfoScreen(ModalScreen[None]):
    """Per-model usage, prices and formula, cache savings, files and dedup of one node."""

    BINDINGS = bindings.PANEL
    DEFAULT_CSS = """
    InfoScreen { align: center middle; }
    InfoScreen > VerticalScroll {
        width: 90%; max-width: 140; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, backend: Backend, node: Node, path: NodePath) -> None:
        super().__init__()
        self.backend = backend
        self.node = node
        self.path = path
        self.info: InfoLoaded | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = f"{self.node.kind.value}: {self.node.label}"
            yield Static(f"Loading details of {self.node.label}…", id="info-body")

    def on_mount(self) -> None:
        self._load()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="info",
        description="Reading node details.",
    )
    def _load(self) -> None:
        try:
            self.post_message(InfoLoaded(self.path, info=self.backend.info(self.path)))
        except Exception as error:  # a failed query must not take the app down
            self.post_message(InfoLoaded(self.path, error=f"{type(error).__name__}: {error}"))

    def on_info_loaded(self, message: InfoLoaded) -> None:
        self.info = message
        body = self.query_one("#info-body", Static)
        if message.info is None:
            body.update(f"Could not read the details: {message.error}")
        else:
            body.update(Group(*info_renderables(self.node, message.info)))

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()

    def action_close(self) -> None:
        self.dismiss(None)
