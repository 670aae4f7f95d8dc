"""How insights are worded and shaped: amounts, the insight dict, severity, and text rendering.

An insight is a dict ``{"kind", "severity": "info"|"warn", "message", "estimated_saving_usd":
float|None, "evidence": {...}}``. Money arrives in exact picodollars (pUSD); only the savings
estimates involve a division. Shared by the insight families (``insight_context``,
``insight_usage``) and :mod:`tokentree.data.insights.compute`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from tokentree.model import format as model_format
from tokentree.model import labels
from tokentree.model.tree import Kind
from tokentree.model.usage import PICO

if TYPE_CHECKING:
    from tokentree.data.insights.facts import TurnFacts

WARN_MIN_USD = 0.50
"""A saving is material (severity "warn") from this many dollars …"""
WARN_MIN_SHARE = 0.05
"""… and this share of the node's cost."""

Insight = dict[str, Any]

_WHERE = {
    Kind.ROOT: "of the period",
    Kind.WEEK: "of the week",
    Kind.DAY: "of the day",
    Kind.SESSION: "of this session",
    Kind.TURN: "of this turn",
}


def usd(pusd: int | float) -> str:
    """Exact picodollars as the explorer shows dollars (:func:`tokentree.model.format.usd`)."""
    return model_format.usd(pusd / PICO)


def tokens(n: int | float) -> str:
    """A token count as the explorer shows it (:func:`tokentree.model.format.human_count`)."""
    return model_format.human_count(n)


def pct(part: int | float, whole: int | float) -> str:
    if not whole:
        return "0%"
    share = 100 * part / whole
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


def quote(text: str | None, limit: int = 40) -> str:
    return f"“{labels.snippet(text, limit)}”" if text else "(no prompt)"


def short_path(path: str, limit: int = 48) -> str:
    """The path, or its last components after ``…/`` when it is longer than ``limit``."""
    if len(path) <= limit:
        return path
    tail = path[-(limit - 2) :]
    cut = tail.find("/")
    return "…/" + (tail[cut + 1 :] if 0 <= cut < len(tail) - 1 else tail)


def where(kind: Kind) -> str:
    """``of the week`` … for a node of ``kind``."""
    return _WHERE[kind]


def day_text(turn: TurnFacts) -> str:
    day = turn.key[1]
    return day.isoformat() if isinstance(day, date) else str(day)


def turn_ref(turn: TurnFacts) -> dict[str, Any]:
    week, day, session, turn_id = turn.key
    return {
        "week": week,
        "day": day.isoformat() if isinstance(day, date) else day,
        "session_id": session,
        "turn_id": turn_id,
        "turn_no": turn.number,
        "prompt": labels.snippet(turn.prompt, 80) or None,
    }


def make_insight(
    kind: str,
    message: str,
    *,
    saving: int | None = None,
    base: int = 0,
    evidence: dict[str, Any],
    value: int = 0,
    can_warn: bool = True,
) -> Insight:
    """The insight dict; ``value`` (the amount involved, pUSD) ranks it and is dropped later."""
    saving = saving if saving is not None and saving > 0 else None
    warn = (
        can_warn
        and saving is not None
        and saving >= WARN_MIN_USD * PICO
        and saving >= WARN_MIN_SHARE * base
    )
    return {
        "kind": kind,
        "severity": "warn" if warn else "info",
        "message": message,
        "estimated_saving_usd": None if saving is None else saving / PICO,
        "evidence": evidence,
        "_value": value,
    }


def render_insights_text(insights: Iterable[Insight], *, width: int = 100) -> str:
    """Plain text for a terminal: one block per insight, warnings marked ``!``."""
    lines: list[str] = []
    for insight in insights:
        mark = "!" if insight.get("severity") == "warn" else "-"
        head = f"{mark} {insight.get('kind', '?').replace('_', ' ')}: "
        body = textwrap.wrap(
            str(insight.get("message", "")),
            width=width,
            initial_indent=head,
            subsequent_indent=" " * 4,
        )
        lines.extend(body or [head.rstrip()])
        saving = insight.get("estimated_saving_usd")
        if saving:
            lines.append(f"    estimated saving ≈ {usd(round(saving * PICO))}")
    return "\n".join(lines) + ("\n" if lines else "")
