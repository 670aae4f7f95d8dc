"""The line above the footer: the view settings (measure, sort, graph, filter); a notice from
start-up (skipped lines, theme problems) until the user changes the view; or, while a read is
in progress, a progress bar with files and bytes. One line at any width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tokentree.model import format as fmt
from tokentree.model.charset import Charset, for_charset
from tokentree.model.listing import GraphMode, Listing
from tokentree.ui.cells import crop

OLDER_LABEL = "reading older history… "
"""Names the progress of the older files' read, after a split cold start's first frame."""


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


def view_summary(
    listing: Listing, graph: GraphMode, rows: int, total_rows: int, width: int | None = None
) -> str:
    """``measure tokens · sort tokens ▼ · graph both · 12 rows`` (+ the filter when set).

    Within ``width`` cells the graph mode goes first, then the sort (both are visible on
    screen anyway: the columns shown, the arrow in the column titles).
    """
    parts = [
        f"measure {listing.measure.label}",
        f"sort {listing.sort.key.value.replace('_', ' ')} {listing.sort.arrow}",
        f"graph {graph.value}",
    ]
    if listing.filter_text:
        parts.append(f'filter "{listing.filter_text}" {rows}/{total_rows}')
    else:
        parts.append(fmt.plural(rows, "row"))
    text = " · ".join(parts)
    for drop in (2, 1):
        if width is None or cell_len(text) <= width:
            break
        del parts[drop]
        text = " · ".join(parts)
    return text


@dataclass(frozen=True, slots=True)
class Progress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    label: str = ""
    """What is being read, before the counts ("" for a plain read)."""

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.bytes_total if self.bytes_total > 0 else 0.0

    def counts(self, width: int) -> str:
        """``12/85 files · 1.2 MB / 2.3 MB``, the bytes left out when narrow."""
        files = f"{self.label}{self.files_done:,}/{self.files_total:,} files"
        if width < 60:
            return files
        return f"{files} · {human_bytes(self.bytes_done)} / {human_bytes(self.bytes_total)}"


class StatusLine(Widget):
    """View settings, a start-up notice, or load progress."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-line--notice",
        "status-line--bar",
        "status-line--bar-empty",
    }
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $count; padding: 0 1; }
    StatusLine > .status-line--notice { color: $warning; }
    StatusLine > .status-line--bar { color: $bar-fill; background: $bar-empty; }
    StatusLine > .status-line--bar-empty { background: $bar-empty; }
    """

    def __init__(
        self, *, bar_style: str = "unicode", charset: Charset = "unicode", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.bar_style = bar_style
        self.charset: Charset = charset
        self._summary: Callable[[int | None], str] = lambda _width: ""
        """The view summary for a width (None: in full)."""
        self._notice = ""
        self._loading: str | None = None
        self._progress: Progress | None = None
        self._label = ""

    # ------------------------------------------------------------------ state

    @property
    def text(self) -> str:
        """The view summary in full (shown, shortened to fit, whenever nothing more urgent
        is)."""
        return self._summary(None)

    def set_text(self, text: str) -> None:
        """A fixed summary."""
        self._summary = lambda _width: text
        self.refresh(layout=False)

    def set_view(self, listing: Listing, graph: GraphMode, rows: int, total_rows: int) -> None:
        """Summarise the view settings (see :func:`view_summary`)."""
        self._summary = partial(view_summary, listing, graph, rows, total_rows)
        self.refresh(layout=False)

    @property
    def notice(self) -> str:
        return self._notice

    def set_notice(self, notice: str) -> None:
        """Show ``notice`` instead of the view summary ("" clears it)."""
        if notice != self._notice:
            self._notice = notice
            self.refresh(layout=False)

    @property
    def loading(self) -> bool:
        return self._loading is not None or self._progress is not None

    def start_loading(self, text: str) -> None:
        """A read started: say so until its first progress report."""
        self._loading, self._progress = text, None
        self.refresh(layout=False)

    def set_progress(
        self, files_done: int, files_total: int, bytes_done: int, bytes_total: int
    ) -> None:
        """Show (or update) the progress bar; bytes drive the bar, files are counted too."""
        self._progress = Progress(files_done, files_total, bytes_done, bytes_total, self._label)
        self.refresh(layout=False)

    def set_progress_label(self, label: str) -> None:
        """Name what the next progress reports count ("" for a plain read)."""
        self._label = label

    def stop_loading(self) -> None:
        if self.loading:
            self._loading = self._progress = None
            self.refresh(layout=False)

    # ------------------------------------------------------------------ rendering

    def render(self) -> Text:
        width = self.content_region.width
        if self._progress is not None:
            line = self._progress_line(self._progress, width)
        elif self._loading is not None:
            line = Text(crop(self._loading, width))
        elif self._notice:
            style = self.get_component_rich_style("status-line--notice")
            line = Text(crop(f"! {self._notice}", width), style=style)
        else:
            line = Text(crop(self._summary(width), width))
        if self.charset == "ascii":
            line.plain = for_charset(line.plain, "ascii")
        line.no_wrap, line.end = True, ""
        return line

    def _progress_line(self, progress: Progress, width: int) -> Text:
        """``[bar] 42% 12/85 files · 1.2 MB / 2.3 MB`` fitted into ``width``."""
        percent = f" {round(progress.fraction * 100):3d}% "
        counts = progress.counts(width)
        bar_width = max(4, min(24, width - cell_len(percent) - cell_len(counts)))
        filled = fmt.bar(progress.fraction, bar_width, self.bar_style)
        line = Text(no_wrap=True, end="")
        line.append(filled, style=self.get_component_rich_style("status-line--bar"))
        line.append(
            " " * (bar_width - cell_len(filled)),
            style=self.get_component_rich_style("status-line--bar-empty"),
        )
        line.append(crop(percent + counts, max(width - bar_width, 0)))
        return line
