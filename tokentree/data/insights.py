"""Insights: what cost money in a turn, session, day, week or the whole range, and what an
alternative would have saved (estimates; docs/attribution.md lists how each is computed).

An insight is a dict ``{"kind", "severity": "info"|"warn", "message", "estimated_saving_usd":
float|None, "evidence": {...}}``. Kinds: ``context``, ``cache``, ``repeated_read``,
``expensive_turn``, ``subagents``, ``model_choice``, ``subscription``. Money is summed in exact
picodollars; only the savings estimates involve a division.

:func:`compute_insights` runs a handful of grouped queries for a scope (a node's id path, ``()``
= everything) and returns an :class:`InsightSet` with the insights of every node in it.
"""

from __future__ import annotations

import textwrap
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tokentree.data.activity import activity_for_level, ensure_activity, path_filters
from tokentree.data.sqlfiles import sql
from tokentree.model import labels
from tokentree.model.activity import FILE_EDIT_TOOLS, FILE_READ_TOOLS, ORDER, Share, activity_json
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.config import Settings
    from tokentree.data.pricing import PriceTable
    from tokentree.data.store import UsageStore, View

PICO = 10**12
WARN_MIN_USD = 0.50
"""A saving is material (severity "warn") from this many dollars …"""
WARN_MIN_SHARE = 0.05
"""… and this share of the node's cost."""
TRIVIAL_TOKENS = 10_000
"""Sessions and turns below this many tokens get no cache/context insight."""
REBUILD_MIN_TOKENS = 5_000
REPEAT_MIN_READS = 3
TOP_N = 8
"""Insights kept for a day, a week and the range (and at most for a session or turn)."""
DEFAULT_ALTERNATIVE = "claude-sonnet-4-6"
"""The model-choice what-if's cheaper model when no sonnet model is in the data."""
PREMIUM_FACTOR = 1.5
"""A model is premium when its output rate is at least this times the alternative's."""
DAYS_PER_MONTH = 365.25 / 12

Key = tuple[Any, ...]
Insight = dict[str, Any]
_KINDS = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN)


# --------------------------------------------------------------------------- formatting


def usd(pusd: int | float) -> str:
    value = pusd / PICO
    if 0 < abs(value) < 0.005:
        return "<$0.01"
    return f"${value:,.2f}"


def tokens(n: int | float) -> str:
    n = int(n)
    if abs(n) < 1000:
        return str(n)
    if abs(n) < 10_000:
        return f"{n / 1000:.1f}k"
    if abs(n) < 1_000_000:
        return f"{n / 1000:.0f}k"
    if abs(n) < 1_000_000_000:
        return f"{n / 1e6:.1f}M"
    return f"{n / 1e9:.2f}B"


def pct(part: int | float, whole: int | float) -> str:
    if not whole:
        return "0%"
    share = 100 * part / whole
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d"


def _quote(text: str | None, limit: int = 40) -> str:
    return f"“{labels.snippet(text, limit)}”" if text else "(no prompt)"


def _short_path(path: str, limit: int = 48) -> str:
    """The path, or its last components after ``…/`` when it is longer than ``limit``."""
    if len(path) <= limit:
        return path
    tail = path[-(limit - 2) :]
    cut = tail.find("/")
    return "…/" + (tail[cut + 1 :] if 0 <= cut < len(tail) - 1 else tail)


def _usd_value(pusd: int | None) -> float | None:
    return None if pusd is None else pusd / PICO


def _material(saving: int, base: int) -> bool:
    return saving >= WARN_MIN_USD * PICO and saving >= WARN_MIN_SHARE * base


def _insight(
    kind: str,
    message: str,
    *,
    saving: int | None = None,
    base: int = 0,
    evidence: dict[str, Any],
    value: int = 0,
    can_warn: bool = True,
) -> Insight:
    saving = saving if saving is not None and saving > 0 else None
    warn = can_warn and saving is not None and _material(saving, base)
    return {
        "kind": kind,
        "severity": "warn" if warn else "info",
        "message": message,
        "estimated_saving_usd": _usd_value(saving),
        "evidence": evidence,
        "_value": value,
    }


# --------------------------------------------------------------------------- facts


