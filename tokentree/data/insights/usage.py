"""Where the money went: the ``repeated_read``, ``expensive_turn``, ``subagents`` and
``model_choice`` insights of a node (its facts come rolled up from SQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tokentree.data.insights.format import (
    PICO,
    Insight,
    day_text,
    make_insight,
    pct,
    quote,
    short_path,
    tokens,
    turn_ref,
    usd,
    where,
)
from tokentree.model import labels
from tokentree.model.activity import Share, activity_json
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.data.insights.facts import Facts, Key, TurnFacts

TurnActivity = Mapping["Key", Mapping[str, Share]]

_PLACE = {
    Kind.ROOT: "in the period",
    Kind.WEEK: "this week",
    Kind.DAY: "that day",
    Kind.SESSION: "in this session",
    Kind.TURN: "in this turn",
}


def repeated_reads(node: Facts) -> list[Insight]:
    """Files read at least REPEAT_MIN_READS times with at least two re-reads (or, for a day,
    read in several sessions), most re-read cost first; at most three (chosen in SQL)."""
    found: list[Insight] = []
    detailed = node.kind in (Kind.SESSION, Kind.TURN)
    for file, (sessions, reads, re_reads, tok, cost, re_tok, re_cost) in node.reads:
        place = _PLACE[node.kind]
        if not detailed and sessions > 1:
            place = f"across {sessions} sessions {place}"
        message = (
            f"{short_path(file)} was read {reads:,} times {place}, bringing ≈ {tokens(tok)} "
            f"tokens ({usd(cost)}) into the context (estimated)"
        )
        if re_reads:
            message += (
                f"; {re_reads:,} of the reads came with no edit of the file since the same "
                f"context last read it: ≈ {tokens(re_tok)} tokens ({usd(re_cost)})."
            )
        else:
            message += "; each session had to read it again."
        found.append(
            make_insight(
                "repeated_read",
                message,
                saving=re_cost,
                base=node.cost,
                value=cost,
                evidence={
                    "file": file,
                    "reads": reads,
                    "re_reads": re_reads,
                    "sessions": sessions,
                    "tokens": tok,
                    "cost_usd": cost / PICO,
                    "re_read_tokens": re_tok,
                    "re_read_cost_usd": re_cost / PICO,
                },
            )
        )
    return found


def _mix(activity: Mapping[str, Share] | None, cost: int, top: int = 3) -> str:
    if not activity or not cost:
        return ""
    ranked = sorted(activity.items(), key=lambda kv: -kv[1].cost_pusd)[:top]  # stable
    return ", ".join(f"{name} {pct(share.cost_pusd, cost)}" for name, share in ranked)


def costliest_turn(node: Facts, session: Facts | None, activity: TurnActivity) -> list[Insight]:
    """A turn that is the most expensive of a session with at least three turns."""
    turn = node.turn
    if session is None or turn is None:
        return []
    if session.costly < 3 or not session.top_turns or session.top_turns[0].key != turn.key:
        return []
    mix = _mix(activity.get(turn.key), turn.cost)
    message = (
        f"The most expensive of the session's {session.costly} turns: {usd(turn.cost)} "
        f"({pct(turn.cost, session.cost)} of the session, {turn.calls:,} calls)"
    )
    message += f"; cost by activity (estimated): {mix}." if mix else "."
    return [
        make_insight(
            "expensive_turn",
            message,
            value=turn.cost,
            evidence={
                "turns": [_turn_evidence(turn, session.cost, activity)],
                "turn_count": session.costly,
            },
        )
    ]


def _turn_evidence(turn: TurnFacts, parent_cost: int, activity: TurnActivity) -> dict[str, Any]:
    """One turn in an expensive-turn insight's evidence, its share of ``parent_cost``."""
    return {
        **turn_ref(turn),
        "cost_usd": turn.cost / PICO,
        "share": round(turn.cost / parent_cost, 4) if parent_cost else 0.0,
        "calls": turn.calls,
        "activity": activity_json(activity.get(turn.key, {})),
    }


