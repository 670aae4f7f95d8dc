"""Rich renderables for the info panel: the node's identity, per-model usage and cost, the
prices and formula used, cache savings, source files, dedup provenance, tool calls, and the
attribution work's activity and insights when present."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tokentree.data.pricing.prices import PUSD_PER_USD_PER_MTOK, ModelPrice
from tokentree.data.tree.info import ModelUsage, NodeInfo
from tokentree.model import format as fmt
from tokentree.model.labels import short_model
from tokentree.model.tree import Node
from tokentree.model.usage import PICO

FILES_SHOWN = 12
"""Source files listed (the largest first); the rest are counted."""


def per_mtok(pusd_per_token: int) -> str:
    """A per-token rate in picodollars as ``$3.00/M``."""
    return f"{fmt.usd(pusd_per_token / PUSD_PER_USD_PER_MTOK)}/M"


def _title(text: str) -> Text:
    return Text(f"\n{text}", style="bold")


def identity(node: Node) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row(node.kind.value.capitalize(), node.label)
    table.add_row("id", node.id)
    if node.start and node.end:
        when = f"{node.start:%Y-%m-%d %H:%M:%S}"
        if node.end != node.start:
            span = fmt.duration((node.end - node.start).total_seconds())
            when += f" → {node.end:%Y-%m-%d %H:%M:%S} ({span})"
        table.add_row("time", when)
    for key in ("project", "cwd", "prompt", "first_prompt", "model", "request_id", "agent_id"):
        value = node.extra.get(key)
        if value:
            table.add_row(key.replace("_", " "), str(value))
    models = node.extra.get("models")
    if models:
        table.add_row("models", ", ".join(short_model(m) for m in models))
    if node.extra.get("subagents"):
        table.add_row(
            "subagents", f"{node.extra['subagents']} ({node.extra['subagent_calls']} calls)"
        )
    if node.extra.get("archived"):
        table.add_row("archived", archived_note(node.extra.get("last_seen")))
    return table


def archived_note(last_seen: str | None) -> str:
    """What the info panel says of a session whose log files are gone."""
    if not last_seen:
        return "log files gone; calls kept in the archive"
    seen = datetime.fromisoformat(last_seen)
    return f"log files gone, last seen {seen:%Y-%m-%d %H:%M}; calls kept in the archive"


USAGE_COLUMNS = (
    "calls",
    "input",
    "output",
    "cache read",
    "write 5m",
    "write 1h",
    "cost",
    "cache saved",
)


def usage_cells(usage: ModelUsage) -> list[str]:
    """One model's usage, in the order of :data:`USAGE_COLUMNS`."""
    return [
        fmt.human_count(usage.calls),
        fmt.human_count(usage.input),
        fmt.human_count(usage.output),
        fmt.human_count(usage.cache_read),
        fmt.human_count(usage.cache_write_5m),
        fmt.human_count(usage.cache_write_1h),
        fmt.money(usage.cost_pusd / PICO, usage.calls, usage.unpriced_calls),
        fmt.usd(usage.cache_savings_pusd / PICO),
    ]


def usage_rows(info: NodeInfo) -> list[tuple[str, list[str]]]:
    """(model, cells) for every model, and the total when there are several."""
    rows = [(short_model(usage.model), usage_cells(usage)) for usage in info.models]
    if len(info.models) > 1:
        total = ModelUsage(
            "total",
            *(sum(getattr(u, f) for u in info.models) for f in ModelUsage.__slots__[1:]),
        )
        rows.append(("total", usage_cells(total)))
    return rows


def stacked(
    rows: Sequence[tuple[str, Sequence[RenderableType]]], columns: tuple[str, ...]
) -> RenderableType:
    """A narrow panel's version of a wide table: one small two-column table per row, one
    under the other, titled by the row's first cell."""
    parts: list[RenderableType] = []
    for title, cells in rows:
        table = Table(box=None, padding=(0, 1), show_header=False, expand=False)
        table.add_column(style="bold")
        table.add_column(justify="right")
        for name, cell in zip(columns, cells, strict=True):
            table.add_row(name, cell)
        parts += [Text(title, style="bold underline"), table]
    return Group(*parts)


