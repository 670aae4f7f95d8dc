"""Live mode's top panel: the followed session, its totals, cache hit and activity mix."""

from __future__ import annotations

from tokentree.model import format as fmt
from tokentree.model.labels import short_model, snippet
from tokentree.service.follow import SessionView
from tokentree.ui.cells import crop
from tokentree.ui.themes import ACTIVITIES
from tokentree.ui.widgets.live_panel import Line, LivePanel, first_fitting, joined, right_aligned

LIVE_MARKERS = {"on": "●", "polling": "●", "paused": "‖"}
SHORT_ACTIVITY = {
    "reading": "read",
    "editing": "edit",
    "executing": "exec",
    "git": "git",
    "testing": "test",
    "searching": "search",
    "planning": "plan",
    "delegating": "agents",
    "mcp": "mcp",
    "conversation": "chat",
    "context": "context",
    "other": "other",
}
"""Activity names short enough for a narrow pane (docs/attribution.md has the long ones)."""


class SessionPanel(LivePanel):
    """Which session is followed and what it cost so far."""

    DEFAULT_CSS = "SessionPanel { background: $panel; }"

    view: SessionView | None = None
    claude_cost: float | None = None
    """Claude Code's own cost of the session (from its status-line hook), when known."""
    live: str = "off"
    waiting: str = "Waiting for a session…"

    def show(
        self, view: SessionView | None, claude_cost: float | None, live: str, waiting: str = ""
    ) -> None:
        self.view, self.claude_cost, self.live = view, claude_cost, live
        self.waiting = waiting or self.waiting
        self.refresh(layout=True)

    def build(self, width: int, height: int) -> list[Line]:
        marker = LIVE_MARKERS.get(self.live, "")
        live: Line = [(marker, "paused" if self.live == "paused" else "live")] if marker else []
        view = self.view
        if view is None:
            return [right_aligned([(self.waiting, "dim")], live, width)]
        title = view.project
        if view.first_prompt:
            title += f' · "{snippet(view.first_prompt, 60)}"'
        title = crop(title, width - 2 if live else width)
        lines = [right_aligned([(title, "title")], live, width)]
        span = ""
        if view.start and view.end:
            span = f"{view.start:%H:%M}–{view.end:%H:%M}"
        models = ", ".join(short_model(m) for m in view.models)
        meta = " · ".join(part for part in (view.marker, span, models, view.id[:8]) if part)
        lines.append([(meta, "dim")])
        totals = view.totals
        groups: list[Line] = [
            [(fmt.tokens(totals.total), "tokens")],
            [(fmt.cost(totals), "unpriced" if totals.unpriced_calls else "cost")],
            [(f"hit {fmt.ratio(totals.cache_hit)}", "hit")],
        ]
        if self.claude_cost is not None:
            groups.append([(f"cc {fmt.usd(self.claude_cost)}", "dim")])
        groups.append([(fmt.plural(totals.calls, "call"), "dim")])
        lines.append(joined(groups, width))
        lines.append(self._mix(view, width))
        return lines

    def _mix(self, view: SessionView, width: int) -> Line:
        """A stacked bar of the estimated activity and the three largest parts."""
        activity = view.activity
        parts = [(name, float(activity.get(name, {}).get("tokens", 0))) for name in ACTIVITIES]
        total = sum(value for _, value in parts)
        if total <= 0:
            return [("activity …", "dim")]
        bar_width = max(6, min(16, width // 4))
        bar: Line = [
            ("█" * cells, f"activity-{name}") for name, cells in fmt.stacked(parts, bar_width)
        ]
        top = sorted((p for p in parts if p[1] > 0), key=lambda p: -p[1])[:3]
        words = [
            [(f"{SHORT_ACTIVITY[name]} {fmt.ratio(value / total)}", f"activity-{name}")]
            for name, value in top
        ]
        candidates = [
            [*bar, (" ", ""), *joined(words, width - bar_width - 1, " ")],
            bar,
        ]
        return first_fitting(candidates, width)