def expensive_turns(node: Facts, activity: TurnActivity) -> list[Insight]:
    """The three most expensive turns under a session, day, week or the range."""
    if node.costly < 2:
        return []
    ranked = node.top_turns
    first = ranked[0]
    mix = _mix(activity.get(first.key), first.cost)
    when = "" if node.kind is Kind.SESSION else f" on {day_text(first)}"
    message = (
        f"Most expensive turn: #{first.number} {quote(first.prompt)}{when} cost "
        f"{usd(first.cost)} ({pct(first.cost, node.cost)} {where(node.kind)}, "
        f"{first.calls:,} calls)"
    )
    message += f"; cost by activity (estimated): {mix}." if mix else "."
    if len(ranked) > 1:
        others = "; ".join(f"#{t.number} {quote(t.prompt, 30)} {usd(t.cost)}" for t in ranked[1:])
        message += f" Next: {others}."
    return [
        make_insight(
            "expensive_turn",
            message,
            value=first.cost,
            evidence={
                "turns": [_turn_evidence(t, node.cost, activity) for t in ranked],
                "turn_count": node.costly,
            },
        )
    ]


def subagents(node: Facts) -> list[Insight]:
    s = node.sums
    if not s["sub_calls"]:
        return []
    by_type: dict[str, list[Any]] = defaultdict(lambda: [0, 0, 0, set()])
    for (agent_type, model), (agents, _calls, tok, cost) in node.agents.items():
        entry = by_type[agent_type]
        entry[0] += agents
        entry[1] += tok
        entry[2] += cost
        entry[3].add(labels.short_model(model))
    ranked = sorted(by_type.items(), key=lambda kv: (-kv[1][2], kv[0]))
    listing = ", ".join(
        f"{name} ×{agents} ({'/'.join(sorted(models))}) {usd(cost)}"
        for name, (agents, _tok, cost, models) in ranked[:4]
    )
    message = (
        f"Subagents used {pct(s['sub_tokens'], node.tokens)} of the tokens "
        f"({tokens(s['sub_tokens'])}) and {pct(s['sub_cost'], node.cost)} of the cost "
        f"({usd(s['sub_cost'])}) {where(node.kind)}: {listing}."
    )
    return [
        make_insight(
            "subagents",
            message,
            value=s["sub_cost"],
            evidence={
                "tokens": s["sub_tokens"],
                "cost_usd": s["sub_cost"] / PICO,
                "token_share": round(s["sub_tokens"] / node.tokens, 4) if node.tokens else 0.0,
                "cost_share": round(s["sub_cost"] / node.cost, 4) if node.cost else 0.0,
                "calls": s["sub_calls"],
                "by_type": [
                    {
                        "agent_type": name,
                        "agents": agents,
                        "tokens": tok,
                        "cost_usd": cost / PICO,
                        "models": sorted(models),
                    }
                    for name, (agents, tok, cost, models) in ranked
                ],
                "by_model": [
                    {
                        "agent_type": t,
                        "model": m,
                        "agents": a,
                        "calls": c,
                        "tokens": tk,
                        "cost_usd": co / PICO,
                    }
                    for (t, m), (a, c, tk, co) in sorted(node.agents.items())
                ],
            },
        )
    ]


def model_choice(node: Facts) -> list[Insight]:
    found: list[Insight] = []
    for (model, alt), (calls, output, cost, alt_cost) in node.models:
        saving = cost - alt_cost
        message = (
            f"What-if at list prices: {calls:,} output-heavy call{'s' * (calls != 1)} on "
            f"{labels.short_model(model)} ({tokens(output)} output tokens) cost {usd(cost)}; on "
            f"{labels.short_model(alt)} they would have cost ≈ {usd(alt_cost)} "
            f"({usd(saving)} less). Not a recommendation: output quality and the cache "
            "rewrite a model switch causes are not considered."
        )
        found.append(
            make_insight(
                "model_choice",
                message,
                saving=saving,
                base=node.cost,
                can_warn=False,
                value=cost,
                evidence={
                    "model": model,
                    "alternative": alt,
                    "calls": calls,
                    "output_tokens": output,
                    "cost_usd": cost / PICO,
                    "alternative_cost_usd": alt_cost / PICO,
                    "rule": "output cost >= 1/3 of the call's cost; list prices, standard speed",
                },
            )
        )
    return found