def usage_table(info: NodeInfo, narrow: bool = False) -> RenderableType:
    rows = usage_rows(info)
    if narrow:
        return stacked(rows, USAGE_COLUMNS)
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
    table.add_column("model", justify="left")
    for name in USAGE_COLUMNS:
        table.add_column(name, justify="right")
    for name, cells in rows:
        table.add_row(name, *cells)
    return table


PRICE_COLUMNS = ("in", "out", "read", "w5m", "w1h", "priced as")


def prices_table(info: NodeInfo, narrow: bool = False) -> RenderableType:
    lines: list[RenderableType] = [
        Text(
            "cost = input × in + output × out + cache read × read + 5m writes × w5m "
            "+ 1h writes × w1h",
            style="italic",
        )
    ]
    rows: list[tuple[str, list[RenderableType]]] = []
    notes: list[str] = []
    formulas: list[Text] = []
    for usage in info.models:
        price = info.prices.get(usage.model)
        label = short_model(usage.model)
        if price is None:
            rows.append((label, [*["?"] * 5, Text("unpriced: no known price", style="bold")]))
            continue
        base = price.base
        formulas.append(formula(label, usage, price))
        rows.append(
            (
                label,
                [
                    per_mtok(base.input),
                    per_mtok(base.output),
                    per_mtok(base.cache_read),
                    per_mtok(base.cache_write_5m),
                    per_mtok(base.cache_write_1h),
                    f"{price.model} ({price.source})",
                ],
            )
        )
        if price.long_context is not None:
            lc = price.long_context
            rule = (
                "the whole request"
                if info.rule == "request"
                else "each token kind above the threshold"
            )
            notes.append(
                f"{label}: above {price.threshold:,} prompt tokens, {rule} is priced at "
                f"in {per_mtok(lc.input)}, out {per_mtok(lc.output)}, "
                f"read {per_mtok(lc.cache_read)}"
            )
        if usage.fast_calls and price.fast_multiplier != 1.0:
            notes.append(f"{label}: {usage.fast_calls} fast-mode calls × {price.fast_multiplier:g}")
    if narrow:
        lines.append(stacked(rows, PRICE_COLUMNS))
    else:
        table = Table(box=None, padding=(0, 1), header_style="bold")
        table.add_column("model", justify="left")
        for name in PRICE_COLUMNS:
            table.add_column(name, justify="left" if name == "priced as" else "right")
        for label, cells in rows:
            table.add_row(label, *cells)
        lines.append(table)
    lines.extend(formulas)
    lines.extend(Text(note, style="dim") for note in notes)
    return Group(*lines)


def formula(label: str, usage: ModelUsage, price: ModelPrice) -> Text:
    """The formula with this node's tokens and the base rates filled in, and its result."""
    base = price.base
    terms = [
        (usage.input, base.input),
        (usage.output, base.output),
        (usage.cache_read, base.cache_read),
        (usage.cache_write_5m, base.cache_write_5m),
        (usage.cache_write_1h, base.cache_write_1h),
    ]
    at_base = sum(count * rate for count, rate in terms)
    shown = " + ".join(
        f"{fmt.human_count(count)} × {per_mtok(rate)}" for count, rate in terms if count
    )
    if at_base == usage.cost_pusd:
        return Text(f"{label}: {shown} = {fmt.usd(usage.cost_pusd / PICO)}")
    return Text(
        f"{label}: {shown} = {fmt.usd(at_base / PICO)} at base rates; charged "
        f"{fmt.usd(usage.cost_pusd / PICO)} (long-context or fast-mode calls)"
    )


def savings(info: NodeInfo) -> Text:
    saved = info.cache_savings_pusd
    read = sum(u.cache_read for u in info.models)
    if not read:
        return Text("No cache reads.")
    return Text(
        f"{fmt.usd(saved / PICO)} saved: {fmt.tokens(read)} read from the cache instead of "
        "being sent as uncached input (priced at each call's own rates)."
    )


