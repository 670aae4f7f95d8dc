"""Activity attribution and insights for the nodes of one export (docs/attribution.md).

Every exported node gets ``"activity"`` (estimated, exact sums); session and turn nodes, and the
rolled-up week, day and root nodes, get ``"insights"``. Computed once per export for each level
in one query each; calls take their activity from their own rows (see ``UsageStore``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from tokentree.data.activity import activity_for_level, activity_is_current, ensure_activity
from tokentree.data.store import DEPTH_TURNS
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.config import Settings
    from tokentree.data.results import ResultCache
    from tokentree.data.store import UsageStore, View
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
        results: tuple[ResultCache, str] | None = None,
        adopt: Callable[[], bool] | None = None,
    ) -> None:
        """``results``: where insights are remembered; ``adopt``: serves a saved activity split
        (used only when the insights are remembered too, as computing them needs more)."""
        rules = settings.activity_rules if settings is not None else None
        levels = tuple(k for k in INSIGHT_LEVELS if k is Kind.ROOT or k in kinds)
        key = _result_key(results, levels, scope)
        cached = results[0].get(key) if results is not None else None
        if not activity_is_current(store, rules) and not (
            cached is not None and adopt is not None and adopt()
        ):
            store.build(view, depth=DEPTH_TURNS)
            ensure_activity(store, rules)
        self._activity = {
            kind: activity_for_level(store, kind, scope, rules=rules)
            for kind in (Kind.ROOT, *kinds)
            if kind is not Kind.CALL
        }
        if cached is not None:
            self._insights = _levels_from_json(cached)
        else:
            store.build(view, depth=DEPTH_TURNS)
            from tokentree.data.insights import compute_insights  # only when not remembered

            found = compute_insights(
                store, scope, settings=settings, view=view, prices=store.prices, levels=levels
            )
            self._insights = {kind: found.level(kind) for kind in levels}
            if results is not None:
                results[0].put(key, _levels_to_json(self._insights))

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


def _result_key(
    results: tuple[ResultCache, str] | None, levels: tuple[Kind, ...], scope: Key
) -> str:
    base = results[1] if results is not None else ""
    text = repr((base, "insights/1", [k.value for k in levels], [str(p) for p in scope]))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _levels_to_json(levels: dict[Kind, dict[Key, list[Any]]]) -> dict[str, Any]:
    return {
        kind.value: [[[str(part) for part in key], insights] for key, insights in nodes.items()]
        for kind, nodes in levels.items()
    }


def _levels_from_json(data: dict[str, Any]) -> dict[Kind, dict[Key, list[Any]]]:
    """Keys back to export form: the day (second part) as a ``date``."""
    return {
        Kind(kind): {
            tuple(date.fromisoformat(p) if i == 1 else p for i, p in enumerate(key)): insights
            for key, insights in entries
        }
        for kind, entries in data.items()
    }
