"""Usage arithmetic: the four token kinds, exact cost and call counts of a node.

Money is kept two ways: exact integer picodollars (1e-12 USD) for arithmetic, and "cost units"
of 2^-30 USD, each call's cost rounded once (error < 1e-9 USD). Any sum of unit values is exact
in binary floating point, so the dollars a user sees for a parent equal the sum of its
children's dollars bit for bit, in any order and at any depth.
"""

from __future__ import annotations

from typing import NamedTuple

PICO = 10**12
"""Picodollars per US dollar."""
UNITS_PER_USD = 2**30
"""Cost units per US dollar (see the module docstring)."""


class Totals(NamedTuple):
    """Token and cost totals of one node of the tree (a call, a turn, a day …)."""

    input: int = 0
    """Uncached input tokens."""
    output: int = 0
    """Output tokens (thinking included)."""
    cache_read: int = 0
    cache_write: int = 0
    """Cache writes, 5-minute and 1-hour together."""
    cost_pusd: int = 0
    """Cost of the priced calls, in picodollars."""
    calls: int = 0
    unpriced_calls: int = 0
    """Calls whose model has no known price (their cost is not in ``cost_pusd``)."""
    cost_units: int = 0
    """The cost in units of 2^-30 USD: the sum of the calls' once-rounded costs."""

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.input + other.input,
            self.output + other.output,
            self.cache_read + other.cache_read,
            self.cache_write + other.cache_write,
            self.cost_pusd + other.cost_pusd,
            self.calls + other.calls,
            self.unpriced_calls + other.unpriced_calls,
            self.cost_units + other.cost_units,
        )

    @property
    def total(self) -> int:
        """All four token kinds."""
        return self.input + self.output + self.cache_read + self.cache_write

    @property
    def cost_usd(self) -> float:
        """Dollars as exported and shown (exactly additive, see the module docstring)."""
        return self.cost_units / UNITS_PER_USD

    @property
    def cache_hit(self) -> float:
        """Share of the input side served from the cache: read / (input + read + write)."""
        denominator = self.input + self.cache_read + self.cache_write
        return self.cache_read / denominator if denominator else 0.0

    @property
    def uncached_input(self) -> int:
        return self.input

    def metric(self, name: str) -> float:
        """The value of a named measure (``total``, ``cost``, ``output``, ``input`` …)."""
        match name:
            case "total":
                return self.total
            case "cost":
                return self.cost_pusd
            case "output":
                return self.output
            case "input":
                return self.input
            case "cache_read":
                return self.cache_read
            case "cache_write":
                return self.cache_write
            case "calls":
                return self.calls
            case "cache_hit":
                return self.cache_hit
        raise ValueError(f"unknown measure {name!r}")


def sum_totals(items: list[Totals]) -> Totals:
    """Sum a list of totals (``sum()`` needs a start value; this keeps call sites short)."""
    result = Totals()
    for item in items:
        result = result + item
    return result
