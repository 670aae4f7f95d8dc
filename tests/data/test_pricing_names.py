"""Pricing lookup: how the names coding assistants log map onto the bundled table.

Every normalisation rule of ``tokentree.data.pricing.prices.normalised_names`` has a case
here, and so does every name that must stay unpriced (a wrong price is worse than none).
"""

from __future__ import annotations

import pytest

from tokentree.data.pricing.prices import (
    LongContextRule,
    ModelPrice,
    PriceTable,
    Rates,
    qualified_model,
)

TABLE = PriceTable.bundled(rule=LongContextRule.REQUEST)
M = 1_000_000  # 1 USD per million tokens = 1e6 pUSD per token


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        # OpenCode providerID + modelID, OpenRouter and Copilot spellings of Claude
        ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("openrouter/anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("openrouter/anthropic/claude-sonnet-4.5:beta", "claude-sonnet-4-5"),
        ("github-copilot/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("claude-haiku-4.5", "claude-haiku-4-5"),
        ("claude-opus-4.1", "claude-opus-4-1-20250805"),
        ("claude-opus-41", "claude-opus-4-1-20250805"),  # Copilot's glued version
        ("claude-3.5-haiku", "claude-3-5-haiku-20241022"),
        ("claude-sonnet-4-5-thinking", "claude-sonnet-4-5"),  # Antigravity
        ("claude-opus-4.6-fast", "claude-opus-4-6"),
        # Vertex AI and Bedrock ids
        ("google-vertex-anthropic/claude-opus-4-5@20251101", "claude-opus-4-5-20251101"),
        ("amazon-bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929"),
        (
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "claude-sonnet-4-5-20250929",
        ),
        ("publishers/anthropic/models/claude-haiku-4-5@20251001", "claude-haiku-4-5-20251001"),
        # OpenAI
        ("openai/gpt-5", "gpt-5"),
        ("openrouter/openai/gpt-5.1-codex", "gpt-5.1-codex"),
        ("gpt-5.1-codex-2025-11-13", "gpt-5.1-codex"),  # dated snapshot of the same model
        ("gpt-5.1-codex-max", "gpt-5.1-codex-max"),
        ("gpt-4.1-2025-04-14", "gpt-4.1-2025-04-14"),
        # Gemini: vendor namespaces, API and Vertex resource names, Gemini CLI suffixes
        ("google/gemini-2.5-pro", "gemini-2.5-pro"),
        ("models/gemini-2.5-pro", "gemini-2.5-pro"),
        ("vertex_ai/gemini-3-pro-preview", "gemini-3-pro-preview"),
        ("google-vertex/gemini-2.5-flash", "gemini-2.5-flash"),
        (
            "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash",
            "gemini-2.5-flash",
        ),
        ("gemini-3.1-pro-preview-customtools", "gemini-3.1-pro-preview-customtools"),  # exact
        ("gemini-3-pro-preview-customtools", "gemini-3-pro-preview"),
        ("gemini-3-pro-high", "gemini-3-pro-preview"),
        ("gemini-3-pro-low", "gemini-3-pro-preview"),
        ("gemini-3-flash", "gemini-3-flash-preview"),
        ("google/gemma-4-31b-it", "gemma-4-31b-it"),
        # open-weight and hosted families, as OpenRouter and OpenCode spell them
        ("openrouter/x-ai/grok-code-fast-1", "grok-code-fast-1"),
        ("xai/grok-4.5", "grok-4.5"),
        ("openrouter/moonshotai/kimi-k2.5", "kimi-k2.5"),
        ("moonshot/kimi-k2.6", "kimi-k2.6"),
        ("openrouter/z-ai/glm-4.6", "glm-4.6"),
        ("zai/glm-4.7", "glm-4.7"),
        ("zai-coding-plan/glm-4.6", "glm-4.6"),
        ("openrouter/deepseek/deepseek-chat", "deepseek-chat"),
        ("openrouter/mistralai/devstral-medium-latest", "devstral-medium-latest"),
        ("mistral/codestral-latest", "codestral-latest"),
        ("alibaba/qwen3.5-plus", "qwen3.5-plus"),
        ("openrouter/minimax/minimax-m2", "MiniMax-M2"),  # case-insensitive
        ("minimax-m2.5", "MiniMax-M2.5"),
        # resellers at list price and subscription logins (Kilo, pi, OpenClaw)
        ("kilo/anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"),
        ("vercel-ai-gateway/openai/gpt-5.4", "gpt-5.4"),
        ("openai-codex/gpt-5.4", "gpt-5.4"),
        ("google-gemini-cli/gemini-2.5-pro", "gemini-2.5-pro"),
        ("google-antigravity/claude-sonnet-4-5-thinking", "claude-sonnet-4-5"),
    ],
)
def test_logged_names_resolve_to_their_model(name: str, canonical: str) -> None:
    price = TABLE.lookup(name)
    assert price is not None and price.model == canonical


