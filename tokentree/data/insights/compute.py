"""Insights of a scope: :func:`compute_insights` gathers each node's facts (SQL, rolled up to the
levels asked for), applies the insight families and keeps the most valuable ones per node.

Tables are prepared once per data version (and price table); results are memoised per store
until the data changes (docs/attribution.md lists how each insight is computed).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tokentree.data.insights.context import cache_insight, context_insight
from tokentree.data.insights.facts import KINDS, Facts, Key, collect
from tokentree.data.insights.format import Insight, make_insight, usd
from tokentree.data.insights.prepare import prepare
from tokentree.data.insights.usage import (
    TurnActivity,
    costliest_turn,
    expensive_turns,
    model_choice,
    repeated_reads,
    subagents,
)
from tokentree.model import format as model_format
from tokentree.model import labels
from tokentree.model.node_path import path_filters, path_ids
from tokentree.model.tree import Kind
from tokentree.model.usage import PICO

if TYPE_CHECKING:
    from tokentree.config import Settings
    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.store.store import UsageStore, View

TRIVIAL_TOKENS = 10_000
"""Sessions and turns below this many tokens get no cache/context insight."""
TOP_N = 8
"""Insights kept for a day, a week and the range (and at most for a session or turn)."""
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class InsightSet:
    """The insights of every node in a scope, keyed like an export's nodes:
    ``(week, day, session, turn)`` truncated to the level, days as ``date``; root = ``()``."""

    scope: tuple[Any, ...]
    levels: dict[Kind, dict[Key, list[Insight]]]

    @property
    def root(self) -> list[Insight]:
        return self.levels.get(Kind.ROOT, {}).get((), [])

    def level(self, kind: Kind) -> dict[Key, list[Insight]]:
        return self.levels.get(kind, {})

    def for_path(self, path: tuple[Any, ...]) -> list[Insight]:
        """The insights of the node at ``path`` (strings or dates; ``()`` = root)."""
        if len(path) >= len(KINDS):
            return []
        key = path_ids(path)
        return self.levels.get(KINDS[len(path)], {}).get(key, [])


def insights_for_node(
    store: UsageStore,
    path: tuple[Any, ...] = (),
    *,
    settings: Settings | None = None,
    view: View | None = None,
    prices: PriceTable | None = None,
) -> list[Insight]:
    """The insights of one node (``()`` = the whole range; calls have none)."""
    if len(path) >= len(KINDS):
        return []
    scope = path[:3]  # a turn needs its whole session
    found = compute_insights(
        store, scope, settings=settings, view=view, prices=prices, levels=(KINDS[len(path)],)
    )
    return found.for_path(path)


def compute_insights(
    store: UsageStore,
    scope: tuple[Any, ...] = (),
    *,
    settings: Settings | None = None,
    view: View | None = None,
    prices: PriceTable | None = None,
    limit: int = TOP_N,
    levels: Iterable[Kind] | None = None,
) -> InsightSet:
    """Insights of the node at ``scope`` and of every node below it down to turns (or only of
    the ``levels`` asked for: ``levels=(Kind.ROOT,)`` for a range summary).

    Call after ``store.build(view)`` (turn depth). ``settings`` gives the activity rules and
    the plan; ``view`` the period for the subscription insight; ``prices`` the table for the
    model-choice what-if when its model is not in the data (default: bundled prices). Recent
    results are memoised until the data changes: treat them as read-only.
    """
    rules = settings.activity_rules if settings is not None else None
    prepare(store, rules, prices)
    scope = tuple(scope[:3])
    filters = path_filters(scope, every=True)
    params = {k: filters[k] for k in ("week", "day", "session")}
    wanted = frozenset(levels) if levels is not None else None
    plan = (settings.plan_name, settings.plan_monthly_usd) if settings is not None else None
    memo_key = (tuple(params.values()), wanted, limit, plan, view)
    memo = store.derived.memo  # emptied whenever the insight tables change
    if memo_key in memo:
        return memo[memo_key]

    top = KINDS[len(scope)]
    kinds = [k for k in KINDS if k.depth >= top.depth and (wanted is None or k in wanted)]
    with _gc_paused():
        nodes, activity = collect(store, params, kinds)
        context = _Context(store, settings, view, activity, limit, nodes.get(Kind.SESSION, {}))
        found = {
            kind: {key: context.insights(node) for key, node in nodes[kind].items()}
            for kind in kinds
        }
    result = InsightSet(scope, found)
    if len(memo) >= _MEMO_SIZE:
        memo.pop(next(iter(memo)))
    memo[memo_key] = result
    return result


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of acyclic rows and dicts are
    built (its passes over them cost a third of an all-levels run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_MEMO_SIZE = 16
"""Recent results kept per store (``store.derived.memo``, dropped when the data changes;
results are shared: read only)."""


class _Context:
    """What the insights of every node share: the settings, the period and turn activity."""

    def __init__(
        self,
        store: UsageStore,
        settings: Settings | None,
        view: View | None,
        turn_activity: TurnActivity,
        limit: int,
        sessions: Mapping[Key, Facts],
    ) -> None:
        self.store = store
        self.settings = settings
        self.view = view
        self.turn_activity = turn_activity
        self.limit = limit
        self.sessions = sessions
        self._period: tuple[date, date] | None = None

    def insights(self, node: Facts) -> list[Insight]:
        found: list[Insight] = []
        detailed = node.kind in (Kind.SESSION, Kind.TURN)
        tokens = node.tokens
        if tokens > 0 and (tokens >= TRIVIAL_TOKENS or not detailed):
            found.append(context_insight(node))
            found.append(cache_insight(node))
        if node.reads:
            found.extend(repeated_reads(node))
        if node.kind is Kind.TURN:
            found.extend(costliest_turn(node, self.sessions.get(node.key[:3]), self.turn_activity))
        else:
            found.extend(expensive_turns(node, self.turn_activity))
        found.extend(subagents(node))
        if node.models:
            found.extend(model_choice(node))
        if node.kind in (Kind.ROOT, Kind.WEEK):
            found.extend(self._subscription(node))
        found = _cap(found, self.limit)
        for insight in found:
            insight.pop("_value", None)
        return found

    def period(self) -> tuple[date, date]:
        """The view's dates, or the first and last day with usage where the view is open."""
        if self._period is None:
            row = self.store.cursor().execute("SELECT min(day), max(day) FROM priced").fetchone()
            low, high = row if row else (None, None)
            view = self.view
            start = (view.since if view else None) or low or date.today()
            end = (view.until if view else None) or high or start
            self._period = (start, end)
        return self._period

    def _subscription(self, node: Facts) -> list[Insight]:
        settings = self.settings
        if settings is None or not settings.plan_monthly_usd:
            return []
        start, end = self.period()
        if node.kind is Kind.WEEK:
            monday = labels.week_monday(node.key[0])
            start, end = max(start, monday), min(end, monday + timedelta(days=6))
        days = max((end - start).days + 1, 1)
        plan = round(settings.plan_monthly_usd * PICO * days / DAYS_PER_MONTH)
        api = node.cost
        name = settings.plan_name or "subscription"
        where = "this week" if node.kind is Kind.WEEK else "this period"
        message = (
            f"API-equivalent cost {where}: {usd(api)} over {days} day{'s' * (days != 1)}, "
            f"against your {name} plan at {model_format.usd(settings.plan_monthly_usd)}/month "
            f"(≈ {usd(plan)} for {days} day{'s' * (days != 1)})"
        )
        if plan and api >= plan:
            message += f": {api / plan:.1f}× the plan's price."
        elif plan:
            message += (
                f": pay-as-you-go at API list prices would have cost {usd(plan - api)} less "
                "(usage limits and what else the plan includes are not considered)."
            )
        saving = plan - api if plan > api else None
        return [
            make_insight(
                "subscription",
                message,
                saving=saving,
                base=node.cost,
                can_warn=False,
                value=api,
                evidence={
                    "plan": name,
                    "plan_monthly_usd": settings.plan_monthly_usd,
                    "period_start": start.isoformat(),
                    "period_end": end.isoformat(),
                    "days": days,
                    "plan_cost_usd": plan / PICO,
                    "api_cost_usd": api / PICO,
                    "ratio": round(api / plan, 3) if plan else None,
                },
            )
        ]


def _cap(found: list[Insight], limit: int) -> list[Insight]:
    """The top ``limit`` by value, but the best insight of every kind first (so a rollup shows
    each kind before a second repeated read), and context/cache always."""
    found = sorted(found, key=_rank)
    if len(found) <= limit:
        return found
    best: dict[str, Insight] = {}
    for insight in found:
        best.setdefault(insight["kind"], insight)
    first = [i for i in found if best[i["kind"]] is i]
    rest = [i for i in found if best[i["kind"]] is not i]
    must = [i for i in first if i["kind"] in ("context", "cache")]
    others = [i for i in first if i["kind"] not in ("context", "cache")] + rest
    return sorted(must + others[: max(limit - len(must), 0)], key=_rank)


def _rank(insight: Insight) -> tuple[float, float]:
    return (-(insight["estimated_saving_usd"] or 0.0), -float(insight.get("_value", 0)))
