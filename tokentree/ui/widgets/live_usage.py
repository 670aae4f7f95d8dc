"""Live mode's lower panel: the burn rate, today's and this week's totals, each plan's 5-hour
window (usage, reset time, official readings, drift) and the budgets."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tokentree.model import format as fmt
from tokentree.model.budget import Period, Usage
from tokentree.model.usage import UNITS_PER_USD
from tokentree.service.limits import Reading
from tokentree.service.summary import PeriodTotals
from tokentree.service.usage_now import UsageNow, WindowState
from tokentree.ui.widgets.live_panel import Line, LivePanel, first_fitting, joined, rule

LABEL = 7
"""Width of the first word of a line (``today``, ``burn`` …)."""


def label(word: str) -> str:
    """``word`` padded to the first column (always followed by a space)."""
    return f"{word:<{LABEL - 1}} "


def severity(fraction: float) -> str:
    """The style of a share of a limit: warning from 80 %, error from 100 %."""
    return "error" if fraction >= 1 else "warning" if fraction >= 0.8 else ""


def period_line(name: str, totals: PeriodTotals, width: int) -> Line:
    return joined(
        [
            [(label(name), "dim"), (fmt.tokens(totals.tokens), "tokens")],
            [(fmt.usd(totals.cost_usd) + ("+?" if totals.unpriced else ""), "cost")],
            [(fmt.plural(totals.calls, "call"), "dim")],
        ],
        width,
    )


def reading_text(reading: Reading) -> str:
    return f"{reading.name} {reading.used_percent:.0f}%"


class UsagePanel(LivePanel):
    """Usage now, windows and budgets."""

    usage: UsageNow | None = None

    def show(self, usage: UsageNow | None) -> None:
        self.usage = usage
        self.refresh(layout=True)

    def build(self, width: int, height: int) -> list[Line]:
        usage = self.usage
        if usage is None:
            return []
        zone = ZoneInfo(usage.zone)
        burn = usage.burn
        lines = [
            rule("now", width),
            joined(
                [
                    [
                        (label("burn"), "dim"),
                        (f"{fmt.human_count(burn.tokens_per_minute)} tok/min", "tokens"),
                    ],
                    [(f"{fmt.usd(burn.usd_per_hour)}/h", "cost")],
                    [(f"last {fmt.short_duration(burn.span)}", "dim")],
                ],
                width,
            ),
            period_line("today", usage.today, width),
            period_line("week", usage.this_week, width),
        ]
        for window in usage.windows:
            lines += self._window(window, usage.now, zone, width)
        if usage.budgets:
            lines.append(rule("budget", width))
            lines += [self._budget(b, zone, width) for b in usage.budgets]
        return lines

    def _clock(self, at: float, zone: ZoneInfo) -> str:
        return f"{datetime.fromtimestamp(at, zone):%H:%M}"

    def _window(self, window: WindowState, now: float, zone: ZoneInfo, width: int) -> list[Line]:
        lines = [rule(f"{window.label} 5-hour window", width)]
        block = window.block
        resets = window.resets_at
        if block is not None:
            groups: list[Line] = [
                [(label("used"), "dim"), (fmt.tokens(block.tokens), "tokens")],
                [(fmt.usd(block.cost_units / UNITS_PER_USD), "cost")],
                [(fmt.plural(block.calls, "call"), "dim")],
            ]
            lines.append(joined(groups, width))
        else:
            lines.append([("no window open", "dim")])
        if resets is not None:
            reset: list[Line] = [
                [(label("resets"), "dim"), (self._clock(resets, zone), "")],
                [(f"in {fmt.short_duration(resets - now)}", "dim")],
            ]
            if window.estimated:
                reset.append([("(estimated)", "dim")])
            lines.append(joined(reset, width))
        readings = [r for r in (window.official, *window.weekly) if r is not None]
        if readings:
            words: list[Line] = [[("limits", "dim")]]
            words += [[(reading_text(r), severity(r.used_percent / 100))] for r in readings]
            lines.append(joined(words, width, " "))
        drift = window.drift
        if drift is not None and drift.tokens:
            lines.append(
                first_fitting(
                    [
                        [
                            (label("drift"), "dim"),
                            (f"{self._clock(drift.expires_at, zone)} frees ", ""),
                            (fmt.human_count(drift.tokens), "tokens"),
                            (f" over {fmt.short_duration(drift.horizon)}", "dim"),
                        ],
                        [
                            (label("drift"), "dim"),
                            (f"{self._clock(drift.expires_at, zone)} ", ""),
                            (f"-{fmt.human_count(drift.tokens)}", "tokens"),
                        ],
                    ],
                    width,
                )
            )
        return lines

    def _budget(self, usage: Usage, zone: ZoneInfo, width: int) -> Line:
        name = {Period.DAY: "day", Period.WEEK: "week", Period.MONTH: "month"}.get(
            usage.period, f"{usage.scope} 5h".strip()
        )
        if usage.unit == "usd":
            figures = f"{fmt.usd(usage.used)}/{fmt.usd(usage.limit)}"
        else:
            figures = f"{fmt.human_count(usage.used)}/{fmt.human_count(usage.limit)}"
        groups: list[Line] = [
            [(label(name), "dim"), (figures, "")],
            [(fmt.ratio(usage.fraction), severity(usage.fraction))],
        ]
        if usage.reaches_at is not None:
            groups.append([(f"limit at {self._clock(usage.reaches_at, zone)}", "dim")])
        return joined(groups, width)
