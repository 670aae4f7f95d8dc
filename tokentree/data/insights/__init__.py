"""Insights: what cost money in a turn, session, day, week or the whole range, and what an
alternative would have saved (estimates; docs/attribution.md lists how each is computed).

An insight is a dict ``{"kind", "severity": "info"|"warn", "message", "estimated_saving_usd":
float|None, "evidence": {...}}``. Kinds: ``context``, ``cache``, ``repeated_read``,
``expensive_turn``, ``subagents``, ``model_choice``, ``subscription``. Money is summed in exact
picodollars; only the savings estimates involve a division.

:func:`compute_insights` rolls per-turn tables up to the levels asked for in a scope (a node's
id path, ``()`` = everything) and returns an :class:`InsightSet` with the insights of every node
in it. This module is the public face; the work is split over:

* :mod:`tokentree.data.insights.prepare` — the per-turn tables, once per data version (SQL);
* :mod:`tokentree.data.insights.facts` — each node's facts, rolled up to the levels asked for;
* :mod:`tokentree.data.insights.context` — the ``context`` and ``cache`` insights;
* :mod:`tokentree.data.insights.usage` — repeated reads, expensive turns, subagents, models;
* :mod:`tokentree.data.insights.format` — amounts, the insight dict, text rendering;
* :mod:`tokentree.data.insights.compute` — :func:`compute_insights`, ranking, the subscription.
"""

from __future__ import annotations

from tokentree.data.insights.compute import (
    DAYS_PER_MONTH,
    TOP_N,
    TRIVIAL_TOKENS,
    InsightSet,
    compute_insights,
    insights_for_node,
)
from tokentree.data.insights.facts import REPEAT_MIN_READS, Facts, Key, TurnFacts
from tokentree.data.insights.format import (
    WARN_MIN_SHARE,
    WARN_MIN_USD,
    Insight,
    pct,
    render_insights_text,
    tokens,
    usd,
)
from tokentree.data.insights.prepare import (
    DEFAULT_ALTERNATIVE,
    PREMIUM_FACTOR,
    REBUILD_MIN_TOKENS,
)

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_ALTERNATIVE",
    "PREMIUM_FACTOR",
    "REBUILD_MIN_TOKENS",
    "REPEAT_MIN_READS",
    "TOP_N",
    "TRIVIAL_TOKENS",
    "WARN_MIN_SHARE",
    "WARN_MIN_USD",
    "Facts",
    "Insight",
    "InsightSet",
    "Key",
    "TurnFacts",
    "compute_insights",
    "insights_for_node",
    "pct",
    "render_insights_text",
    "tokens",
    "usd",
]
