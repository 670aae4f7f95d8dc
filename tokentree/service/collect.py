"""Build the usage :class:`~tokentree.service.summary.Summary` from a workspace (DuckDB).

Called after a refresh by the explorer and live mode (and after ``tokentree export``): a
handful of small queries over the derived tables, a fraction of a second even on a large
history. The caller has built the store for the workspace's view and holds its lock.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tokentree.model.blocks import WINDOW, latest_block_start
from tokentree.model.callcost import CompactRates
from tokentree.model.labels import project_name
from tokentree.service.limits import Reading
from tokentree.service.summary import (
    FAMILIES,
    PeriodTotals,
    SessionSummary,
    Summary,
    TimePoint,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tokentree.data.live.queries import PeriodRow
    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.workspace import Workspace

CHAIN_DAYS = 7
"""How far back the 5-hour block chain may start (it needs a five-hour gap to start exactly)."""
SESSION_HOURS = 48
"""Sessions active this recently are in the summary (with at least the latest one)."""
MAX_SESSIONS = 50


def period_starts(local_now: datetime) -> tuple[date, str, date, date]:
    """Today, this ISO week's id, its Monday and the first of the month."""
    today = local_now.date()
    year, week, weekday = local_now.isocalendar()
    return today, f"{year}-W{week:02d}", today - timedelta(days=weekday - 1), today.replace(day=1)


def _period(row: PeriodRow) -> PeriodTotals:
    return PeriodTotals(row.tokens, row.cost_units, row.calls, row.unpriced)


def compact_rates(prices: PriceTable, model: str | None) -> CompactRates | None:
    """``model``'s resolved rates (None when it has no price)."""
    from tokentree.data.pricing.prices import multiplier_micro

    row = prices.rate_row(model)
    if not row[1]:
        return None
    long = tuple(row[7:12]) if row[7] is not None else None
    return CompactRates(tuple(row[2:7]), long, int(row[12]), multiplier_micro(row[13]), row[14])


def collect(workspace: Workspace, now: datetime) -> Summary:
    """The summary of ``workspace``'s data at ``now`` (an aware datetime)."""
    from tokentree.data.live import queries as live

    store = workspace.store
    local_now = now.astimezone(workspace.zone)
    today, week, week_start, month_start = period_starts(local_now)
    day_row, week_row, month_row = live.period_totals(store, today, week, week_start, month_start)

    anchors = live.block_anchors(store, FAMILIES, now - timedelta(days=CHAIN_DAYS))
    block_starts: dict[str, float] = {}
    for source, anchor in anchors.items():
        times = live.call_times(store, source, datetime.fromtimestamp(anchor, now.tzinfo))
        start = latest_block_start(times)
        if start is not None:
            block_starts[source] = start

    since = now - timedelta(seconds=WINDOW)
    points = tuple(TimePoint(*row) for row in live.points_since(store, since))

    rows = live.latest_sessions(store, now - timedelta(hours=SESSION_HOURS), MAX_SESSIONS)
    if not rows:
        rows = live.latest_sessions(store, None, 1)
    ids = [row.id for row in rows]
    recent = live.recent_calls(store, ids)
    sessions = {
        row.id: SessionSummary(
            row.id,
            row.source,
            row.project or project_name(row.cwd),
            PeriodTotals(row.tokens, row.cost_units, row.calls, row.unpriced),
            row.last,
            row.files,
            {call_id: (tokens, units) for call_id, _, tokens, units in recent.get(row.id, [])},
        )
        for row in live.session_totals(store, ids)
    }
    rates = {}
    for calls in recent.values():
        for _, model, _, _ in calls:
            if model and model not in rates and (found := compact_rates(store.prices, model)):
                rates[model] = found
    readings = tuple(
        Reading(r.source, r.window_minutes, r.used_percent, r.resets_at, r.at, r.scope, r.limit_id)
        for r in live.limit_readings(store)
    )
    budget = asdict(workspace.options.settings.budget)
    return Summary(
        written_at=now.timestamp(),
        zone=workspace.view.tz,
        day=today.isoformat(),
        week=week,
        month=f"{today:%Y-%m}",
        today=_period(day_row),
        this_week=_period(week_row),
        this_month=_period(month_row),
        points_since=since.timestamp(),
        points=points,
        block_starts=block_starts,
        sessions=sessions,
        latest=ids[0] if ids else None,
        rates=rates,
        readings=readings,
        budgets={k: float(v) for k, v in budget.items() if v is not None and k != "bell"},
    )


def summary_is_shareable(workspace: Workspace) -> bool:
    """Whether the summary describes the whole data set (no date range, no hidden source),
    so the statusline may answer from it."""
    view = workspace.view
    return (
        view.since is None
        and view.until is None
        and not view.hidden_sources
        and view.devices is None
    )


def _summary_path(workspace: Workspace, cache_dir: Path) -> str:
    from tokentree.service.summary import data_set_key, summary_file

    options = workspace.options
    return summary_file(cache_dir, data_set_key(options.roots, options.sources, options.demo))


def publish_summary(workspace: Workspace, summary: Summary, cache_dir: Path) -> bool:
    """Write ``summary`` where the statusline looks for this data set (only when it covers
    the whole data set and the cache is in use); False when it was not written."""
    from tokentree.service.summary import save

    if not workspace.options.use_cache or not summary_is_shareable(workspace):
        return False
    return save(summary, _summary_path(workspace, cache_dir))


def summary_basis(workspace: Workspace) -> str | None:
    """What a summary of ``workspace`` is collected from: the generation of the saved data it
    serves unchanged, with the view and prices (the priced stage's key) and the budgets. None
    when the store holds data not saved (something was read or merged)."""
    import hashlib

    generation = workspace.served_generation()
    if generation is None:
        return None
    budget = sorted(asdict(workspace.options.settings.budget).items())
    text = repr((generation, workspace.stage_keys()["priced"], budget))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def write_summary(workspace: Workspace, now: datetime, cache_dir: Path) -> bool:
    """Collect and publish the summary (``tokentree export`` after its read). Nothing is
    collected when the published one was collected from the same unchanged data and settings
    today: the statusline works out the time-dependent parts (periods, windows, burn rate) at
    its own time from the calls the summary holds, and none came since."""
    from tokentree.data.store.store import DEPTH_DAYS
    from tokentree.service.summary import load

    if not workspace.options.use_cache or not summary_is_shareable(workspace):
        return False
    basis = summary_basis(workspace)
    if basis is not None:
        published = load(_summary_path(workspace, cache_dir))
        today = now.astimezone(workspace.zone).date().isoformat()
        if published is not None and published.basis == basis and published.day == today:
            return True
    with workspace.store.lock:
        workspace.store.build(workspace.view, depth=DEPTH_DAYS)
        found = collect(workspace, now)
    return publish_summary(workspace, found._replace(basis=basis or ""), cache_dir)
