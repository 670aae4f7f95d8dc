"""Live mode's middle panel: the current turn's calls as they arrive, newest at the bottom.

Each call shows its time, model, main tool, tokens and cost; what does not fit the pane goes in
this order: the model, then the seconds of the time. When the turn has more calls than there
are lines, the oldest are summarised on the first line.
"""

from __future__ import annotations

from tokentree.model import format as fmt
from tokentree.model.labels import short_model
from tokentree.model.tree import Node
from tokentree.ui.cells import fit
from tokentree.ui.widgets.live_panel import Line, LivePanel, rule

TOKENS = 6
COST = 7
MODEL_FROM = 48
"""Panes at least this wide show each call's model."""


def main_tool(node: Node) -> str:
    """The call's first tool, with how many other distinct tools it used (``Edit +2``)."""
    tools = list(dict.fromkeys(node.extra.get("tools") or []))
    if not tools:
        return "text"
    more = f" +{len(tools) - 1}" if len(tools) > 1 else ""
    return f"{tools[0]}{more}"


def call_line(node: Node, width: int) -> Line:
    """One call in ``width`` cells."""
    seconds = width >= 44
    when = f"{node.start:%H:%M:%S}" if node.start and seconds else f"{node.start:%H:%M}"
    model = short_model(node.extra.get("model")) if width >= MODEL_FROM else ""
    model_width = min(max(len(model), 8), 14) if model else 0
    fixed = len(when) + 1 + (model_width + 1 if model else 0) + 1 + TOKENS + 1 + COST
    tool = main_tool(node)
    if node.extra.get("sidechain"):
        tool = f"↳{tool}"
    tool = fit(tool, max(width - fixed, 4))
    totals = node.totals
    cost = fmt.cost(totals)
    line: Line = [(when, "dim"), (" ", "")]
    if model:
        line += [(fit(model, model_width), "dim"), (" ", "")]
    line += [
        (tool, ""),
        (" ", ""),
        (fit(fmt.human_count(totals.total), TOKENS, right=True), "tokens"),
        (" ", ""),
        (fit(cost, COST, right=True), "unpriced" if totals.unpriced_calls else "cost"),
    ]
    return line


class TurnCalls(LivePanel):
    """The calls of the followed session's current turn."""

    DEFAULT_CSS = "TurnCalls { height: 1fr; }"

    title: str = "turn"
    calls: tuple[Node, ...] = ()
    earlier: int = 0
    """The turn's calls before :attr:`calls` (not read)."""

    def show(self, title: str, calls: tuple[Node, ...], earlier: int = 0) -> None:
        self.title, self.calls, self.earlier = title, calls, earlier
        self.refresh()

    def build(self, width: int, height: int) -> list[Line]:
        lines = [rule(self.title, width)]
        room = max(height - 1, 0) if height else len(self.calls)
        calls = self.calls
        if self.earlier + len(calls) > room:
            calls = calls[max(len(calls) - room + 1, 0) :] if room > 1 else ()
            hidden = self.earlier + len(self.calls) - len(calls)
            lines.append([(f"… {fmt.plural(hidden, 'earlier call')}", "dim")])
        lines.extend(call_line(node, width) for node in calls)
        return lines
