"""The list of one level's rows: a Line-API ``ScrollView`` (only visible rows are rendered).

A level can have tens of thousands of rows, so rows are never widgets: ``render_line`` draws
row ``scroll_y + y`` from the current :class:`~tokentree.model.listing.Listing` and caches the
strip. Moving the cursor repaints two lines. The list owns no data access; it posts
:class:`UsageList.Highlighted` and :class:`UsageList.Opened` and is told what to show.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tokentree.model.charset import Charset, for_charset, to_ascii
from tokentree.model.listing import GraphMode, Listing
from tokentree.model.navigation import Bounded
from tokentree.model.tree import Kind, Node
from tokentree.ui import bindings
from tokentree.ui.themes import ACTIVITIES
from tokentree.ui.widgets.columns import Layout, RowStyles, layout, row_segments

STRIP_CACHE = 512


class UsageList(ScrollView, can_focus=True, inherit_bindings=False):
    """The rows of the current level, with a cursor."""

    BINDINGS = bindings.LIST

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "usage-list--cursor",
        "usage-list--bar",
        "usage-list--bar-empty",
        "usage-list--percent",
        "usage-list--tokens",
        "usage-list--cost",
        "usage-list--unpriced",
        "usage-list--hit",
        "usage-list--count",
        "usage-list--source",
        *(f"usage-list--activity-{name}" for name in ACTIVITIES),
    }

    DEFAULT_CSS = """
    UsageList {
        background: $background;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        height: 1fr;
    }
    UsageList > .usage-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    UsageList:blur > .usage-list--cursor {
        background: $block-cursor-blurred-background;
        color: $foreground;
        text-style: none;
    }
    UsageList > .usage-list--bar { color: $bar-fill; background: $bar-empty; }
    UsageList > .usage-list--bar-empty { background: $bar-empty; }
    UsageList > .usage-list--percent { color: $percent; }
    UsageList > .usage-list--tokens { color: $tokens; }
    UsageList > .usage-list--cost { color: $cost; }
    UsageList > .usage-list--unpriced { color: $unpriced; }
    UsageList > .usage-list--hit { color: $cache-hit; }
    UsageList > .usage-list--count { color: $count; }
    UsageList > .usage-list--source { color: $source; text-style: bold; }
    """ + "\n".join(
        f"UsageList > .usage-list--activity-{n} {{ color: $activity-{n}; }}" for n in ACTIVITIES
    )

    class Highlighted(Message):
        """The cursor moved to ``node`` (None: the level is empty)."""

        def __init__(self, node: Node | None) -> None:
            self.node = node
            super().__init__()

    class Opened(Message):
        """The user opened ``node`` (Enter, →, double click)."""

        def __init__(self, node: Node) -> None:
            self.node = node
            super().__init__()

    def __init__(
        self, *, bar_style: str = "unicode", charset: Charset = "unicode", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.listing = Listing()
        self.kind = Kind.WEEK
        self.graph = GraphMode.BOTH
        self.bar_style = bar_style
        self.charset: Charset = charset
        self.cursor = 0
        self.show_activity = False
        self.empty_text = ""
        """Shown on the first line when there are no rows (the filter hides them all)."""
        self._layout: Layout | None = None
        self._styles: RowStyles | None = None
        self._strips: Bounded[Strip] = Bounded(STRIP_CACHE)

    # ------------------------------------------------------------------ state (attributes down)

    @property
    def selected(self) -> Node | None:
        rows = self.listing.rows
        return rows[self.cursor] if 0 <= self.cursor < len(rows) else None

    def show(
        self,
        listing: Listing,
        *,
        kind: Kind,
        graph: GraphMode,
        select: str | None = None,
        activity: bool = False,
        empty_text: str = "",
    ) -> None:
        """Display ``listing``; the cursor goes to the row keyed ``select`` (else row 0);
        ``empty_text`` fills the first line when the listing has no rows."""
        self.listing, self.kind, self.graph, self.show_activity = listing, kind, graph, activity
        self.empty_text = empty_text
        self._layout = None
        self._strips.clear()
        size = Size(self.size.width, len(listing))
        if size != self.virtual_size:
            self.virtual_size = size
        index = listing.index_of(select)
        self._move(index if index is not None else 0, force=True, center=True)
        self.refresh()

    @property
    def row_layout(self) -> Layout:
        width = self.scrollable_content_region.width or self.size.width
        if self._layout is None or self._layout.width != width:
            self._layout = layout(
                width,
                graph=self.graph,
                activity=self.show_activity,
                kind=self.kind,
                measure=self.listing.measure,
            )
            self._strips.clear()
        return self._layout

    # ------------------------------------------------------------------ rendering

    def _row_styles(self) -> RowStyles:
        if self._styles is None:
            get = self.get_component_rich_style
            self._styles = RowStyles(
                base=Style.from_color(self.rich_style.color, self.rich_style.bgcolor),
                cursor=get("usage-list--cursor"),
                bar=get("usage-list--bar"),
                bar_empty=get("usage-list--bar-empty"),
                percent=get("usage-list--percent"),
                tokens=get("usage-list--tokens"),
                cost=get("usage-list--cost"),
                unpriced=get("usage-list--unpriced"),
                hit=get("usage-list--hit"),
                count=get("usage-list--count"),
                source=get("usage-list--source"),
                activity={n: get(f"usage-list--activity-{n}") for n in ACTIVITIES},
            )
        return self._styles

    def notify_style_update(self) -> None:
        """The theme or CSS changed: drop cached styles and strips."""
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        columns = self.row_layout
        if not 0 <= index < len(self.listing.rows):
            if index == 0 and self.empty_text:
                return self._empty_line(columns.width)
            return Strip.blank(columns.width, self.rich_style)
        is_cursor = index == self.cursor
        key = (index, is_cursor)
        strip = self._strips.get(key)
        if strip is None:
            segments = row_segments(
                self.listing.rows[index],
                self.listing,
                columns,
                self._row_styles(),
                bar_style=self.bar_style,
                cursor=is_cursor,
            )
            if self.charset == "ascii":
                segments = [Segment(to_ascii(seg.text), seg.style) for seg in segments]
            strip = Strip(segments).crop_extend(0, columns.width, self.rich_style)
            self._strips.put(key, strip)
        return strip

    def _empty_line(self, width: int) -> Strip:
        text = for_charset(f" {self.empty_text}", self.charset)
        style = self.rich_style + self.get_component_rich_style("usage-list--count")
        return Strip([Segment(text, style)]).crop_extend(0, width, self.rich_style)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.listing))
        self._layout = None
        self._strips.clear()
        self._scroll_cursor_into_view()

    # ------------------------------------------------------------------ cursor

    def _move(self, index: int, *, force: bool = False, center: bool = False) -> None:
        count = len(self.listing.rows)
        index = max(0, min(index, count - 1)) if count else 0
        if index == self.cursor and not force:
            return
        previous, self.cursor = self.cursor, index
        self.refresh_line(previous)
        self.refresh_line(index)
        self._scroll_cursor_into_view(center=center)
        self.post_message(self.Highlighted(self.selected))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if center and not top <= self.cursor < top + height:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._page())

    def action_page_down(self) -> None:
        self._move(self.cursor + self._page())

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.listing.rows) - 1)

    def action_open(self) -> None:
        node = self.selected
        if node is not None:
            self.post_message(self.Opened(node))

    # ------------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < len(self.listing.rows):
            self._move(index)
            if event.chain >= 2:
                self.action_open()
