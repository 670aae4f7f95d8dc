"""The price table generator's families: which LiteLLM entries are kept, from which provider,
and what happens to prices tokentree cannot reproduce exactly.

Synthetic LiteLLM documents check each rule; when LiteLLM's real price json is at hand
(``TOKENTREE_LITELLM_JSON``), the bundled table is checked against it field by field.
"""

from __future__ import annotations

import importlib.util
import json
import os
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tokentree.data.pricing.prices import PriceTable, bundled_document

REPO = Path(__file__).resolve().parents[2]
LITELLM_JSON = Path(
    os.environ.get(
        "TOKENTREE_LITELLM_JSON", "/tmp/litellm/litellm/model_prices_and_context_window_backup.json"
    )
)


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update_prices = load_script("update_prices")


def chat(provider: str, usd_in: float, usd_out: float, **extra: Any) -> dict[str, Any]:
    """A LiteLLM chat entry priced in USD per million tokens (extra fields verbatim)."""
    return {
        "litellm_provider": provider,
        "mode": "chat",
        "input_cost_per_token": usd_in / 1e6,
        "output_cost_per_token": usd_out / 1e6,
        **extra,
    }


def convert(document: dict[str, Any]) -> tuple[dict[str, dict], dict[str, str]]:
    return update_prices.convert(document)


def test_first_party_provider_and_preference_order() -> None:
    models, _ = convert(
        {
            "gemini-9-pro": chat("vertex_ai-language-models", 9, 9),
            "gemini/gemini-9-pro": chat("gemini", 2, 12),
            "vertex_ai/gemini-9-pro": chat("vertex_ai", 8, 8),
            "vertex_ai/gemini-9-flash": chat("vertex_ai", 0.5, 3),
            "deepseek-v9": chat("deepseek", 7, 7),
            "deepseek/deepseek-v9": chat("deepseek", 0.28, 0.42),
            "bigmodel/glm-9": chat("bigmodel", 5, 5),
            "zai/glm-9": chat("zai", 1, 3.2),
            "bigmodel/glm-9-flashx": chat("bigmodel", 0.3, 1),
            "qwencloud/qwen9-max": chat("qwencloud", 9, 9),
            "dashscope/qwen9-max": chat("dashscope", 2, 6),
            "moonshot/kimi-k9": chat("moonshot", 0.6, 3),
            "xai/grok-9": chat("xai", 2, 6),
            "mistral/devstral-9": chat("mistral", 0.4, 2),
            "minimax/MiniMax-M9": chat("minimax", 0.3, 1.2),
            "gpt-9-codex": chat("openai", 1.25, 10),
        }
    )
    picked = {name: (record["provider"], record["input"] * 1e6) for name, record in models.items()}
    assert picked == {
        "gemini-9-pro": ("gemini", 2),  # AI Studio before Vertex AI
        "gemini-9-flash": ("vertex_ai", 0.5),  # Vertex AI when AI Studio does not list it
        "deepseek-v9": ("deepseek", 0.28),  # "deepseek/" key before the bare one
        "glm-9": ("zai", 1),  # Z.ai before BigModel
        "glm-9-flashx": ("bigmodel", 0.3),
        "qwen9-max": ("dashscope", 2),  # DashScope first
        "kimi-k9": ("moonshot", 0.6),
        "grok-9": ("xai", 2),
        "devstral-9": ("mistral", 0.4),
        "MiniMax-M9": ("minimax", 0.3),
        "gpt-9-codex": ("openai", 1.25),
    }


def test_only_each_familys_own_models_and_text_chat_entries() -> None:
    models, _ = convert(
        {
            "dashscope/glm-9": chat("dashscope", 1, 1),  # a host of another vendor's model
            "together_ai/moonshotai/kimi-k9": chat("together_ai", 1, 1),
            "azure/gpt-9": chat("azure", 1, 1),
            "gemini/gemini-9-pro-preview-tts": chat("gemini", 1, 20),
            "gemini/gemini-9-flash-image": {**chat("gemini", 1, 1), "mode": "image_generation"},
            "gpt-9-realtime": chat("openai", 4, 16),
            "gpt-3.5-turbo": chat("openai", 0.5, 1.5),
            "mistral/mistral-embed-9": chat("mistral", 0.1, 0),
            "claude-sonnet-latest": {"alias_of": "claude-sonnet-9"},  # no prices, no mode
        }
    )
    assert models == {}


