"""Human-readable numbers for the explorer: ``1.2M`` tokens, ``$3.41``, ``87%``, bars.

Pure functions of their arguments (no clock, no locale), so the explorer's screens and the
snapshot tests render identically everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tokentree.model.charset import detect_charset
from tokentree.model.usage import Totals

_UNITS = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k"))
EIGHTHS = "▏▎▍▌▋▊▉█"
"""Partial block glyphs, one to eight eighths of a cell."""
ASCII_FILL = "#"
ASCII_TERMS = frozenset({"linux", "vt100", "vt102", "vt220", "dumb", "ansi", "cons25"})
"""Terminals whose fonts commonly lack the block glyphs."""


def human_count(value: float) -> str:
    """``950`` → ``950``, ``12_345`` → ``12.3k``, ``1_234_567`` → ``1.2M``, ``456_000`` →
    ``456k``."""
    number = float(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    if number < 1000:
        return f"{sign}{number:.0f}"
    for index, (scale, suffix) in enumerate(_UNITS):
        if number >= scale * 0.9995:
            scaled = number / scale
            text = f"{scaled:.1f}" if scaled < 99.95 else f"{scaled:.0f}"
            if text == "1000" and index > 0:
                bigger_scale, bigger_suffix = _UNITS[index - 1]
                return f"{sign}{number / bigger_scale:.1f}{bigger_suffix}"
            return f"{sign}{text}{suffix}"
    return f"{sign}{number:.0f}"  # pragma: no cover - the loop always returns


def tokens(value: float) -> str:
    """A token count with its unit: ``1.2M tok``."""
    return f"{human_count(value)} tok"


def usd(amount: float) -> str:
    """Dollars: ``$1,234.56``, ``$3.41``, ``$0.0031`` (a non-zero cost never shows as $0.00)."""
    if amount == 0:
        return "$0.00"
    if abs(amount) < 0.00005:
        return "<$0.0001"
    if round(abs(amount), 2) < 0.01:
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


def money(amount: float, calls: int, unpriced_calls: int) -> str:
    """A cost in dollars; unpriced calls are shown as such, never as $0.

    ``$1.20`` (all priced), ``$1.20+?`` (some calls unpriced), ``unpriced`` (none priced).
    """
    if calls and unpriced_calls >= calls:
        return "unpriced"
    text = usd(amount)
    return f"{text}+?" if unpriced_calls else text


def cost(totals: Totals) -> str:
    """A node's cost as :func:`money` shows it (the exported dollars)."""
    return money(totals.cost_usd, totals.calls, totals.unpriced_calls)


def percent(fraction: float) -> str:
    """A share as a 6-wide percentage: `` 12.3%``, ``100.0%``."""
    return f"{fraction * 100:5.1f}%"


def ratio(fraction: float) -> str:
    """A compact whole percentage (cache-hit column): ``87%``."""
    return f"{round(fraction * 100):d}%"


def bar(fraction: float, width: int, style: str = "unicode") -> str:
    """The filled part of a bar ``width`` cells wide (the caller pads the rest).

    ``unicode`` uses eighth-block glyphs for sub-cell precision; ``ascii`` uses ``#``. A
    non-zero fraction always shows at least a sliver, so tiny items are visibly non-empty.
    """
    if width <= 0 or fraction <= 0:
        return ""
    fraction = min(fraction, 1.0)
    if style == "ascii":
        cells = max(1, round(fraction * width))
        return ASCII_FILL * cells
    eighths = max(1, round(fraction * width * 8))
    full, rest = divmod(eighths, 8)
    return EIGHTHS[-1] * full + (EIGHTHS[rest - 1] if rest else "")


def stacked(parts: Sequence[tuple[str, float]], width: int) -> list[tuple[str, int]]:
    """Split ``width`` cells among named parts in proportion (largest remainder), in order.

    Parts that get no cell are left out; the cells always add up to ``width`` when any part
    is positive.
    """
    total = sum(value for _, value in parts if value > 0)
    if width <= 0 or total <= 0:
        return []
    exact = [(name, max(value, 0) * width / total) for name, value in parts]
    cells = {name: int(share) for name, share in exact}
    left = width - sum(cells.values())
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for name, _ in by_remainder[:left]:
        cells[name] += 1
    return [(name, cells[name]) for name, _ in parts if cells[name] > 0]


def detect_bar_style(setting: str, env: Mapping[str, str], encoding: str = "utf-8") -> str:
    """``unicode`` or ``ascii`` glyphs for bars.

    ``setting`` is the config value (``auto``, ``unicode``, ``ascii``). In ``auto`` mode ASCII is
    chosen for terminals known to lack block glyphs (``TERM=linux``, ``vt100`` …) and for
    non-UTF-8 locales (``LC_ALL`` > ``LC_CTYPE`` > ``LANG``, else the stream ``encoding``).
    """
    if setting in ("unicode", "ascii"):
        return setting
    if env.get("TERM", "").lower() in ASCII_TERMS:
        return "ascii"
    return detect_charset(env, encoding)


def date_range(start: datetime | None, end: datetime | None) -> str:
    """``2026-10-31 → 2026-11-20`` (one date when both fall on the same day)."""
    if start is None or end is None:
        return "no data"
    first, last = start.date().isoformat(), end.date().isoformat()
    return first if first == last else f"{first} → {last}"


def plural(count: int, noun: str) -> str:
    """``1 call``, ``3 calls``, with the count in human units."""
    return f"{human_count(count)} {noun}{'' if count == 1 else 's'}"


def duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 4 h``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def short_duration(seconds: float) -> str:
    """``45s``, ``12m``, ``2h28m``, ``3d4h``: for narrow panes."""
    whole = max(int(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    return f"{hours // 24}d{hours % 24}h"
