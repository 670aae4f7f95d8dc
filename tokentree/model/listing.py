"""One level of the tree as the explorer lists it (ncdu's ``dirlist``): filtered, sorted,
with each row's share of the parent and its scale against the largest sibling.

Sorting follows ncdu's toggle rule: choosing another column applies that column's natural
order (largest first for quantities, oldest first for time); choosing the same column again
reverses it. Ties keep the tree's chronological order (Python's sort is stable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tokentree.model.tree import Node
from tokentree.model.usage import Totals, sum_totals


class Measure(StrEnum):
    """The quantity the bars, percentages and the tokens column measure (``a`` cycles)."""

    TOTAL = "total"
    COST = "cost"
    OUTPUT = "output"
    INPUT = "input"

    @property
    def label(self) -> str:
        return _MEASURE_LABELS[self]

    @property
    def is_money(self) -> bool:
        """The measured quantity is a cost (shown as money, not a count)."""
        return self is Measure.COST

    def next(self) -> Measure:
        members = list(Measure)
        return members[(members.index(self) + 1) % len(members)]


_MEASURE_LABELS = {
    Measure.TOTAL: "tokens",
    Measure.COST: "cost",
    Measure.OUTPUT: "output",
    Measure.INPUT: "uncached input",
}


class GraphMode(StrEnum):
    """What the graph columns show (``g`` cycles, as in ncdu)."""

    BAR = "bar"
    PERCENT = "percent"
    BOTH = "both"
    NONE = "none"

    @property
    def shows_bar(self) -> bool:
        return self in (GraphMode.BAR, GraphMode.BOTH)

    @property
    def shows_percent(self) -> bool:
        return self in (GraphMode.PERCENT, GraphMode.BOTH)

    def next(self) -> GraphMode:
        members = list(GraphMode)
        return members[(members.index(self) + 1) % len(members)]


class SortKey(StrEnum):
    """Sortable columns."""

    TOKENS = "tokens"
    """The size column: whatever is measured (tokens, cost, output or uncached input), as
    ncdu's size follows its ``a`` toggle; the name is the default measure's."""
    COST = "cost"
    TIME = "time"
    CHILDREN = "children"
    CACHE_HIT = "cache_hit"

    @property
    def natural_descending(self) -> bool:
        """The order a first press applies: largest first, except time (oldest first)."""
        return self is not SortKey.TIME


@dataclass(frozen=True, slots=True)
class SortSpec:
    key: SortKey = SortKey.TOKENS
    descending: bool = True

    def toggle(self, key: SortKey) -> SortSpec:
        """ncdu's rule: the same column flips the order, another one starts in its natural one."""
        if key is self.key:
            return SortSpec(key, not self.descending)
        return SortSpec(key, key.natural_descending)

    @property
    def arrow(self) -> str:
        return "▼" if self.descending else "▲"


@dataclass(frozen=True, slots=True)
class ViewSettings:
    """How the explorer lists every level (remembered between runs)."""

    sort: SortSpec = field(default_factory=SortSpec)
    measure: Measure = Measure.TOTAL
    graph: GraphMode = GraphMode.BOTH


def sort_value(key: SortKey, measure: Measure) -> Callable[[Node], float]:
    """The function sorting by ``key`` uses (the size column follows the measured quantity,
    so bars are always in order when sorted by size)."""
    if key is SortKey.TOKENS:
        metric = measure.value
        return lambda node: node.totals.metric(metric)
    if key is SortKey.COST:
        return lambda node: node.totals.cost_pusd
    if key is SortKey.CHILDREN:
        return lambda node: node.child_count
    if key is SortKey.CACHE_HIT:
        return lambda node: node.totals.cache_hit
    return lambda node: node.start.timestamp() if node.start else float("-inf")


def matches(node: Node, needle: str) -> bool:
    """Case-insensitive substring match on the label or the id."""
    return needle in node.label.casefold() or needle in node.id.casefold()


@dataclass(frozen=True, slots=True)
class Listing:
    """The rows of one level as shown, plus what scales them."""

    rows: tuple[Node, ...] = ()
    measure: Measure = Measure.TOTAL
    sort: SortSpec = field(default_factory=SortSpec)
    filter_text: str = ""
    total: float = 0.0
    """The parent's measured value (percentages are shares of it)."""
    largest: float = 0.0
    """The largest sibling's measured value (bars are scaled to it), filtered or not."""
    hidden: int = 0
    """Rows the filter hides."""
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def value(self, node: Node) -> float:
        return node.totals.metric(self.measure.value)

    def share(self, node: Node) -> float:
        """The node's fraction of the parent (0 when the parent is empty)."""
        return self.value(node) / self.total if self.total > 0 else 0.0

    def scale(self, node: Node) -> float:
        """The node's fraction of the largest sibling (bar length)."""
        return self.value(node) / self.largest if self.largest > 0 else 0.0

    def index_of(self, key: str | None) -> int | None:
        """The row index of the node with this key, or None."""
        if key is None:
            return None
        if not self._index and self.rows:
            for position, node in enumerate(self.rows):
                self._index.setdefault(node.key, position)
        return self._index.get(key)

    def __len__(self) -> int:
        return len(self.rows)


def build_listing(
    nodes: Sequence[Node],
    *,
    parent: Totals | None = None,
    measure: Measure = Measure.TOTAL,
    sort: SortSpec | None = None,
    filter_text: str = "",
) -> Listing:
    """Filter, sort and scale the children of one node.

    ``parent`` is the parent's totals (None: the sum of ``nodes``, as at the root).
    """
    sort = sort or SortSpec()
    parent_totals = parent if parent is not None else sum_totals([n.totals for n in nodes])
    total = parent_totals.metric(measure.value)
    largest = max((node.totals.metric(measure.value) for node in nodes), default=0.0)
    needle = filter_text.strip().casefold()
    shown = [node for node in nodes if matches(node, needle)] if needle else list(nodes)
    shown.sort(key=sort_value(sort.key, measure), reverse=sort.descending)
    return Listing(
        rows=tuple(shown),
        measure=measure,
        sort=sort,
        filter_text=filter_text,
        total=float(total),
        largest=float(largest),
        hidden=len(nodes) - len(shown),
    )
