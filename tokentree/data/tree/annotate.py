"""Activity attribution and insights for the nodes of one export (docs/attribution.md).

Every exported node gets ``"activity"`` (estimated, exact sums); session and turn nodes, and the
rolled-up week, day and root nodes, get ``"insights"``. Computed once per export for each level
in one query each; calls take their activity from their own rows (see ``UsageStore``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokentree.data.activity.query import activity_for_level, ensure_activity
from tokentree.data.store.store import DEPTH_TURNS
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.config import Settings
    from tokentree.data.store.store import UsageStore, View
    from tokentree.model.tree import Node

Key = tuple[Any, ...]

ATTRIBUTION = {
    "rule": "tokentree.activity/1",
    "estimated": True,
    "explained": "docs/attribution.md",
}
"""Header entry of an annotated export: the activity split is an estimate by a documented rule."""

INSIGHT_LEVELS = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN)


class Annotator:
    def __init__(
        self,
        store: UsageStore,
        view: View,
        settings: Settings | None,
        kinds: list[Kind],
        scope: tuple[Any, ...],
    ) -> None:
        """The activity and insights of the exported levels, from the derived tables (built,
        brought up to date for what changed, or served by the persisted cache)."""
        from tokentree.data.insights import compute_insights

        rules = settings.activity_rules if settings is not None else None
        levels = tuple(k for k in INSIGHT_LEVELS if k is Kind.ROOT or k in kinds)
        store.build(view, depth=DEPTH_TURNS)
        ensure_activity(store, rules)
        self._activity = {
            kind: activity_for_level(store, kind, scope, rules=rules)
            for kind in (Kind.ROOT, *kinds)
            if kind is not Kind.CALL
        }
        found = compute_insights(
            store, scope, settings=settings, view=view, prices=store.prices, levels=levels
        )
        self._insights = {kind: found.level(kind) for kind in levels}

    def apply(self, kind: Kind, key: tuple[Any, ...], node: Node) -> None:
        """Add ``activity`` and ``insights`` to an exported node (calls carry their own)."""
        if kind is not Kind.CALL:
            node.extra["activity"] = self._activity.get(kind, {}).get(key, {})
        if kind in INSIGHT_LEVELS:
            node.extra["insights"] = self._insights.get(kind, {}).get(key, [])

    def root(self) -> dict[str, Any]:
        return {
            "attribution": ATTRIBUTION,
            "activity": self._activity[Kind.ROOT].get((), {}),
            "insights": self._insights.get(Kind.ROOT, {}).get((), []),
        }
