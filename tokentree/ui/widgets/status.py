"""The line above the footer: view settings (measure, sort, graph, filter) or, while the
transcripts load, a progress bar with files and bytes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tokentree.model import format as fmt
from tokentree.model.listing import GraphMode, Listing


def human_bytes(count: int) -> str:
    """``512 B``, ``12.3 kB``, ``340 MB``, ``1.0 GB`` (decimal units, like file managers)."""
    units = ("B", "kB", "MB", "GB", "TB")
    value, index = float(count), 0
    while value >= 999.5 and index < len(units) - 1:
        value /= 1000
        index += 1
    if index == 0:
        return f"{count} B"
    return f"{value:.1f} {units[index]}" if value < 99.95 else f"{value:.0f} {units[index]}"


def view_summary(listing: Listing, graph: GraphMode, rows: int, total_rows: int) -> str:
    """``measure tokens · sort tokens ▼ · graph both · 12 rows`` (+ the filter when set)."""
    parts = [
        f"measure {listing.measure.label}",
        f"sort {listing.sort.key.value.replace('_', ' ')} {listing.sort.arrow}",
        f"graph {graph.value}",
    ]
    if listing.filter_text:
        parts.append(f'filter "{listing.filter_text}" {rows}/{total_rows}')
    else:
        parts.append(fmt.plural(rows, "row"))
    return " · ".join(parts)


class StatusLine(Horizontal):
    """View settings, or load progress while loading."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $count; padding: 0 1; }
    StatusLine > #status-text { width: 1fr; }
    StatusLine > ProgressBar { width: auto; display: none; }
    StatusLine > #progress-text { width: auto; display: none; padding-left: 1; }
    StatusLine.-loading > ProgressBar { display: block; }
    StatusLine.-loading > #progress-text { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="status-text")
        yield ProgressBar(total=None, show_eta=False, show_percentage=True, id="progress")
        yield Label("", id="progress-text")

    def set_text(self, text: str) -> None:
        label = self.query_one("#status-text", Label)
        if str(label.render()) != text:
            label.update(text, layout=False)  # fixed size: no relayout of the screen

    @property
    def text(self) -> str:
        return str(self.query_one("#status-text", Label).render())

    def set_progress(
        self, files_done: int, files_total: int, bytes_done: int, bytes_total: int
    ) -> None:
        """Show (or update) the progress bar; bytes drive the bar, files are listed too."""
        self.add_class("-loading")
        bar = self.query_one(ProgressBar)
        bar.update(total=max(bytes_total, 1), progress=bytes_done)
        self.query_one("#progress-text", Label).update(
            f"{files_done:,}/{files_total:,} files · "
            f"{human_bytes(bytes_done)} / {human_bytes(bytes_total)}"
        )

    def start_loading(self, text: str) -> None:
        self.add_class("-loading")
        self.set_text(text)
        self.query_one(ProgressBar).update(total=None)
        self.query_one("#progress-text", Label).update("")

    def stop_loading(self) -> None:
        self.remove_class("-loading")
