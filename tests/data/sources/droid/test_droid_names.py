"""Droid's model names and counts, rule by rule."""

from __future__ import annotations

from datetime import UTC, datetime

from tokentree.data.sources.droid.settings import counts, normalise_model
from tokentree.data.sources.droid.transcript import parse_time


def test_model_names() -> None:
    assert normalise_model("custom:Claude-Opus-4.5-Thinking-[Anthropic]-0") == (
        "claude-opus-4.5-thinking"
    )
    assert normalise_model("Claude-Sonnet-4-[Anthropic]") == "claude-sonnet-4"
    assert normalise_model("Claude Opus 4.5 Thinking") == "claude-opus-4.5-thinking"
    assert normalise_model("gemini-2.5-pro") == "gemini-2.5-pro"
    assert normalise_model("   ") is None and normalise_model(None) is None


def test_counts() -> None:
    base = {"inputTokens": 100, "outputTokens": 50, "cacheCreationTokens": 20,
            "cacheReadTokens": 10, "thinkingTokens": 5}  # fmt: skip
    assert counts(base) == {"input": 100, "output": 55, "cache_read": 10, "cache_write_5m": 20,
                            "reasoning": 5}  # fmt: skip
    assert counts({**base, "totalTokens": 185})["output"] == 55  # the total agrees
    assert counts({**base, "totalTokens": 180})["output"] == 50  # thinking inside the output
    inside = counts({**base, "totalTokens": 155})  # input + output + thinking: cache inside
    assert (inside["input"], inside["output"]) == (70, 55)
    assert counts({"totalTokens": 456})["output"] == 456  # a total only (as ccusage)
    assert counts({"inputTokens": 0}) is None
    assert counts({"inputTokens": "12", "outputTokens": True}) is None  # not numbers


def test_times() -> None:
    june = datetime(2026, 6, 10, 9, 2, 10, tzinfo=UTC)
    assert parse_time("2026-06-10T09:02:10.000Z") == june
    assert parse_time("2026-06-10T11:02:10+02:00") == june
    assert parse_time(1781082130000) == june == parse_time(1781082130)  # ms or s
    # a zero or pre-epoch lock dates nothing (the conversation or the file's time does)
    assert parse_time(0) is None and parse_time(-1) is None
    assert parse_time("0001-01-01T00:00:00Z") is None and parse_time("1970-01-01T00:00:00Z") is None
    assert parse_time(True) is None and parse_time("yesterday") is None and parse_time("") is None