def test_excluded_entries_are_listed_and_not_replaced_by_another_source() -> None:
    tiers4 = [
        {"input_cost_per_token": 1e-6 * (i + 1), "output_cost_per_token": 5e-6, "range": r}
        for i, r in enumerate([[0, 32e3], [32e3, 128e3], [128e3, 256e3], [256e3, 1e6]])
    ]
    models, excluded = convert(
        {
            "deepseek/deepseek-v9": chat(
                "deepseek", 1.32, 3.96, off_peak_pricing={"input_cost_per_token": 6.6e-7}
            ),
            "deepseek-v9": chat("deepseek", 1.32, 3.96),  # lower-ranked source: not used
            "dashscope/qwen9-coder": {"litellm_provider": "dashscope", "mode": "chat"}
            | {"tiered_pricing": tiers4},
            "qwencloud/qwen9-coder": chat("qwencloud", 1, 5),
            "dashscope/qwen9-turbo": chat(
                "dashscope", 0.05, 0.2, output_cost_per_reasoning_token=5e-7
            ),
            "dashscope/qwen9-flash": {"litellm_provider": "dashscope", "mode": "chat"},
            "xai/grok-9": chat(
                "xai",
                2,
                6,
                input_cost_per_token_above_128k_tokens=3e-6,
                input_cost_per_token_above_200k_tokens=4e-6,
            ),
        }
    )
    assert models == {}
    assert excluded == {
        "deepseek-v9": "deepseek/deepseek-v9: time-of-day prices (off_peak_pricing)",
        "qwen9-coder": "dashscope/qwen9-coder: 4 request-size price tiers (at most 2 supported)",
        "qwen9-turbo": "dashscope/qwen9-turbo: reasoning tokens priced apart from output",
        "qwen9-flash": "dashscope/qwen9-flash: no per-token price",
        "grok-9": "xai/grok-9: several long-context thresholds [128000, 200000]",
    }


def test_two_tier_table_becomes_base_plus_long_context() -> None:
    entry = {
        "litellm_provider": "dashscope",
        "mode": "chat",
        "tiered_pricing": [
            {
                "input_cost_per_token": 5e-7,
                "output_cost_per_token": 3e-6,
                "cache_read_input_token_cost": 5e-8,
                "range": [256e3, 1e6],
            },
            {"input_cost_per_token": 4e-7, "output_cost_per_token": 2.4e-6, "range": [0, 256e3]},
        ],
    }
    models, _ = convert({"dashscope/qwen9-plus": entry})
    record = models["qwen9-plus"]
    # each tier's missing cache prices are that tier's input (LiteLLM's tiered rule)
    assert {k: record[k] for k in ("input", "output", "cache_read", "cache_write_5m")} == {
        "input": 4e-7,
        "output": 2.4e-6,
        "cache_read": 4e-7,
        "cache_write_5m": 4e-7,
    }
    assert record["long_context"] == {
        "input": 5e-7,
        "output": 3e-6,
        "cache_read": 5e-8,
        "cache_write_5m": 5e-7,
        "cache_write_1h": 5e-7,
        "threshold": 256_000,
    }


def test_long_context_defaults_follow_litellm_outside_anthropic() -> None:
    models, _ = convert(
        {
            "xai/grok-9": chat(
                "xai",
                1,
                2,
                cache_read_input_token_cost=2e-7,
                input_cost_per_token_above_200k_tokens=2e-6,
            ),
        }
    )
    tier = models["grok-9"]["long_context"]
    # LiteLLM keeps a base cache read it was given and bills a missing write as the tier input
    assert (tier["cache_read"], tier["cache_write_5m"], tier["output"]) == (2e-7, 2e-6, 2e-6)
    assert tier["inclusive"] is True and tier["threshold"] == 200_000


