"""Human units, money, bars and glyph detection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tokentree.model import format as fmt
from tokentree.model.usage import PICO, UNITS_PER_USD, Totals


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.0k"),
        (12_345, "12.3k"),
        (99_949, "99.9k"),
        (99_950, "100k"),
        (456_000, "456k"),
        (999_499, "999k"),
        (999_600, "1.0M"),
        (1_234_567, "1.2M"),
        (7_997_416, "8.0M"),
        (2_500_000_000, "2.5B"),
        (-1500, "-1.5k"),
    ],
)
def test_human_count(value: int, text: str) -> None:
    assert fmt.human_count(value) == text


def test_tokens_has_unit() -> None:
    assert fmt.tokens(1_234_567) == "1.2M tok"


@pytest.mark.parametrize(
    ("usd", "text"),
    [
        (0, "$0.00"),
        (3.41, "$3.41"),
        (1234.5, "$1,234.50"),
        (0.0031, "$0.0031"),
        (0.00999, "$0.01"),
        (0.00001, "<$0.0001"),
    ],
)
def test_usd(usd: float, text: str) -> None:
    assert fmt.usd(usd) == text


def test_cost_marks_unpriced_calls_never_zero() -> None:
    units = round(1.2 * UNITS_PER_USD)
    priced = Totals(cost_pusd=round(1.2 * PICO), calls=3, cost_units=units)
    partly = Totals(cost_pusd=round(1.2 * PICO), calls=3, unpriced_calls=1, cost_units=units)
    none = Totals(cost_pusd=0, calls=2, unpriced_calls=2)
    assert fmt.cost(priced) == "$1.20"
    assert fmt.cost(partly) == "$1.20+?"
    assert fmt.cost(none) == "unpriced"


def test_percent_and_ratio() -> None:
    assert fmt.percent(0.123) == " 12.3%"
    assert fmt.percent(1.0) == "100.0%"
    assert fmt.ratio(0.869) == "87%"


def test_bar_unicode_uses_eighths() -> None:
    assert fmt.bar(1.0, 4) == "████"
    assert fmt.bar(0.5, 4) == "██"
    assert fmt.bar(0.5625, 4) == "██▎"  # 18 eighths = 2 full + 2/8
    assert fmt.bar(0.0, 4) == ""
    assert fmt.bar(0.0001, 4) == "▏"  # a sliver, never empty for a non-zero value
    assert fmt.bar(3.0, 2) == "██"  # clamped


def test_bar_ascii() -> None:
    assert fmt.bar(0.5, 10, "ascii") == "#####"
    assert fmt.bar(0.01, 10, "ascii") == "#"
    assert fmt.bar(1.0, 3, "ascii") == "###"


def test_stacked_largest_remainder() -> None:
    parts = [("a", 1.0), ("b", 1.0), ("c", 1.0)]
    cells = fmt.stacked(parts, 10)
    assert sum(n for _, n in cells) == 10
    assert [name for name, _ in cells] == ["a", "b", "c"]
    assert fmt.stacked([("a", 0.0)], 5) == []
    assert fmt.stacked([("a", 99.0), ("b", 1.0)], 4) == [("a", 4)]


@pytest.mark.parametrize(
    ("setting", "env", "encoding", "expected"),
    [
        ("ascii", {"LANG": "en_US.UTF-8"}, "utf-8", "ascii"),
        ("unicode", {"TERM": "linux"}, "ascii", "unicode"),
        ("auto", {"TERM": "linux", "LANG": "en_US.UTF-8"}, "utf-8", "ascii"),
        ("auto", {"TERM": "xterm-256color", "LANG": "C"}, "utf-8", "ascii"),
        ("auto", {"TERM": "xterm-256color", "LC_ALL": "de_DE.utf8"}, "ascii", "unicode"),
        ("auto", {"TERM": "tmux-256color"}, "utf-8", "unicode"),
        ("auto", {}, "ANSI_X3.4-1968", "ascii"),
    ],
)
def test_detect_bar_style(setting: str, env: dict[str, str], encoding: str, expected: str) -> None:
    assert fmt.detect_bar_style(setting, env, encoding) == expected


def test_date_range_and_plural() -> None:
    start = datetime(2026, 10, 31, 8, tzinfo=UTC)
    end = datetime(2026, 11, 20, 23, tzinfo=UTC)
    assert fmt.date_range(start, end) == "2026-10-31 → 2026-11-20"
    assert fmt.date_range(start, start) == "2026-10-31"
    assert fmt.date_range(None, None) == "no data"
    assert fmt.plural(1, "call") == "1 call"
    assert fmt.plural(12_000, "call") == "12.0k calls"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (59.9, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600 + 5 * 60, "1 h 05 min"),
        (47 * 3600 + 59 * 60 + 59, "47 h 59 min"),
        (52 * 3600, "2 d 4 h"),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert fmt.duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "0s"),
        (45, "45s"),
        (60, "1m"),
        (719, "11m"),
        (3600, "1h00m"),
        (8880, "2h28m"),
        (48 * 3600, "2d0h"),
        (76 * 3600, "3d4h"),
    ],
)
def test_short_duration(seconds: float, text: str) -> None:
    assert fmt.short_duration(seconds) == text