def shown_path(path: str, roots: tuple[str, ...]) -> str:
    """A transcript's path relative to the root it was found under (else as it is)."""
    for root in roots:
        prefix = root.rstrip("/\\") + "/"
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def files_table(info: NodeInfo, roots: tuple[str, ...] = ()) -> RenderableType:
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("lines", justify="right")
    table.add_column("calls", justify="right")
    table.add_column("file (under " + ", ".join(roots) + ")" if roots else "file")
    for source in info.files[:FILES_SHOWN]:
        shown = shown_path(source.path, roots)
        if source.last_seen is not None:
            shown += f" (gone, last seen {source.last_seen.astimezone():%Y-%m-%d %H:%M})"
        table.add_row(f"{source.lines:,}", f"{source.calls:,}", shown)
    more = len(info.files) - FILES_SHOWN
    if more > 0:
        return Group(table, Text(f"… and {more:,} more files", style="dim"))
    return table


def provenance(info: NodeInfo) -> Text:
    p = info.provenance
    return Text(
        f"{fmt.plural(p.lines, 'transcript line')} in {fmt.plural(p.files, 'file')} → "
        f"{fmt.plural(p.calls, 'call')}. {fmt.plural(p.merged_calls, 'call')} merged from "
        f"several lines (streaming snapshots of one response); "
        f"{fmt.plural(p.multi_file_calls, 'call')} found in more than one file (resumed or "
        f"forked sessions); {fmt.plural(p.sidechain_calls, 'subagent call')}."
    )


def tool_calls(node: Node) -> RenderableType | None:
    calls = node.extra.get("tool_calls") or []
    if not calls:
        return None
    table = Table(box=None, padding=(0, 1), show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for call in calls:
        table.add_row(call.get("name") or "?", fmt_detail(call.get("detail")))
    return table


def fmt_detail(detail: str | None) -> str:
    return " ".join((detail or "").split())[:200]


def activity(node: Node) -> RenderableType | None:
    data = node.extra.get("activity")
    if not data:
        return None
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("activity")
    table.add_column("tokens", justify="right")
    table.add_column("cost (est.)", justify="right")
    ordered = sorted(data.items(), key=lambda item: item[1].get("tokens", 0), reverse=True)
    for name, values in ordered:
        table.add_row(
            name,
            fmt.human_count(values.get("tokens", 0)),
            fmt.usd(float(values.get("cost_usd", 0.0))),
        )
    return table


def insights_view(items: list[dict[str, Any]] | None, loading: bool) -> RenderableType | None:
    if not items:
        return Text("computing…", style="dim") if loading else None
    lines = []
    for item in items:
        warn = item.get("severity") == "warn"
        saving = item.get("estimated_saving_usd")
        text = Text("! " if warn else "• ", style="bold" if warn else "")
        text.append(str(item.get("message") or item.get("text") or item))
        if saving:
            text.append(f"  (≈ {fmt.usd(float(saving))} saving, estimated)", style="dim")
        lines.append(text)
    return Group(*lines)


def info_renderables(
    node: Node,
    info: NodeInfo,
    insights: list[dict[str, Any]] | None = None,
    *,
    loading: bool = False,
    roots: tuple[str, ...] = (),
    narrow: bool = False,
) -> list[RenderableType]:
    """Everything the info panel shows, top to bottom (optional sections only when present);
    ``narrow`` stacks the wide tables' rows vertically."""
    sections: list[tuple[str, RenderableType | None]] = [
        ("Usage by model", usage_table(info, narrow)),
        ("Insights", insights_view(insights, loading)),
        ("Activity (estimated)", activity(node)),
        ("Prices (USD per million tokens)", prices_table(info, narrow)),
        ("Cache savings", savings(info)),
        ("Tool calls", tool_calls(node)),
        (f"Source files ({len(info.files):,})", files_table(info, roots)),
        ("Deduplication", provenance(info)),
    ]
    parts: list[RenderableType] = [identity(node)]
    for title, body in sections:
        if body is not None:
            parts += [_title(title), body]
    return parts