def test_names_differing_only_in_case_are_rejected() -> None:
    with pytest.raises(ValueError, match="differ only in case"):
        convert(
            {
                "minimax/MiniMax-M9": chat("minimax", 1, 1),
                "minimax/minimax-m9": chat("minimax", 1, 1),
            }
        )


def test_header_lists_what_is_excluded() -> None:
    header = bundled_document()["header"]
    assert header["schema"] == 2
    assert set(header["excluded"]).isdisjoint(bundled_document()["models"])
    assert all(": " in reason for reason in header["excluded"].values())


# Names the assistants of issues 7 and 11 log, that LiteLLM prices at a first-party provider.
ASSISTANT_MODELS = [
    "gpt-4o",
    "gpt-4.1",
    "gpt-5",
    "gpt-5-codex",
    "gpt-5.1-codex-max",
    "gpt-5.1-codex-mini",
    "gpt-5.2-codex",
    "gpt-5.3-codex",
    "o3",
    "o4-mini",
    "gemini-2.0-flash",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.5-flash-preview-09-2025",
    "gemini-3-pro-preview",
    "gemini-3-flash-preview",
    "gemini-3.1-pro-preview",
    "gemma-4-31b-it",
    "grok-code-fast-1",
    "grok-4.5",
    "deepseek-chat",
    "deepseek-reasoner",
    "kimi-k2.5",
    "kimi-k2.6",
    "glm-4.5",
    "glm-4.6",
    "glm-4.7",
    "glm-5",
    "qwen3.5-plus",
    "devstral-latest",
    "codestral-latest",
    "MiniMax-M2",
    "MiniMax-M2.5",
]


@pytest.mark.parametrize("model", ASSISTANT_MODELS)
def test_bundled_table_prices_the_assistants_models(model: str) -> None:
    price = PriceTable.bundled().lookup(model)
    assert price is not None and price.model == model


def litellm_document() -> dict[str, Any]:
    if not LITELLM_JSON.exists():
        pytest.skip("LiteLLM snapshot not available (set TOKENTREE_LITELLM_JSON)")
    return json.loads(LITELLM_JSON.read_bytes())


def test_every_bundled_price_is_litellms_own() -> None:
    """Each rate LiteLLM states for a kept entry is stored unchanged (derived rates aside)."""
    data = litellm_document()
    fields = {
        "input": "input_cost_per_token",
        "output": "output_cost_per_token",
        "cache_write_5m": "cache_creation_input_token_cost",
        "cache_write_1h": "cache_creation_input_token_cost_above_1hr",
        "cache_read": "cache_read_input_token_cost",
    }
    checked = 0
    for name, record in bundled_document()["models"].items():
        entry = data[record.get("litellm_key", name)]
        assert entry["litellm_provider"] == record["provider"]
        if "tiered_pricing" in entry and "input_cost_per_token" not in entry:
            entry = min(entry["tiered_pricing"], key=lambda tier: tier["range"][0])
        tier = record.get("long_context")
        above = f"_above_{tier['threshold'] // 1000}k_tokens" if tier else None
        for rate, field in fields.items():
            if field in entry:
                assert Decimal(str(record[rate])) == Decimal(str(entry[field])), (name, rate)
                checked += 1
            else:
                assert rate in record.get("derived", []), (name, rate)
            if above and field + above in entry:
                assert Decimal(str(tier[rate])) == Decimal(str(entry[field + above])), (name, rate)
                checked += 1
    assert checked > 900


def test_every_first_party_chat_model_of_a_family_is_priced_or_excluded() -> None:
    data = litellm_document()
    header = bundled_document()["header"]
    table = PriceTable.bundled()
    missing = []
    for family in update_prices.FAMILIES:
        for provider, prefix in family.sources:
            for key, entry in data.items():
                if not isinstance(entry, dict) or entry.get("litellm_provider") != provider:
                    continue
                bare = key[len(prefix) :] if key.startswith(prefix) else None
                if bare is None or "/" in bare or entry.get("mode") not in ("chat", "responses"):
                    continue
                if not family.names.match(bare) or (family.skip and family.skip.search(bare)):
                    continue
                if table.lookup(bare) is None and bare not in header["excluded"]:
                    missing.append(key)
    assert missing == []