@dataclass(slots=True)
class TurnFacts:
    """One row of ``sql/insights_turns.sql``."""

    key: Key  # (week, day, session, turn)
    number: int
    start: datetime
    prompt: str | None
    prompt_kind: str | None
    calls: int
    input: int
    output: int
    cache_read: int
    cache_write: int
    cost: int
    ctx_cost: int
    sub_calls: int
    sub_tokens: int
    sub_cost: int
    rebuilds: int
    rebuild_tokens: int
    rebuild_cost: int
    rebuild_extra: int
    main_calls: int
    p_start: int | None
    p_end: int | None
    p_max: int | None
    history: int
    later_calls: int
    split_saving: int | None

    @property
    def tokens(self) -> int:
        return self.input + self.output + self.cache_read + self.cache_write


_ADDITIVE = (
    "calls",
    "input",
    "output",
    "cache_read",
    "cache_write",
    "cost",
    "ctx_cost",
    "sub_calls",
    "sub_tokens",
    "sub_cost",
    "rebuilds",
    "rebuild_tokens",
    "rebuild_cost",
    "rebuild_extra",
    "main_calls",
)


@dataclass(slots=True)
class Facts:
    """What is known about one node: its turns and what the other queries found under it."""

    kind: Kind
    key: Key
    turns: list[TurnFacts] = field(default_factory=list)
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_ADDITIVE, 0))
    rebuilds: list[tuple[Any, ...]] = field(default_factory=list)
    reads: dict[str, list[int]] = field(default_factory=dict)
    """file → [sessions, reads, re-reads, tokens, cost, re-read tokens, re-read cost]"""
    agents: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    models: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add_turn(self, turn: TurnFacts) -> None:
        self.turns.append(turn)
        for name in _ADDITIVE:
            self.sums[name] += getattr(turn, name)

    @property
    def tokens(self) -> int:
        s = self.sums
        return s["input"] + s["output"] + s["cache_read"] + s["cache_write"]

    @property
    def cost(self) -> int:
        return self.sums["cost"]


