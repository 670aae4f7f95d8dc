"""Pricing: exact pUSD costs, lookup normalisation, overrides, SQL == Python, the generator."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import re
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokentree.data.pricing.prices import (
    RATE_COLUMNS,
    LongContextRule,
    ModelPrice,
    PriceTable,
    Rates,
    bundled_document,
    parse_override,
    price_macros_sql,
    rate_table_ddl,
    usd_to_pusd,
)

REPO = Path(__file__).resolve().parents[2]
PRICES_JSON = REPO / "tokentree" / "data" / "pricing" / "prices.json"
# LiteLLM's price json (unzipped from the litellm wheel) for the tests that compare against it;
# they are skipped when it is absent. TOKENTREE_LITELLM_JSON points elsewhere.
LITELLM_JSON = Path(
    os.environ.get(
        "TOKENTREE_LITELLM_JSON", "/tmp/litellm/litellm/model_prices_and_context_window_backup.json"
    )
)
M = 1_000_000  # 1 USD per million tokens = 1e6 pUSD per token

REQUEST = PriceTable.bundled(rule=LongContextRule.REQUEST)
PER_TYPE = PriceTable.bundled(rule=LongContextRule.PER_TYPE)


def cost(
    table: PriceTable, model: str | None, speed: str | None = None, **tokens: int
) -> int | None:
    counts = {"input": 0, "output": 0, "cache_read": 0, "cache_write_5m": 0, "cache_write_1h": 0}
    return table.call_cost_pusd(model, **{**counts, **tokens}, speed=speed)


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update_prices = load_script("update_prices")


# --------------------------------------------------------------------------- hand-computed

# Published USD per MTok: input, output, 5m write, 1h write (2x input), cache read.
PUBLISHED = {
    "claude-sonnet-4-5-20250929": (3, 15, 3.75, 6, 0.30),
    "claude-sonnet-4-6": (3, 15, 3.75, 6, 0.30),
    "claude-opus-4-5-20251101": (5, 25, 6.25, 10, 0.50),
    "claude-opus-4-6": (5, 25, 6.25, 10, 0.50),
    "claude-opus-4-1-20250805": (15, 75, 18.75, 30, 1.50),
    "claude-haiku-4-5-20251001": (1, 5, 1.25, 2, 0.10),
}


@pytest.mark.parametrize("model", PUBLISHED)
def test_bundled_rates_match_published_prices(model: str) -> None:
    price = REQUEST.lookup(model)
    assert price is not None
    expected = Rates(*(round(Decimal(str(usd)) * M) for usd in PUBLISHED[model]))
    assert price.base == expected


def test_simple_call_costs_are_exact() -> None:
    # sonnet 4.5: 1000 in * $3 + 2000 out * $15 + 10k read * $0.30 + 3000 5m * $3.75
    #             + 4000 1h * $6, per MTok = $0.003 + $0.03 + $0.003 + $0.01125 + $0.024
    tokens = dict(
        input=1000, output=2000, cache_read=10_000, cache_write_5m=3000, cache_write_1h=4000
    )
    assert cost(REQUEST, "claude-sonnet-4-5-20250929", **tokens) == 71_250_000_000
    # opus 4.1: 1 token of each kind = 15 + 75 + 1.5 + 18.75 + 30 = $140.25 per MTok
    ones = dict(input=1, output=1, cache_read=1, cache_write_5m=1, cache_write_1h=1)
    assert cost(REQUEST, "claude-opus-4-1-20250805", **ones) == 140_250_000
    # haiku 4.5: 1M output tokens = exactly $5
    assert cost(REQUEST, "claude-haiku-4-5-20251001", output=1_000_000) == 5 * 10**12
    assert cost(REQUEST, "claude-opus-4-5-20251101", cache_read=3) == 1_500_000
    assert cost(REQUEST, "claude-opus-4-6") == 0  # a priced call with no tokens costs 0


def test_usd_to_pusd_is_exact() -> None:
    assert usd_to_pusd(3.75e-06) == 3_750_000
    assert usd_to_pusd(1e-08) == 10_000
    assert usd_to_pusd(0.000168) == 168_000_000


# --------------------------------------------------------------------------- long context

SONNET_4 = "claude-sonnet-4-20250514"  # tiered: $3/$15/$3.75/$6/$0.30 -> $6/$22.50/$7.50/$12/$0.60


def test_long_context_request_vs_per_type() -> None:
    tokens = dict(input=10, cache_read=150_000, cache_write_5m=100_000)
    # REQUEST: prompt side 250,010 > 200k, so every kind at long-context rates
    assert cost(REQUEST, SONNET_4, **tokens) == 10 * 6 * M + 150_000 * 0.6 * M + 100_000 * 7.5 * M
    # PER_TYPE: no single kind exceeds 200k, so nothing is tiered
    assert cost(PER_TYPE, SONNET_4, **tokens) == 10 * 3 * M + 150_000 * 0.3 * M + 100_000 * 3.75 * M


def test_request_rule_prices_output_at_long_context_rate_too() -> None:
    assert cost(REQUEST, SONNET_4, input=200_001, output=1000) == 200_001 * 6 * M + 1000 * 22.5 * M
    assert cost(PER_TYPE, SONNET_4, input=200_001, output=1000) == (
        200_000 * 3 * M + 1 * 6 * M + 1000 * 15 * M
    )


def test_threshold_is_strictly_greater_than() -> None:
    at = dict(input=100_000, cache_read=50_000, cache_write_1h=50_000)  # exactly 200,000
    assert cost(REQUEST, SONNET_4, **at) == 100_000 * 3 * M + 50_000 * 0.3 * M + 50_000 * 6 * M


def test_per_type_tiers_each_kind_separately() -> None:
    assert cost(PER_TYPE, SONNET_4, input=250_000) == 200_000 * 3 * M + 50_000 * 6 * M
    # 5m and 1h writes each get their own 200k allowance (measured against ccusage 20.0.24)
    both = dict(cache_write_5m=150_000, cache_write_1h=150_000)
    assert cost(PER_TYPE, SONNET_4, **both) == 150_000 * 3.75 * M + 150_000 * 6 * M
    assert cost(REQUEST, SONNET_4, **both) == 150_000 * 7.5 * M + 150_000 * 12 * M
    assert cost(PER_TYPE, SONNET_4, cache_write_1h=250_000) == 200_000 * 6 * M + 50_000 * 12 * M


def test_model_without_tier_is_flat_under_both_rules() -> None:
    for table in (REQUEST, PER_TYPE):
        assert cost(table, "claude-opus-4-6", input=500_000) == 500_000 * 5 * M


def test_tier_threshold_comes_from_the_table() -> None:
    price = REQUEST.lookup("claude-haiku-5-5")  # LiteLLM prices it "_above_100k_tokens"
    assert price is not None and price.long_context is not None
    assert price.threshold == 100_000
    assert cost(REQUEST, "claude-haiku-5-5", input=100_001) == 100_001 * price.long_context.input


@given(
    st.integers(0, 600_000),
    st.integers(0, 200_000),  # PER_TYPE also tiers output beyond 200k; REQUEST keys on the prompt
    st.integers(0, 600_000),
    st.integers(0, 400_000),
    st.integers(0, 400_000),
)
def test_request_rule_never_cheaper_than_per_type(
    inp: int, out: int, cr: int, w5: int, w1: int
) -> None:
    """With output <= 200k, REQUEST >= PER_TYPE, and they agree below the threshold."""
    tokens = dict(input=inp, output=out, cache_read=cr, cache_write_5m=w5, cache_write_1h=w1)
    request, per_type = cost(REQUEST, SONNET_4, **tokens), cost(PER_TYPE, SONNET_4, **tokens)
    assert request is not None and per_type is not None
    assert request >= per_type
    if inp + cr + w5 + w1 <= 200_000:
        assert request == per_type


# --------------------------------------------------------------------------- fast mode


def test_fast_mode_multipliers() -> None:
    standard = cost(REQUEST, "claude-opus-4-6", input=1000, output=1000)
    assert standard == 1000 * 5 * M + 1000 * 25 * M
    assert cost(REQUEST, "claude-opus-4-6", "fast", input=1000, output=1000) == 6 * standard
    assert cost(REQUEST, "claude-opus-4-6", "standard", input=1000, output=1000) == standard
    assert cost(REQUEST, "claude-opus-4-8", "fast", input=1000) == 2 * 1000 * 5 * M  # LiteLLM: 2x
    assert cost(REQUEST, "claude-sonnet-4-5", "fast", input=1000) == 1000 * 3 * M  # no fast mode


def test_fast_multiplier_sources() -> None:
    models = bundled_document()["models"]
    assert models["claude-opus-4-6"]["fast_multiplier_source"] == "default"
    assert models["claude-opus-4-8"]["fast_multiplier_source"] == "litellm"
    assert "fast_multiplier" not in models["claude-opus-4-5"]
    assert REQUEST.lookup("gpt-5.5").fast_multiplier == 2.5  # OpenAI priority tier


def test_fast_suffix_in_model_name_bakes_in_fast_mode() -> None:
    price = REQUEST.lookup("claude-opus-4-6-fast")
    assert price is not None and price.model == "claude-opus-4-6"
    assert price.base.input == 30 * M and price.fast_multiplier == 1.0
    # speed="fast" on a "-fast" name does not apply the multiplier twice
    assert cost(REQUEST, "claude-opus-4-6-fast", "fast", input=10) == 10 * 30 * M


def test_fast_multiplier_rounds_half_up() -> None:
    table = PriceTable.bundled({"odd": {"input": 0.000001, "output": 0, "fast_multiplier": 2.5}})
    assert cost(table, "odd", input=1) == 1  # 1 pUSD per token
    assert cost(table, "odd", "fast", input=1) == 3  # 2.5 -> 3
    assert cost(table, "odd", "fast", input=3) == 8  # 7.5 -> 8
    assert cost(table, "odd", "fast", input=2) == 5


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize("model", [None, "", "<synthetic>", "claude-sonnet-9", "gpt-9"])
def test_unpriced_models_give_none_never_zero(model: str | None) -> None:
    assert REQUEST.lookup(model) is None
    assert cost(REQUEST, model, input=1000) is None


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("claude-sonnet-4-5-20250929[1m]", "claude-sonnet-4-5-20250929"),
        ("claude-opus-4-6[1m]", "claude-opus-4-6"),
        ("anthropic/claude-opus-4-6", "claude-opus-4-6"),
        ("anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1-20250805"),
        ("us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514"),
        ("eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-3-7-sonnet-20250219"),
        ("apac.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514"),
        ("global.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5-20251001"),
        ("anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022"),
        ("bedrock/us-east-1/us.anthropic.claude-opus-4-20250514-v1:0", "claude-opus-4-20250514"),
        ("vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929"),
        ("claude-opus-4-5@20251101", "claude-opus-4-5-20251101"),
        ("vertex_ai/claude-opus-4-6@default", "claude-opus-4-6"),
        ("openrouter/anthropic/claude-sonnet-4-6", "claude-sonnet-4-6"),
        ("claude-sonnet-4-6-20260301", "claude-sonnet-4-6"),  # dated -> undated
        ("claude-opus-4-1", "claude-opus-4-1-20250805"),  # undated -> unique dated
        ("claude-sonnet-4", "claude-sonnet-4-20250514"),
        ("claude-opus-4", "claude-opus-4-20250514"),
        ("claude-3-5-haiku", "claude-3-5-haiku-20241022"),
        ("openai/gpt-5.4", "gpt-5.4"),
        ("gemini/gemini-2.5-pro", "gemini-2.5-pro"),
    ],
)
def test_normalisation(name: str, canonical: str) -> None:
    price = REQUEST.lookup(name)
    assert price is not None and price.model == canonical


@pytest.mark.parametrize(
    "name",
    [
        "claude-sonnet-9",
        "claude-sonnet",
        "sonnet",
        "claude-opus-4-6x",
        "claude-opus-4-6-2026",
        "claude-3-5-sonnet",  # two dated 3.5 Sonnets: ambiguous, so unpriced
        "gpt-5.4-turbo",
        "mistral/claude-opus-4-6",
    ],
)
def test_no_fuzzy_matching(name: str) -> None:
    assert REQUEST.lookup(name) is None


def test_lookup_is_memoised() -> None:
    table = PriceTable.bundled()
    first = table.lookup("us.anthropic.claude-sonnet-4-20250514-v1:0")
    assert first is table.lookup("us.anthropic.claude-sonnet-4-20250514-v1:0")
    assert "us.anthropic.claude-sonnet-4-20250514-v1:0" in table._memo


REQUIRED = [
    "claude-opus-4-6",
    "claude-opus-4-5-20251101",
    "claude-opus-4-1-20250805",
    "claude-opus-4-20250514",
    "claude-sonnet-4-6",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-20250514",
    "claude-haiku-4-5-20251001",
    "claude-3-7-sonnet-20250219",
    "claude-3-5-haiku-20241022",
]


@pytest.mark.parametrize("model", REQUIRED)
def test_bundled_table_covers_claude_code_models(model: str) -> None:
    price = REQUEST.lookup(model)
    assert price is not None and price.model == model and price.base.input > 0


def test_bundled_table_covers_every_bare_claude_model_litellm_prices() -> None:
    if not LITELLM_JSON.exists():
        pytest.skip("LiteLLM snapshot not available")
    data = json.loads(LITELLM_JSON.read_bytes())
    bare = [
        key
        for key, entry in data.items()
        if key.startswith("claude-")
        and entry.get("litellm_provider") == "anthropic"
        and "input_cost_per_token" in entry
    ]
    assert bare
    assert [key for key in bare if REQUEST.lookup(key) is None] == []


# --------------------------------------------------------------------------- overrides


def test_override_prices_unknown_model_with_anthropic_cache_defaults() -> None:
    table = PriceTable.bundled({"my-model": {"input": 2, "output": 8}})
    price = table.lookup("my-model")
    assert price == ModelPrice(
        "my-model", Rates(2 * M, 8 * M, 2_500_000, 4 * M, 200_000), None, source="override"
    )


def test_override_wins_over_bundled_including_normalised_names() -> None:
    table = PriceTable.bundled({"claude-opus-4-6": {"input": 1, "output": 2, "cache_read": 0}})
    for name in ("claude-opus-4-6", "claude-opus-4-6-20260205", "claude-opus-4-6[1m]"):
        price = table.lookup(name)
        assert price is not None and price.source == "override"
        assert price.base == Rates(1 * M, 2 * M, 1_250_000, 2 * M, 0)
    assert table.lookup("claude-opus-4-5").source == "litellm"


def test_override_long_context_and_fast() -> None:
    price = parse_override(
        "x", {"input": 3, "output": 15, "input_above_200k": 6, "fast_multiplier": 2}
    )
    assert price.long_context == Rates(6 * M, 15 * M, 7_500_000, 12 * M, 600_000)
    assert price.fast_multiplier == 2.0 and price.threshold == 200_000


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"input": 1, "output": 2, "inptu": 3}, "'inptu'"),
        ({"input": -1, "output": 2}, "input"),
        ({"input": "3", "output": 2}, "input"),
        ({"input": True, "output": 2}, "input"),
        ({"input": float("nan"), "output": 2}, "input"),
        ({"input": 1, "output": 2, "cache_read": float("inf")}, "cache_read"),
        ({"input": 1}, "output"),
        ({"input": 1, "output": 2, "fast_multiplier": 0}, "fast_multiplier"),
        ({"input": 1, "output": 2, "fast_multiplier": 1.0000001}, "fast_multiplier"),
    ],
)
def test_invalid_overrides_raise(spec: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        PriceTable.bundled({"my-model": spec})
    assert "my-model" in str(error.value)


def test_override_table_must_be_a_mapping() -> None:
    with pytest.raises(ValueError, match="my-model"):
        PriceTable.bundled({"my-model": 3.0})  # type: ignore[dict-item]


# --------------------------------------------------------------------------- SQL == Python

EDGE_COUNTS = [0, 1, 2, 7, 99_999, 100_000, 100_001, 199_999, 200_000, 200_001, 256_001, 272_001]
OVERRIDES = {
    "odd-rates": {"input": 3.000001, "output": 15.000003, "cache_read": 0.300001},
    "odd-fast": {"input": 0.000001, "output": 0.000003, "fast_multiplier": 2.5},
    "odd-tier": {
        "input": 1.000001,
        "output": 2,
        "input_above_200k": 2.000003,
        "fast_multiplier": 1.5,
    },
}


def random_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.25:
        return 0
    if roll < 0.45:
        return rng.choice(EDGE_COUNTS)
    if roll < 0.8:
        return rng.randint(0, 5_000)
    return rng.randint(0, 1_200_000)


@pytest.mark.parametrize("rule", list(LongContextRule))
def test_sql_macro_equals_python(rule: LongContextRule) -> None:
    table = PriceTable.bundled(OVERRIDES, rule=rule)
    names: list[str | None] = [
        *table.known_models(),
        "claude-opus-4-6-fast",
        "claude-sonnet-4-5-20250929[1m]",
        "us.anthropic.claude-sonnet-4-20250514-v1:0",
        "claude-sonnet-9",
        "<synthetic>",
        None,
        # normalised names of other families, and names that stay unpriced
        "openrouter/anthropic/claude-sonnet-4.5",
        "google/gemini-2.5-pro",
        "grok-code-fast-1",
        "qwen3.5-plus",
        *[f"unpriced-{i}" for i in range(30)],
        "openrouter/google/gemma-4-31b-it",
        "qwen3-coder-plus",
    ]
    rng = random.Random(20260105)
    calls = [
        (
            i,
            rng.choice(names),
            *(random_count(rng) for _ in range(5)),
            rng.choice(["fast", None, "standard"]),
        )
        for i in range(3000)
    ]
    con = duckdb.connect()
    for statement in price_macros_sql().split(";\n"):  # one statement per execute, as the store
        if statement.strip():
            con.execute(statement)
    con.execute(rate_table_ddl())
    placeholders = ", ".join("?" * len(RATE_COLUMNS))
    con.executemany(f"INSERT INTO model_rates VALUES ({placeholders})", table.rate_rows(names))
    con.execute(
        "CREATE TABLE calls (id INTEGER, model VARCHAR, inp BIGINT, outp BIGINT, cr BIGINT,"
        " cw5 BIGINT, cw1 BIGINT, speed VARCHAR)"
    )
    con.executemany("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)", calls)
    sql = con.execute(
        """
        SELECT c.id, call_cost_pusd(c.inp, c.outp, c.cr, c.cw5, c.cw1, c.speed,
            r.in_r, r.out_r, r.cw5_r, r.cw1_r, r.cr_r, r.lc_in_r, r.lc_out_r, r.lc_cw5_r,
            r.lc_cw1_r, r.lc_cr_r, r.threshold, r.fast_mult, r.per_type)
        FROM calls c JOIN model_rates r ON r.model IS NOT DISTINCT FROM c.model
        """
    ).fetchall()
    assert len(sql) == len(calls)
    python = {
        i: table.call_cost_pusd(
            model, input=a, output=b, cache_read=c, cache_write_5m=d, cache_write_1h=e, speed=s
        )
        for i, model, a, b, c, d, e, s in calls
    }
    assert dict(sql) == python
    assert sum(v is None for v in python.values()) > 50  # unpriced calls covered
    assert sum(v is not None for v in python.values()) > 2000
    one_call = (
        "1, 1, 1, 1, 1, NULL, 1, 1, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, 200000, 1.0, false"
    )
    assert con.execute(f"SELECT typeof(call_cost_pusd({one_call}))").fetchone() == ("HUGEINT",)


def test_rate_rows_shape() -> None:
    rows = PER_TYPE.rate_rows(["claude-opus-4-6", "nope", "claude-opus-4-6", None, SONNET_4])
    assert [row[0] for row in rows] == ["claude-opus-4-6", "nope", None, SONNET_4]
    assert all(len(row) == len(RATE_COLUMNS) for row in rows)
    by_name = {row[0]: dict(zip([c for c, _ in RATE_COLUMNS], row, strict=True)) for row in rows}
    assert by_name["nope"]["priced"] is False and by_name["nope"]["in_r"] is None
    assert by_name["claude-opus-4-6"]["fast_mult"] == 6.0
    assert by_name["claude-opus-4-6"]["lc_in_r"] is None  # no tier
    assert by_name[SONNET_4]["lc_out_r"] == 22_500_000 and by_name[SONNET_4]["per_type"] is True


# --------------------------------------------------------------------------- prices.json


def test_prices_json_header() -> None:
    header = bundled_document()["header"]
    assert re.fullmatch(r"[0-9a-f]{64}", header["source"]["sha256"])
    assert header["source"]["file"] == "model_prices_and_context_window_backup.json"
    assert header["source"]["version"] not in ("", "unknown")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", header["generated"])
    assert header["model_count"] == len(bundled_document()["models"])


def test_prices_json_is_compact_and_canonically_formatted() -> None:
    text = PRICES_JSON.read_text(encoding="utf-8")
    assert len(text.encode()) < 200_000
    assert update_prices.render(json.loads(text)) == text


def test_prices_json_matches_the_recorded_litellm_snapshot(tmp_path: Path) -> None:
    if not LITELLM_JSON.exists():
        pytest.skip("LiteLLM snapshot not available")
    raw = LITELLM_JSON.read_bytes()
    header = bundled_document()["header"]
    if hashlib.sha256(raw).hexdigest() != header["source"]["sha256"]:
        pytest.skip("local LiteLLM snapshot is not the one prices.json was built from")
    out = tmp_path / "prices.json"
    args = [str(LITELLM_JSON), "-o", str(out), "--date", header["generated"]]
    assert update_prices.main([*args, "--litellm-version", header["source"]["version"]]) == 0
    assert out.read_bytes() == PRICES_JSON.read_bytes()
    # re-running on the same source with no version/date keeps the file byte for byte
    assert update_prices.main([str(LITELLM_JSON), "-o", str(out)]) == 0
    assert out.read_bytes() == PRICES_JSON.read_bytes()


SYNTHETIC = {
    "sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "anthropic"},
    "claude-sonnet-7": {
        "litellm_provider": "anthropic",
        "mode": "chat",
        "input_cost_per_token": 3e-06,
        "output_cost_per_token": 1.5e-05,
        "cache_creation_input_token_cost": 3.75e-06,
        "cache_read_input_token_cost": 3e-07,
        "input_cost_per_token_above_200k_tokens": 6e-06,
        "output_cost_per_token_above_200k_tokens": 2.25e-05,
        "input_cost_per_token_batches": 1.5e-06,
        "supports_vision": True,
    },
    "claude-opus-7-20270101": {
        "litellm_provider": "anthropic",
        "mode": "chat",
        "input_cost_per_token": 5e-06,
        "output_cost_per_token": 2.5e-05,
        "cache_creation_input_token_cost_above_1hr": 1e-05,
        "provider_specific_entry": {"us": 1.1, "fast": 2.0},
    },
    "anthropic.claude-sonnet-7-v1:0": {  # has a bare entry: ignored
        "litellm_provider": "bedrock_converse",
        "mode": "chat",
        "input_cost_per_token": 9e-06,
        "output_cost_per_token": 9e-05,
    },
    "us.anthropic.claude-haiku-6-20260101-v1:0": {  # no bare entry: kept under the bare name
        "litellm_provider": "bedrock_converse",
        "mode": "chat",
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 5e-06,
    },
    "anthropic.claude-v2:1": {
        "litellm_provider": "bedrock",
        "mode": "chat",
        "input_cost_per_token": 8e-06,
        "output_cost_per_token": 2.4e-05,
    },
    "azure_ai/claude-sonnet-7": {
        "litellm_provider": "azure_ai",
        "mode": "chat",
        "input_cost_per_token": 1.0,
        "output_cost_per_token": 1.0,
    },
    "gpt-5.9": {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 2e-06,
        "output_cost_per_token": 1e-05,
        "cache_read_input_token_cost": 2e-07,
        "input_cost_per_token_priority": 4e-06,
        "output_cost_per_token_priority": 2e-05,
        "cache_read_input_token_cost_priority": 4e-07,
    },
    "gpt-5.9-image": {
        "litellm_provider": "openai",
        "mode": "image_generation",
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 1e-06,
    },
    "gemini-3.9-pro": {
        "litellm_provider": "vertex_ai-language-models",
        "mode": "chat",
        "input_cost_per_token": 9e-06,
        "output_cost_per_token": 9e-06,
    },
    "gemini/gemini-3.9-pro": {
        "litellm_provider": "gemini",
        "mode": "chat",
        "input_cost_per_token": 2e-06,
        "output_cost_per_token": 1.2e-05,
        "cache_read_input_token_cost": 2e-07,
        "input_cost_per_token_above_200k_tokens": 4e-06,
        "output_cost_per_token_above_200k_tokens": 1.8e-05,
        "cache_read_input_token_cost_above_200k_tokens": 4e-07,
    },
}


def test_conversion_of_a_synthetic_litellm_document() -> None:
    models, excluded = update_prices.convert(SYNTHETIC)
    assert excluded == {}
    assert sorted(models) == [
        "claude-haiku-6-20260101",
        "claude-opus-7-20270101",
        "claude-sonnet-7",
        "gemini-3.9-pro",
        "gpt-5.9",
    ]
    assert models["claude-sonnet-7"] == {
        "input": 3e-06,
        "output": 1.5e-05,
        "cache_write_5m": 3.75e-06,
        "cache_write_1h": 6e-06,
        "cache_read": 3e-07,
        "provider": "anthropic",
        "long_context": {
            "input": 6e-06,
            "output": 2.25e-05,
            "cache_write_5m": 7.5e-06,
            "cache_write_1h": 1.2e-05,
            "cache_read": 6e-07,
            "threshold": 200_000,
        },
        "derived": [
            "cache_write_1h",
            "long_context.cache_write_5m",
            "long_context.cache_write_1h",
            "long_context.cache_read",
        ],
    }
    opus = models["claude-opus-7-20270101"]
    assert (opus["fast_multiplier"], opus["fast_multiplier_source"]) == (2.0, "litellm")
    assert (opus["cache_write_5m"], opus["cache_read"]) == (6.25e-06, 5e-07)
    haiku = models["claude-haiku-6-20260101"]
    assert haiku["litellm_key"] == "us.anthropic.claude-haiku-6-20260101-v1:0"
    assert haiku["cache_write_1h"] == 2e-06
    assert models["gpt-5.9"]["fast_multiplier"] == 2.0
    assert models["gpt-5.9"]["cache_write_5m"] == 2e-06  # OpenAI: writes billed as input
    gemini = models["gemini-3.9-pro"]
    assert gemini["litellm_key"] == "gemini/gemini-3.9-pro" and gemini["input"] == 2e-06
    assert gemini["long_context"]["cache_read"] == 4e-07


def test_default_fast_multiplier_for_new_opus_only() -> None:
    entry = {"litellm_provider": "anthropic", "mode": "chat"}
    assert update_prices.fast_multiplier("claude-opus-4-6", "anthropic", entry)[0] == 6
    assert update_prices.fast_multiplier("claude-opus-5", "anthropic", entry)[0] == 6
    assert update_prices.fast_multiplier("claude-opus-4-5", "anthropic", entry) is None
    assert update_prices.fast_multiplier("claude-sonnet-4-6", "anthropic", entry) is None


def test_generate_is_deterministic_and_idempotent(tmp_path: Path) -> None:
    raw = json.dumps(SYNTHETIC).encode()
    out = tmp_path / "prices.json"
    assert update_prices.generate(raw, out, version="9.9.9", date="2026-01-02") is True
    first = out.read_bytes()
    # same source, no version/date given: version and date are kept, nothing changes
    assert update_prices.generate(raw, out) is False
    assert out.read_bytes() == first
    document = json.loads(first)
    assert document["header"]["source"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert document["header"]["source"]["version"] == "9.9.9"
    assert document["header"]["generated"] == "2026-01-02"
    # a changed source gets a new date and an unknown version unless one is given
    changed = json.dumps(
        {**SYNTHETIC, "gpt-5.9": {**SYNTHETIC["gpt-5.9"], "mode": "chat"}, "x": {}}
    )
    assert update_prices.generate(changed.encode(), out, date="2026-02-03") is True
    header = json.loads(out.read_bytes())["header"]
    assert header["generated"] == "2026-02-03" and header["source"]["version"] == "unknown"
