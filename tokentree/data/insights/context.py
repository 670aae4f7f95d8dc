"""The ``context`` and ``cache`` insights: what re-reading the context cost, where a new session
would have saved most, the cache hit rate and the cache rebuilds after idle gaps."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tokentree.data.insights.format import (
    PICO,
    Insight,
    day_text,
    make_insight,
    pct,
    quote,
    tokens,
    turn_ref,
    usd,
    where,
)
from tokentree.model.format import duration
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.data.insights.facts import Facts, TurnFacts


def context_insight(node: Facts) -> Insight:
    ctx, cost = node.sums["ctx_cost"], node.cost
    detailed = node.kind in (Kind.SESSION, Kind.TURN)
    parts = [f"Re-reading the context cost {usd(ctx)} ({pct(ctx, cost)} {where(node.kind)})"]
    evidence: dict[str, Any] = {
        "context_cost_usd": ctx / PICO,
        "share": round(ctx / cost, 4) if cost else 0.0,
        "cache_read_tokens": node.sums["cache_read"],
    }
    saving: int | None = None
    if detailed and node.sums["main_calls"]:
        p_start, p_end, p_max = node.context
        p_max = p_max or 0
        evidence.update(
            context_start_tokens=p_start,
            context_end_tokens=p_end,
            context_max_tokens=p_max,
            main_calls=node.sums["main_calls"],
        )
        if (p_end or 0) > 1.2 * (p_start or 0):
            parts[0] = parts[0].replace("the context", "the growing context", 1)
        parts[0] += (
            f"; the main context went from {tokens(p_start or 0)} to "
            f"{tokens(p_end or 0)} tokens (peak {tokens(p_max)}) over "
            f"{node.sums['main_calls']:,} calls."
        )
    else:
        parts[0] += "."
    if node.kind is Kind.SESSION:
        best = node.best_split
        if best is not None:
            saving = best.split_saving
            parts.append(
                f"Starting a new session before turn {best.number} ({quote(best.prompt)}) "
                f"would have saved ≈ {usd(saving or 0)} (estimate: {tokens(best.history)} tokens "
                f"of earlier history no longer re-read by the {best.later_calls:,} calls from "
                "there on, less re-priming a new session's cache)."
            )
            evidence["split"] = {**turn_ref(best), **_split_evidence(best)}
        elif node.turn_count > 1:
            parts.append("No turn boundary would have been a worthwhile place for a new session.")
    elif node.kind is Kind.TURN:
        turn = node.turn
        if turn is not None and (turn.split_saving or 0) > 0:
            saving = turn.split_saving
            parts.append(
                f"A /clear or new session before this turn would have saved ≈ {usd(saving or 0)} "
                f"over it and the rest of the session (estimate: {tokens(turn.history)} tokens "
                f"of earlier history re-read by {turn.later_calls:,} calls)."
            )
            evidence["split"] = _split_evidence(turn)
    elif node.splits:
        saving = node.split_total
        top = node.splits[0]
        count = node.split_sessions
        parts.append(
            f"New sessions at the best turn of {count} "
            f"session{'s' * (count != 1)} would have saved ≈ {usd(saving)}; "
            f"most before turn {top.number} ({quote(top.prompt)}) on "
            f"{day_text(top)}: ≈ {usd(top.split_saving or 0)} (estimates)."
        )
        evidence["splits"] = [{**turn_ref(t), **_split_evidence(t)} for t in node.splits[:5]]
    return make_insight(
        "context", " ".join(parts), saving=saving, base=cost, value=ctx, evidence=evidence
    )


def _split_evidence(turn: TurnFacts) -> dict[str, Any]:
    return {
        "history_tokens": turn.history,
        "later_calls": turn.later_calls,
        "saving_usd": (turn.split_saving or 0) / PICO,
    }


def cache_insight(node: Facts) -> Insight:
    s = node.sums
    prompt = s["input"] + s["cache_read"] + s["cache_write"]
    parts = [
        f"Cache hit rate {pct(s['cache_read'], prompt)} ({tokens(s['cache_read'])} of "
        f"{tokens(prompt)} prompt tokens read from the cache)."
    ]
    rebuilds = sorted(node.rebuilds, key=lambda r: (-int(r[5]), r[1], r[0]))
    saving = s["rebuild_extra"]
    if s["rebuilds"]:
        gaps = ", ".join(duration(float(r[2])) for r in sorted(rebuilds[:3], key=lambda r: r[1]))
        more = ", …" if s["rebuilds"] > 3 else ""
        parts.append(
            f"{s['rebuilds']:,} cache rebuild{'s' * (s['rebuilds'] != 1)} after idle gaps "
            f"({gaps}{more}) re-wrote {tokens(s['rebuild_tokens'])} tokens for "
            f"{usd(s['rebuild_cost'])}, ≈ {usd(saving)} more than reading them from a warm "
            "cache."
        )
    else:
        parts.append("No cache rebuilds after idle gaps.")
    evidence = {
        "hit_rate": round(s["cache_read"] / prompt, 4) if prompt else 0.0,
        "cache_read_tokens": s["cache_read"],
        "cache_write_tokens": s["cache_write"],
        "input_tokens": s["input"],
        "rebuilds": s["rebuilds"],
        "rebuild_tokens": s["rebuild_tokens"],
        "rebuild_cost_usd": s["rebuild_cost"] / PICO,
        "rebuild_extra_usd": saving / PICO,
        "top_rebuilds": [
            {
                "call_id": r[0],
                "ts": r[1].isoformat() if isinstance(r[1], datetime) else r[1],
                "idle_s": round(float(r[2]), 1),
                "ttl_s": int(r[3]),
                "tokens": int(r[4]),
                "cost_usd": int(r[5]) / PICO,
                "extra_usd": int(r[6]) / PICO,
            }
            for r in rebuilds[:5]
        ],
    }
    return make_insight(
        "cache",
        " ".join(parts),
        saving=saving,
        base=node.cost,
        value=s["rebuild_cost"],
        evidence=evidence,
    )