def _turn_from_row(row: tuple[Any, ...]) -> TurnFacts:
    (week, day, session, turn, number, start, text, kind, *numbers) = row
    values = [int(v) if v is not None else None for v in numbers]
    key = (week, day, session, turn)
    return TurnFacts(key, int(number), start, text, kind, *values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the set


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
        if len(path) >= len(_KINDS):
            return []
        key = tuple(
            date.fromisoformat(v) if i == 1 and isinstance(v, str) else v
            for i, v in enumerate(path)
        )
        return self.levels.get(_KINDS[len(path)], {}).get(key, [])


def insights_for_node(
    store: UsageStore,
    path: tuple[Any, ...] = (),
    *,
    settings: Settings | None = None,
    view: View | None = None,
    prices: PriceTable | None = None,
) -> list[Insight]:
    """The insights of one node (``()`` = the whole range; calls have none)."""
    if len(path) >= len(_KINDS):
        return []
    scope = path[:3]  # a turn needs its whole session
    found = compute_insights(
        store, scope, settings=settings, view=view, prices=prices, levels=(_KINDS[len(path)],)
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
    token = _prepare(store, rules, prices)
    scope = tuple(scope[:3])
    filters = path_filters(scope)
    params = {k: filters[k] for k in ("week", "day", "session")}
    wanted = frozenset(levels) if levels is not None else None
    plan = (settings.plan_name, settings.plan_monthly_usd) if settings is not None else None
    memo_key = (tuple(params.values()), wanted, limit, plan, view)
    memo = _memo.get(store)
    if memo is not None and memo[0] == token and memo_key in memo[1]:
        return memo[1][memo_key]

    cursor = store.cursor()
    params["turn"] = None
    turn_rows = cursor.execute(sql("insights_turns"), params).fetchall()
    rebuild_rows = cursor.execute(sql("insights_rebuilds"), params).fetchall()
    read_sql = sql(
        "insights_reads",
        read_tools=_sql_list(FILE_READ_TOOLS),
        edit_tools=_sql_list(FILE_EDIT_TOOLS),
        reading=ORDER["reading"],
        min_reads=REPEAT_MIN_READS,
    )
    read_rows = cursor.execute(read_sql, params).fetchall()
    agent_rows = cursor.execute(sql("insights_agents"), params).fetchall()
    model_rows = cursor.execute(sql("insights_models"), params).fetchall()
    turn_activity = activity_for_level(store, Kind.TURN, scope, rules=rules, as_json=False)

    top = _KINDS[len(scope)]
    nodes = _collect(top, turn_rows, rebuild_rows, read_rows, agent_rows, model_rows)
    context = _Context(store, settings, view, turn_activity, limit, nodes.get(Kind.SESSION, {}))
    found: dict[Kind, dict[Key, list[Insight]]] = {}
    for kind, by_key in nodes.items():
        if wanted is None or kind in wanted:
            found[kind] = {key: context.insights(node) for key, node in by_key.items()}
    result = InsightSet(scope, found)
    if memo is None or memo[0] != token:
        memo = _memo[store] = (token, {})
    if len(memo[1]) >= _MEMO_SIZE:
        memo[1].pop(next(iter(memo[1])))
    memo[1][memo_key] = result
    return result


_prepared: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = weakref.WeakKeyDictionary()


_MEMO_SIZE = 16
_memo: weakref.WeakKeyDictionary[Any, tuple[Any, dict[Any, InsightSet]]] = (
    weakref.WeakKeyDictionary()
)
"""Recent results per store, dropped when the data changes (results are shared: read only)."""


def _prepare(
    store: UsageStore, rules: Mapping[str, str] | None, prices: PriceTable | None
) -> tuple[Any, ...]:
    """The attribution tables, the ``tt_scope`` macro and ``whatif_rates``, rebuilt (under the
    store's lock) only when the data changed; returns the data's token."""
    token = (ensure_activity(store, rules), id(prices))
    with store.lock:
        if _prepared.get(store) != token:
            store.cursor().execute(sql("insights_scope", rebuild_min=REBUILD_MIN_TOKENS))
            _load_whatif(store, prices)
            _prepared[store] = token
    return token


def _sql_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in sorted(names))  # code constants only


def _load_whatif(store: UsageStore, prices: PriceTable | None) -> None:
    """``whatif_rates``: one row per premium model in the data with its alternative's rates."""
    from tokentree.data.pricing import RATE_COLUMNS, PriceTable

    cursor = store.cursor()
    names = [name for name, _ in RATE_COLUMNS]
    rows = cursor.execute(
        f"SELECT {', '.join('r.' + n for n in names)}, count(*) AS n FROM calls c"
        " JOIN priced p USING (cid) JOIN model_rates r ON r.model = c.model"
        f" WHERE r.priced GROUP BY ALL"
    ).fetchall()
    by_model = {row[0]: row[:-1] for row in rows}
    used = sorted((row for row in rows if "sonnet" in (row[0] or "")), key=lambda r: (-r[-1], r[0]))
    if used:
        alt_row = used[0][:-1]
    else:
        table = prices or PriceTable.bundled()
        alt_row = table.rate_row(DEFAULT_ALTERNATIVE)
    out_index = names.index("out_r")
    alt_out = alt_row[out_index]
    premium = [
        row
        for model, row in by_model.items()
        if alt_out and row[out_index] and row[out_index] >= PREMIUM_FACTOR * alt_out
    ]
    columns = ", ".join(f"{n} {t}" for n, t in RATE_COLUMNS if n not in ("model", "canonical"))
    cursor.execute(f"CREATE OR REPLACE TABLE whatif_rates (model VARCHAR, alt VARCHAR, {columns})")
    keep = [i for i, n in enumerate(names) if n not in ("model", "canonical")]
    if premium and alt_row[1]:
        marks = ", ".join("?" for _ in range(len(keep) + 2))
        cursor.executemany(
            f"INSERT INTO whatif_rates VALUES ({marks})",
            [[row[0], alt_row[0], *(alt_row[i] for i in keep)] for row in premium],
        )


# --------------------------------------------------------------------------- collecting


_LEVEL_KIND = {0: Kind.TURN, 1: Kind.SESSION, 3: Kind.DAY, 7: Kind.WEEK, 15: Kind.ROOT}
"""``GROUPING(week, day, session_id, turn_id)`` of a grouping-sets row → its level."""


def _collect(
    top: Kind,
    turn_rows: list[tuple[Any, ...]],
    rebuild_rows: list[tuple[Any, ...]],
    read_rows: list[tuple[Any, ...]],
    agent_rows: list[tuple[Any, ...]],
    model_rows: list[tuple[Any, ...]],
) -> dict[Kind, dict[Key, Facts]]:
    kinds = [(k, k.depth) for k in _KINDS if k.depth >= top.depth]
    nodes: dict[Kind, dict[Key, Facts]] = {k: {} for k, _ in kinds}

    def owners(turn_key: Key) -> Iterable[Facts]:
        for kind, depth in kinds:
            key = turn_key[:depth]
            by_key = nodes[kind]
            node = by_key.get(key)
            if node is None:
                node = by_key[key] = Facts(kind, key)
            yield node

    for row in turn_rows:
        turn = _turn_from_row(row)
        for node in owners(turn.key):
            node.add_turn(turn)
    turns = nodes[Kind.TURN]
    for row in rebuild_rows:
        if tuple(row[:4]) in turns:
            for node in owners(tuple(row[:4])):
                node.rebuilds.append(tuple(row[4:]))

    def grouped(rows: list[tuple[Any, ...]], width: int) -> Iterable[tuple[Facts, tuple[Any, ...]]]:
        for row in rows:
            kind = _LEVEL_KIND.get(row[4])
            node = nodes.get(kind, {}).get(tuple(row[: kind.depth])) if kind else None
            if node is not None:
                yield node, tuple(row[5 : 5 + width]), [int(v) for v in row[5 + width :]]

    for node, (file,), numbers in grouped(read_rows, 1):
        node.reads[file] = numbers
    for node, (agent_type, model), numbers in grouped(agent_rows, 2):
        node.agents[(agent_type, model)] = numbers
    for node, (model, alt), numbers in grouped(model_rows, 2):
        node.models[(model, alt)] = numbers
    return nodes


# --------------------------------------------------------------------------- insights


class _Context:
    def __init__(
        self,
        store: UsageStore,
        settings: Settings | None,
        view: View | None,
        turn_activity: Mapping[Key, dict[str, Share]],
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
        if node.tokens > 0 and (node.tokens >= TRIVIAL_TOKENS or not detailed):
            found.append(_context(node))
            found.append(_cache(node))
        found.extend(_repeated_reads(node))
        if node.kind is Kind.TURN:
            found.extend(_costliest_turn(node, self.sessions.get(node.key[:3]), self.turn_activity))
        else:
            found.extend(_expensive_turns(node, self.turn_activity))
        found.extend(_subagents(node))
        found.extend(_model_choice(node))
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
            f"against your {name} plan at ${settings.plan_monthly_usd:,.2f}/month "
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
            _insight(
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


def _where(node: Facts) -> str:
    return {
        Kind.ROOT: "of the period",
        Kind.WEEK: "of the week",
        Kind.DAY: "of the day",
        Kind.SESSION: "of this session",
        Kind.TURN: "of this turn",
    }[node.kind]


def _turn_ref(turn: TurnFacts) -> dict[str, Any]:
    week, day, session, turn_id = turn.key
    return {
        "week": week,
        "day": day.isoformat() if isinstance(day, date) else day,
        "session_id": session,
        "turn_id": turn_id,
        "turn_no": turn.number,
        "prompt": labels.snippet(turn.prompt, 80) or None,
    }


def _context(node: Facts) -> Insight:
    ctx, cost = node.sums["ctx_cost"], node.cost
    detailed = node.kind in (Kind.SESSION, Kind.TURN)
    main = [t for t in node.turns if t.main_calls]
    parts = [f"Re-reading the context cost {usd(ctx)} ({pct(ctx, cost)} {_where(node)})"]
    evidence: dict[str, Any] = {
        "context_cost_usd": ctx / PICO,
        "share": round(ctx / cost, 4) if cost else 0.0,
        "cache_read_tokens": node.sums["cache_read"],
    }
    saving: int | None = None
    if detailed and main:
        first, last = main[0], main[-1]
        p_max = max(t.p_max or 0 for t in main)
        evidence.update(
            context_start_tokens=first.p_start,
            context_end_tokens=last.p_end,
            context_max_tokens=p_max,
            main_calls=node.sums["main_calls"],
        )
        if (last.p_end or 0) > 1.2 * (first.p_start or 0):
            parts[0] = parts[0].replace("the context", "the growing context", 1)
        parts[0] += (
            f"; the main context went from {tokens(first.p_start or 0)} to "
            f"{tokens(last.p_end or 0)} tokens (peak {tokens(p_max)}) over "
            f"{node.sums['main_calls']:,} calls."
        )
    else:
        parts[0] += "."
    if node.kind is Kind.SESSION:
        best = min(node.turns, key=lambda t: (-(t.split_saving or 0), t.number), default=None)
        if best is not None and (best.split_saving or 0) > 0:
            saving = best.split_saving
            parts.append(
                f"Starting a new session before turn {best.number} ({_quote(best.prompt)}) "
                f"would have saved ≈ {usd(saving or 0)} (estimate: {tokens(best.history)} tokens "
                f"of earlier history no longer re-read by the {best.later_calls:,} calls from "
                "there on, less re-priming a new session's cache)."
            )
            evidence["split"] = {**_turn_ref(best), **_split_evidence(best)}
        elif len(node.turns) > 1:
            parts.append("No turn boundary would have been a worthwhile place for a new session.")
    elif node.kind is Kind.TURN:
        turn = node.turns[0]
        if (turn.split_saving or 0) > 0:
            saving = turn.split_saving
            parts.append(
                f"A /clear or new session before this turn would have saved ≈ {usd(saving or 0)} "
                f"over it and the rest of the session (estimate: {tokens(turn.history)} tokens "
                f"of earlier history re-read by {turn.later_calls:,} calls)."
            )
            evidence["split"] = _split_evidence(turn)
    else:
        best_by_session = _best_splits(node)
        if best_by_session:
            saving = sum(t.split_saving or 0 for t in best_by_session)
            top = best_by_session[0]
            parts.append(
                f"New sessions at the best turn of {len(best_by_session)} "
                f"session{'s' * (len(best_by_session) != 1)} would have saved ≈ {usd(saving)}; "
                f"most before turn {top.number} ({_quote(top.prompt)}) on "
                f"{_day(top)}: ≈ {usd(top.split_saving or 0)} (estimates)."
            )
            evidence["splits"] = [
                {**_turn_ref(t), **_split_evidence(t)} for t in best_by_session[:5]
            ]
    return _insight(
        "context", " ".join(parts), saving=saving, base=cost, value=ctx, evidence=evidence
    )


def _split_evidence(turn: TurnFacts) -> dict[str, Any]:
    return {
        "history_tokens": turn.history,
        "later_calls": turn.later_calls,
        "saving_usd": (turn.split_saving or 0) / PICO,
    }


def _day(turn: TurnFacts) -> str:
    day = turn.key[1]
    return day.isoformat() if isinstance(day, date) else str(day)


def _best_splits(node: Facts) -> list[TurnFacts]:
    best: dict[Key, TurnFacts] = {}
    for turn in node.turns:
        if (turn.split_saving or 0) <= 0:
            continue
        session = turn.key[:3]
        if session not in best or (turn.split_saving or 0) > (best[session].split_saving or 0):
            best[session] = turn
    return sorted(best.values(), key=lambda t: (-(t.split_saving or 0), t.key))


def _cache(node: Facts) -> Insight:
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
    return _insight(
        "cache",
        " ".join(parts),
        saving=saving,
        base=node.cost,
        value=s["rebuild_cost"],
        evidence=evidence,
    )


_PLACE = {
    Kind.ROOT: "in the period",
    Kind.WEEK: "this week",
    Kind.DAY: "that day",
    Kind.SESSION: "in this session",
    Kind.TURN: "in this turn",
}


def _repeated_reads(node: Facts) -> list[Insight]:
    """Files read at least REPEAT_MIN_READS times with at least two re-reads (or, for a day,
    read in several sessions), most re-read cost first; at most three."""
    found: list[Insight] = []
    detailed = node.kind in (Kind.SESSION, Kind.TURN)
    ranked = sorted(node.reads.items(), key=lambda item: (-item[1][6], -item[1][4], item[0]))
    for file, (sessions, reads, re_reads, tok, cost, re_tok, re_cost) in ranked:
        if len(found) >= 3:
            break
        across = node.kind is Kind.DAY and sessions > 1
        if re_reads < 2 and not across:
            continue
        place = _PLACE[node.kind]
        if not detailed and sessions > 1:
            place = f"across {sessions} sessions {place}"
        message = (
            f"{_short_path(file)} was read {reads:,} times {place}, bringing ≈ {tokens(tok)} "
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
            _insight(
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


def _costliest_turn(
    node: Facts, session: Facts | None, activity: Mapping[Key, dict[str, Share]]
) -> list[Insight]:
    """A turn that is the most expensive of a session with at least three turns."""
    if session is None or not node.turns:
        return []
    turn = node.turns[0]
    turns = [t for t in session.turns if t.cost > 0]
    if len(turns) < 3 or min(turns, key=lambda t: (-t.cost, t.start, t.key)) is not turn:
        return []
    mix = _mix(activity.get(turn.key), turn.cost)
    message = (
        f"The most expensive of the session's {len(turns)} turns: {usd(turn.cost)} "
        f"({pct(turn.cost, session.cost)} of the session, {turn.calls:,} calls)"
    )
    message += f"; cost by activity (estimated): {mix}." if mix else "."
    return [
        _insight(
            "expensive_turn",
            message,
            value=turn.cost,
            evidence={
                "turns": [
                    {
                        **_turn_ref(turn),
                        "cost_usd": turn.cost / PICO,
                        "share": round(turn.cost / session.cost, 4) if session.cost else 0.0,
                        "calls": turn.calls,
                        "activity": activity_json(activity.get(turn.key, {})),
                    }
                ],
                "turn_count": len(turns),
            },
        )
    ]


def _expensive_turns(node: Facts, activity: Mapping[Key, dict[str, Share]]) -> list[Insight]:
    """The three most expensive turns under a session, day, week or the range."""
    turns = [t for t in node.turns if t.cost > 0]
    if len(turns) < 2:
        return []
    ranked = sorted(turns, key=lambda t: (-t.cost, t.start, t.key))[:3]
    first = ranked[0]
    mix = _mix(activity.get(first.key), first.cost)
    when = "" if node.kind is Kind.SESSION else f" on {_day(first)}"
    message = (
        f"Most expensive turn: #{first.number} {_quote(first.prompt)}{when} cost "
        f"{usd(first.cost)} ({pct(first.cost, node.cost)} {_where(node)}, {first.calls:,} calls)"
    )
    message += f"; cost by activity (estimated): {mix}." if mix else "."
    if len(ranked) > 1:
        others = "; ".join(f"#{t.number} {_quote(t.prompt, 30)} {usd(t.cost)}" for t in ranked[1:])
        message += f" Next: {others}."
    return [
        _insight(
            "expensive_turn",
            message,
            value=first.cost,
            evidence={
                "turns": [
                    {
                        **_turn_ref(t),
                        "cost_usd": t.cost / PICO,
                        "share": round(t.cost / node.cost, 4) if node.cost else 0.0,
                        "calls": t.calls,
                        "activity": activity_json(activity.get(t.key, {})),
                    }
                    for t in ranked
                ],
                "turn_count": len(turns),
            },
        )
    ]


def _subagents(node: Facts) -> list[Insight]:
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
        f"({usd(s['sub_cost'])}) {_where(node)}: {listing}."
    )
    return [
        _insight(
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


def _model_choice(node: Facts) -> list[Insight]:
    found: list[Insight] = []
    for (model, alt), (calls, output, cost, alt_cost) in sorted(
        node.models.items(), key=lambda kv: (-(kv[1][2] - kv[1][3]), kv[0])
    ):
        saving = cost - alt_cost
        if saving <= 0 or not calls:
            continue
        message = (
            f"What-if at list prices: {calls:,} output-heavy call{'s' * (calls != 1)} on "
            f"{labels.short_model(model)} ({tokens(output)} output tokens) cost {usd(cost)}; on "
            f"{labels.short_model(alt)} they would have cost ≈ {usd(alt_cost)} "
            f"({usd(saving)} less). Not a recommendation: output quality and the cache "
            "rewrite a model switch causes are not considered."
        )
        found.append(
            _insight(
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
    return found[:2]


# --------------------------------------------------------------------------- text


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
