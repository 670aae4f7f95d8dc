"""The arithmetic of one call's cost, in integer picodollars, given its model's rates.

Shared by :mod:`tokentree.data.pricing.prices` (which looks the rates up) and the statusline (which
prices the few calls appended since the last summary with rates the summary carries), so the
rule exists once. Rates and counts follow :class:`~tokentree.data.pricing.prices.Rates`' field
order: input, output, 5-minute cache writes, 1-hour cache writes, cache reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tokentree.model.usage import PICO, UNITS_PER_USD

MULTIPLIER_SCALE = 1_000_000
"""Multipliers (fast mode) are applied in exact micro-units."""


def apply_micro(pusd: int, micro: int) -> int:
    """``pusd`` times a multiplier given in micro-units, rounded half-up (as the SQL macro)."""
    return (pusd * micro + MULTIPLIER_SCALE // 2) // MULTIPLIER_SCALE


def _tiered(count: int, threshold: int, base: int, long: int) -> int:
    return min(count, threshold) * base + max(count - threshold, 0) * long


def raw_cost(
    counts: Sequence[int],
    base: Sequence[int],
    long_context: Sequence[int] | None,
    threshold: int,
    *,
    per_type: bool,
) -> int:
    """The cost before any fast-mode multiplier.

    ``per_type``: ccusage's rule (per token kind, the first ``threshold`` tokens at base rates);
    otherwise Anthropic's (a request whose prompt exceeds ``threshold`` is priced wholly at the
    long-context rates).
    """
    if any(n < 0 for n in counts):
        raise ValueError(f"negative token count in {tuple(counts)}")
    if per_type:
        long = long_context or base
        return sum(
            _tiered(n, threshold, b, lc) for n, b, lc in zip(counts, base, long, strict=True)
        )
    inp, _, cw5, cw1, cread = counts
    prompt = inp + cread + cw5 + cw1
    rates = long_context if long_context and prompt > threshold else base
    return sum(n * r for n, r in zip(counts, rates, strict=True))


def cost_units(pusd: int) -> int:
    """Picodollars in units of 2^-30 USD, rounded once (as ``sql/priced.sql`` does)."""
    return (pusd * UNITS_PER_USD + PICO // 2) // PICO


class CompactRates(NamedTuple):
    """One model's resolved rates in pUSD per token (what the statusline summary carries)."""

    base: tuple[int, ...]
    long_context: tuple[int, ...] | None
    threshold: int
    fast_micro: int
    """The fast-mode multiplier in micro-units."""
    per_type: bool

    def cost_pusd(self, counts: Sequence[int], *, fast: bool = False) -> int:
        raw = raw_cost(counts, self.base, self.long_context, self.threshold, per_type=self.per_type)
        return apply_micro(raw, self.fast_micro) if fast else raw