@pytest.mark.parametrize(
    "name",
    [
        "mistral/claude-opus-4-6",  # a vendor namespace only in front of its own models
        "openai/claude-sonnet-4-5",
        "z-ai/gemini-2.5-pro",
        "opencode/claude-sonnet-4-5",  # OpenCode Zen: its own prices and free promotions
        "azure/gpt-5",  # regional deployments cost more
        "together_ai/moonshotai/Kimi-K2-Instruct",  # another host's price
        "openrouter/anthropic/claude-sonnet-4.5:free",  # ":free" is $0 only if LiteLLM says so
        "openrouter/anthropic/claude-sonnet-4.5:nitro",
        "openrouter/openai/gpt-5:online",
        "ollama/qwen3-coder:30b",
        "kilo/anthropic/claude-sonnet-4.5:free",  # a free variant is $0 only if LiteLLM says so
        "groq/llama-3.3-70b-versatile",  # another host's price
        "minimax-cn/MiniMax-M2.5",  # MiniMax's China platform bills in yuan
        "gemini-2.5-pro-preview-05-06",  # LiteLLM no longer lists it; a preview is not GA
        "gemini-3-pro",
        "claude-3.7-sonnet",  # two dated 3.7 Sonnet entries: ambiguous
        "claude-opus-4.6x",
        "gpt-5.3-codex-spark",  # ChatGPT-only, no API price
        "qwen3-coder-plus",  # four request-size price tiers
        "deepseek-v4-pro",  # time-of-day prices
        "claude-sonnet-latest",  # a moving alias
        "custom:my-model",
    ],
)
def test_ambiguous_or_unknown_names_stay_unpriced(name: str) -> None:
    assert TABLE.lookup(name) is None
    assert (
        TABLE.call_cost_pusd(
            name, input=1000, output=0, cache_read=0, cache_write_5m=0, cache_write_1h=0
        )
        is None
    )


def test_a_vendors_free_model_is_not_free_through_a_reseller() -> None:
    # LiteLLM lists Gemma on Google AI Studio at $0; OpenRouter's hosts charge for it.
    gemma = TABLE.lookup("gemma-4-31b-it")
    assert gemma is not None and gemma.is_free()
    assert TABLE.lookup("google/gemma-4-31b-it") == gemma
    assert TABLE.lookup("openrouter/google/gemma-4-31b-it") is None
    assert TABLE.lookup("glm-4.7-flash") is not None
    assert TABLE.lookup("openrouter/z-ai/glm-4.7-flash") is None
    # a price the user sets wins, $0 included
    table = PriceTable.bundled({"gemma-4-31b-it": {"input": 0, "output": 0}})
    assert table.lookup("openrouter/google/gemma-4-31b-it").source == "override"


def test_overrides_use_the_same_normalisation() -> None:
    table = PriceTable.bundled({"glm-4.6": {"input": 1, "output": 2}})
    for name in ("glm-4.6", "openrouter/z-ai/glm-4.6", "zai/glm-4.6"):
        assert table.lookup(name).source == "override"
    table = PriceTable.bundled({"qwen3-coder-plus": {"input": 1, "output": 5}})
    assert table.lookup("alibaba/qwen3-coder-plus").base.output == 5 * M


@pytest.mark.parametrize(
    ("provider", "model", "qualified"),
    [
        ("anthropic", "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("openrouter", "anthropic/claude-sonnet-4.5", "openrouter/anthropic/claude-sonnet-4.5"),
        ("google", "google/gemini-2.5-pro", "google/gemini-2.5-pro"),
        (None, "gpt-5", "gpt-5"),
        ("", "gpt-5", "gpt-5"),
    ],
)
def test_qualified_model(provider: str | None, model: str, qualified: str) -> None:
    assert qualified_model(provider, model) == qualified


def _flat(model: str, usd_in: int) -> ModelPrice:
    return ModelPrice(
        model, Rates(usd_in * M, usd_in * M, usd_in * M, usd_in * M, usd_in * M), None
    )


def test_case_insensitive_match_only_when_unambiguous() -> None:
    table = PriceTable(
        {"Model-A": _flat("Model-A", 1), "ab-1": _flat("ab-1", 2), "AB-1": _flat("AB-1", 3)}
    )
    assert table.lookup("MODEL-a").model == "Model-A"
    assert table.lookup("ab-1").model == "ab-1"  # an exact spelling first
    assert table.lookup("AB-1").model == "AB-1"
    assert table.lookup("Ab-1") is None  # two keys share this spelling: neither is meant


def _cost(name: str, **tokens: int) -> int | None:
    counts = {"input": 0, "output": 0, "cache_read": 0, "cache_write_5m": 0, "cache_write_1h": 0}
    return TABLE.call_cost_pusd(name, **{**counts, **tokens})


def test_xai_long_context_applies_from_the_threshold_itself() -> None:
    # grok-code-fast-1: $1 / $2 per MTok, $2 / $4 from 200k prompt tokens on (LiteLLM: >=)
    assert _cost("grok-code-fast-1", input=199_999, output=10) == 199_999 * M + 10 * 2 * M
    assert _cost("grok-code-fast-1", input=200_000, output=10) == 200_000 * 2 * M + 10 * 4 * M
    assert TABLE.lookup("grok-code-fast-1").threshold == 199_999


def test_alibaba_two_tier_table_is_a_request_threshold() -> None:
    # qwen3.5-plus: $0.40 / $2.40 up to 256k prompt tokens, $0.50 / $3.00 above (per request)
    price = TABLE.lookup("qwen3.5-plus")
    assert price.threshold == 256_000
    assert _cost("qwen3.5-plus", input=256_000, output=1000) == 256_000 * 400_000 + 1000 * 2_400_000
    assert _cost("qwen3.5-plus", input=256_001, output=1000) == 256_001 * 500_000 + 1000 * 3 * M
