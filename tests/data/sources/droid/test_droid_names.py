"""Droid's model names and counts, rule by rule."""

from __future__ import annotations

from tokentree.data.sources.droid.settings import counts, normalise_model


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
