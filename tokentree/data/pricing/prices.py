"""Offline, exact call pricing.

Money is an integer number of **picodollars** (pUSD, 1e-12 USD) everywhere: every per-token
USD price in the bundled table (``prices.json``, generated from LiteLLM by
``scripts/update_prices.py``) is converted once with ``round(Decimal(str(price)) * 10**12)``,
and a call's cost is a sum of integer products. Integers keep Python and the DuckDB macro in
``price_macros.sql`` bit-identical and make sums associative, so totals never drift.

Stdlib only (no DuckDB import): the store feeds :meth:`PriceTable.rate_rows` into a DuckDB
table and computes ~250k call costs in SQL with the same arithmetic as
:meth:`PriceTable.call_cost_pusd`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Final

from tokentree.model.callcost import MULTIPLIER_SCALE, apply_micro, raw_cost
from tokentree.model.usage import PICO

PUSD_PER_USD_PER_MTOK: Final = 10**6  # 1 USD per million tokens = 1e6 pUSD per token
DEFAULT_THRESHOLD: Final = 200_000
FAST_SPEED: Final = "fast"
UNPRICEABLE: Final = frozenset({"", "<synthetic>"})

RATE_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("model", "VARCHAR"),
    ("priced", "BOOLEAN"),
    ("in_r", "BIGINT"),
    ("out_r", "BIGINT"),
    ("cw5_r", "BIGINT"),
    ("cw1_r", "BIGINT"),
    ("cr_r", "BIGINT"),
    ("lc_in_r", "BIGINT"),
    ("lc_out_r", "BIGINT"),
    ("lc_cw5_r", "BIGINT"),
    ("lc_cw1_r", "BIGINT"),
    ("lc_cr_r", "BIGINT"),
    ("threshold", "BIGINT"),
    ("fast_mult", "DOUBLE"),
    ("per_type", "BOOLEAN"),
    ("canonical", "VARCHAR"),
)
"""Columns (name, DuckDB type) of the ``model_rates`` table built from :meth:`rate_rows`."""


def usd_to_pusd(price: float | int | str | Decimal) -> int:
    """A USD amount (e.g. LiteLLM's per-token price) as integer picodollars."""
    return round(Decimal(str(price)) * PICO)


def pusd_to_usd(pusd: int) -> Decimal:
    """Exact USD value of a picodollar amount (for display)."""
    return Decimal(pusd) / PICO


def multiplier_micro(multiplier: float) -> int:
    """A multiplier in micro-units, exactly as the SQL macro computes it."""
    return round(Decimal(str(multiplier)) * MULTIPLIER_SCALE)


def apply_multiplier(pusd: int, multiplier: float) -> int:
    """``pusd * multiplier`` rounded half-up, in integers (mirrors the SQL macro)."""
    return apply_micro(pusd, multiplier_micro(multiplier))


@dataclass(frozen=True, slots=True)
class Rates:
    """Per-token prices of one tier, in pUSD per token."""

    input: int
    output: int
    cache_write_5m: int
    cache_write_1h: int
    cache_read: int

    def scaled(self, multiplier: float) -> Rates:
        """Every rate times ``multiplier``, rounded half-up (for ``-fast`` model names)."""
        return Rates(*(apply_multiplier(rate, multiplier) for rate in self.as_tuple()))

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.input, self.output, self.cache_write_5m, self.cache_write_1h, self.cache_read)


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """Everything needed to price a call of one model."""

    model: str  # canonical key found in the table (or the override key)
    base: Rates
    long_context: Rates | None  # rates when the request is over the threshold; None = no tier
    threshold: int = DEFAULT_THRESHOLD
    fast_multiplier: float = 1.0  # applied when usage.speed == "fast"
    source: str = "litellm"  # "litellm" or "override"

    def is_free(self) -> bool:
        """Every rate is $0 (LiteLLM lists some vendors' free models so)."""
        tiers = (self.base, self.long_context) if self.long_context else (self.base,)
        return not any(any(tier.as_tuple()) for tier in tiers)


class LongContextRule(StrEnum):
    """How a long-context tier applies to a call."""

    REQUEST = "request"
    """Anthropic's documented rule: when input + cache read + cache writes of the call exceed
    the threshold, *all* token kinds of the call (output too) use the long-context rates."""
    PER_TYPE = "per-type"
    """ccusage's rule: per token kind, the first ``threshold`` tokens at base rates and the
    rest at long-context rates (5m and 1h cache writes are separate kinds)."""


# --------------------------------------------------------------------------- cost


def compute_cost_pusd(
    price: ModelPrice,
    rule: LongContextRule,
    *,
    input: int,
    output: int,
    cache_read: int,
    cache_write_5m: int,
    cache_write_1h: int,
    speed: str | None = None,
) -> int:
    """Cost of one call in pUSD. Token counts must be non-negative integers."""
    counts = (input, output, cache_write_5m, cache_write_1h, cache_read)  # Rates field order
    long_context = price.long_context.as_tuple() if price.long_context else None
    raw = raw_cost(
        counts,
        price.base.as_tuple(),
        long_context,
        price.threshold,
        per_type=rule is LongContextRule.PER_TYPE,
    )
    return apply_multiplier(raw, price.fast_multiplier) if speed == FAST_SPEED else raw


# --------------------------------------------------------------------------- lookup

_BRACKET_RE = re.compile(r"\[[^\[\]]*\]$")
# OpenRouter variants: ":beta" is the same model at the same price; the others change the
# price (":free" is $0 only where LiteLLM lists that exact name, ":nitro"/":floor" pick other
# hosts, ":online" adds search fees ...), so a name carrying one stays unpriced.
_OPENROUTER_SAME_PRICE_RE = re.compile(r":beta$")
_OPENROUTER_OTHER_PRICE_RE = re.compile(r":(?:free|nitro|floor|online|extended|thinking|exacto)$")

# Model names of each vendor, for vendor namespaces ("z-ai/glm-4.6"): a prefix is dropped only
# in front of its own vendor's models, so "mistral/claude-opus-4-6" stays unpriced.
_CLAUDE = r"claude-"
_OPENAI = r"(?:gpt-|o\d|codex-)"
_GOOGLE = r"(?:gemini-|gemma-)"
_VENDOR_MODELS: Final = {
    "anthropic": _CLAUDE,
    "openai": _OPENAI,
    "google": _GOOGLE,
    "gemini": _GOOGLE,
    "xai": r"grok-",
    "x-ai": r"grok-",
    "deepseek": r"deepseek-",
    "moonshot": r"kimi-",
    "moonshotai": r"kimi-",
    "zai": r"glm-",
    "z-ai": r"glm-",
    "zai-coding-plan": r"glm-",
    "qwen": r"(?:qwen|qwq)",
    "dashscope": r"(?:qwen|qwq)",
    "alibaba": r"(?:qwen|qwq)",
    "mistral": r"(?:codestral|devstral|magistral|ministral|mistral|pixtral|open-mistral)",
    "mistralai": r"(?:codestral|devstral|magistral|ministral|mistral|pixtral|open-mistral)",
    "minimax": r"minimax-",
    # subscription logins of the vendor's own models (pi, OpenClaw): the API list price
    "openai-codex": _OPENAI,
    "google-gemini-cli": _GOOGLE,
    "google-antigravity": f"(?:{_CLAUDE}|{_GOOGLE})",
    "kimi-coding": r"kimi-",
}


@dataclass(frozen=True, slots=True)
class _Prefix:
    """One provider prefix that may be dropped from a logged model name."""

    pattern: re.Pattern[str]
    models: re.Pattern[str] | None = None  # the rest must start like this (None: anything)
    routed: bool = False  # a reseller: the first-party price applies, a $0 one does not


def _prefix(pattern: str, models: str | None = None, routed: bool = False) -> _Prefix:
    compiled = re.compile(models, re.IGNORECASE) if models is not None else None
    return _Prefix(re.compile(pattern), compiled, routed)


_PREFIXES: Final = (
    # resellers that bill the model vendor's own token price
    _prefix(r"^openrouter/", routed=True),
    _prefix(r"^(?:github-copilot|github_copilot)/", routed=True),
    _prefix(r"^(?:kilo|kilocode)/", routed=True),  # Kilo Gateway: "no markup"
    _prefix(r"^vercel-ai-gateway/", routed=True),  # Vercel AI Gateway: list prices
    # cloud platforms and resource names: Claude and Gemini at the vendor's list price
    _prefix(r"^arn:aws[\w-]*:bedrock:[\w-]*:\d*:(?:inference-profile|foundation-model)/"),
    _prefix(r"^(?:bedrock|amazon-bedrock)/(?:[^/]+/)*"),
    _prefix(r"^(?:vertex_ai|google-vertex|google-vertex-anthropic)/", f"(?:{_CLAUDE}|{_GOOGLE})"),
    _prefix(r"^(?:projects/[^/]+/locations/[^/]+/)?publishers/(?:anthropic|google)/models/"),
    _prefix(r"^models/", _GOOGLE),  # Gemini API resource name
    _prefix(r"^(?:us|eu|apac|global|au|jp|us-gov)\.anthropic\."),
    _prefix(r"^anthropic\."),
    # vendor namespaces
    *(_prefix(f"^{re.escape(vendor)}/", models) for vendor, models in _VENDOR_MODELS.items()),
)

# Claude: OpenRouter and Copilot write versions with a dot ("claude-sonnet-4.5") or glued
# ("claude-opus-41"), Anthropic with a dash; "-thinking" (Antigravity) is the same
# model with extended thinking, billed as output.
_CLAUDE_DOT_RE = re.compile(r"(?<=\d)\.(?=\d)")
_CLAUDE_GLUED_RE = re.compile(r"^(claude-(?:opus|sonnet|haiku)-\d)(\d)(?=-|$)")
_CLAUDE_THINKING_RE = re.compile(r"-thinking$")
_VERSION_RE = re.compile(r"-v\d+(?::\d+)?$")
_VERTEX_DATE_RE = re.compile(r"@(\d{8})$")
_VERTEX_DEFAULT_RE = re.compile(r"@default$")
# Gemini: "-customtools" is the same model tuned for custom tools, at the same price (LiteLLM
# lists gemini-3.1-pro-preview-customtools at exactly gemini-3.1-pro-preview's prices).
_GEMINI_CUSTOMTOOLS_RE = re.compile(r"^(gemini-.+)-customtools$")
# Names Antigravity-based tools log (OpenCode and pi plugins) for the Gemini 3 previews; the
# suffix is a thinking level of the same model.
_ALIASES: Final = {
    "gemini-3-pro-high": "gemini-3-pro-preview",
    "gemini-3-pro-low": "gemini-3-pro-preview",
    "gemini-3-flash": "gemini-3-flash-preview",
}
_FAST_RE = re.compile(r"-fast$")
_DATE_RE = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2})$")


def qualified_model(provider: str | None, model: str) -> str:
    """``provider/model`` for a source that logs both apart (OpenCode ``providerID`` +
    ``modelID``); the pricing lookup knows which providers bill the vendor's list price."""
    if not provider or model.startswith(f"{provider}/"):
        return model
    return f"{provider}/{model}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One table key to try for a logged model name."""

    name: str
    fast: bool = False  # the name ended in "-fast": price the call in fast mode
    routed: bool = False  # a reseller prefix was dropped: a $0 first-party price does not apply


def _strip_prefixes(name: str) -> tuple[str, bool]:
    """Drop provider prefixes repeatedly (``bedrock/us-east-1/us.anthropic.claude-…``);
    returns the rest and whether a reseller prefix was among them."""
    routed = False
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            match = prefix.pattern.match(name)
            if match is None or match.end() == len(name):
                continue
            rest = name[match.end() :]
            if prefix.models is not None and not prefix.models.match(rest):
                continue
            name, changed, routed = rest, True, routed or prefix.routed
    return name, routed


def _claude_spelling(name: str) -> str:
    """Anthropic's spelling of a Claude name (``claude-sonnet-4.5-thinking`` ->
    ``claude-sonnet-4-5``); other names unchanged."""
    if not name.startswith("claude-"):
        return name
    name = _CLAUDE_GLUED_RE.sub(r"\1-\2", _CLAUDE_DOT_RE.sub("-", name))
    return _CLAUDE_THINKING_RE.sub("", name)


def normalised_names(name: str) -> Iterator[Candidate]:
    """Candidate table keys for ``name``, most specific first.

    Explicit steps only, each applied to the previous result: exact, ``[1m]`` suffix,
    OpenRouter variant (``:beta`` dropped, other variants stop the lookup), provider prefixes,
    Claude spelling, ``-v1:0`` version, vertex ``@20250929``/``@default``, Gemini
    ``-customtools`` and aliases, ``-fast``, and finally a trailing date dropped.
    (Undated -> unique dated entry needs the table and is done by :meth:`PriceTable.lookup`.)
    """
    yield Candidate(name)
    name = _BRACKET_RE.sub("", name)
    yield Candidate(name)
    if _OPENROUTER_OTHER_PRICE_RE.search(name):
        return
    name = _OPENROUTER_SAME_PRICE_RE.sub("", name)
    name, routed = _strip_prefixes(name)
    yield Candidate(name, routed=routed)
    name = _claude_spelling(name)
    yield Candidate(name, routed=routed)
    name = _VERSION_RE.sub("", name)
    name = _VERTEX_DEFAULT_RE.sub("", _VERTEX_DATE_RE.sub(r"-\1", name))
    yield Candidate(name, routed=routed)
    name = _GEMINI_CUSTOMTOOLS_RE.sub(r"\1", name)
    name = _ALIASES.get(name, name)
    yield Candidate(name, routed=routed)
    fast = bool(_FAST_RE.search(name))
    name = _FAST_RE.sub("", name)
    yield Candidate(name, fast, routed)
    undated = _DATE_RE.sub("", name)
    if undated:
        yield Candidate(undated, fast, routed)


def _dated_index(keys: Iterable[str]) -> dict[str, list[str]]:
    """``{undated name: [dated keys]}`` for the "undated -> unique dated entry" step."""
    index: dict[str, list[str]] = {}
    for key in keys:
        undated = _DATE_RE.sub("", key)
        if undated != key:
            index.setdefault(undated, []).append(key)
    return index


def _folded_index(keys: Iterable[str]) -> dict[str, str]:
    """``{lower-case key: key}`` for case-insensitive matching (``minimax-m2`` ->
    ``MiniMax-M2``); a spelling two keys share names neither."""
    index: dict[str, str | None] = {}
    for key in keys:
        folded = key.lower()
        index[folded] = key if index.get(folded, key) == key else None
    return {folded: key for folded, key in index.items() if key is not None}


@dataclass(frozen=True, slots=True)
class _Keys:
    """One table's prices with the indexes lookup needs."""

    prices: Mapping[str, ModelPrice]
    dated: Mapping[str, list[str]]
    folded: Mapping[str, str]

    @classmethod
    def of(cls, prices: Mapping[str, ModelPrice]) -> _Keys:
        return cls(prices, _dated_index(prices), _folded_index(prices))

    def get(self, name: str) -> ModelPrice | None:
        if name in self.prices:
            return self.prices[name]
        key = self.folded.get(name.lower())
        return self.prices[key] if key is not None else None


def _resolve(name: str, keys: _Keys) -> tuple[ModelPrice, Candidate] | None:
    """The price for ``name`` in one table and the candidate that found it, or None."""
    last = Candidate(name)
    for candidate in normalised_names(name):
        price = keys.get(candidate.name)
        if price is not None:
            return price, candidate
        last = candidate
    dated = keys.dated.get(last.name, [])
    if len(dated) == 1:
        return keys.prices[dated[0]], last
    return None


# --------------------------------------------------------------------------- overrides

RATE_NAMES: Final = ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")
_LC_SUFFIX: Final = "_above_200k"
_CACHE_DEFAULTS: Final = {  # Anthropic's multipliers of the input price
    "cache_write_5m": Decimal("1.25"),
    "cache_write_1h": Decimal("2"),
    "cache_read": Decimal("0.1"),
}
OVERRIDE_KEYS: Final = frozenset(
    [*RATE_NAMES, *(k + _LC_SUFFIX for k in RATE_NAMES), "fast_multiplier"]
)


def _override_number(model: str, key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"pricing override {model!r}: {key} must be a number, got {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise ValueError(f"pricing override {model!r}: {key} must be finite and >= 0, got {value}")
    return number


def _override_rates(values: Mapping[str, Decimal], suffix: str) -> Rates:
    """USD/MTok values -> pUSD/token rates of the tier whose keys end in ``suffix``.

    Tier ``input``/``output`` not given fall back to the base values; cache prices not given
    follow Anthropic's multipliers of the tier's input.
    """
    per_mtok = {rate: values.get(rate + suffix) for rate in RATE_NAMES}
    for rate in ("input", "output"):
        per_mtok[rate] = per_mtok[rate] if per_mtok[rate] is not None else values[rate]
    for rate, factor in _CACHE_DEFAULTS.items():
        if per_mtok[rate] is None:
            per_mtok[rate] = per_mtok["input"] * factor
    return Rates(*(round(per_mtok[rate] * PUSD_PER_USD_PER_MTOK) for rate in RATE_NAMES))


def parse_override(model: str, spec: Mapping[str, Any]) -> ModelPrice:
    """Validate one ``[pricing.models."<model>"]`` table (USD per million tokens).

    Required: ``input``, ``output``. Missing cache prices default as Anthropic's do (5m write
    1.25x, 1h write 2x, read 0.1x input). Any ``*_above_200k`` key adds a long-context tier
    (threshold 200k); tier fields not given default from the tier input the same way.
    """
    if not isinstance(model, str) or not model.strip():
        raise ValueError(f"pricing override: model name must be a non-empty string, got {model!r}")
    if not isinstance(spec, Mapping):
        raise ValueError(f"pricing override {model!r}: expected a table of prices, got {spec!r}")
    unknown = sorted(set(spec) - OVERRIDE_KEYS)
    if unknown:
        allowed = ", ".join(sorted(OVERRIDE_KEYS))
        raise ValueError(
            f"pricing override {model!r}: unknown key {unknown[0]!r} (allowed: {allowed})"
        )
    values = {key: _override_number(model, key, value) for key, value in spec.items()}
    fast = values.pop("fast_multiplier", Decimal(1))
    if fast <= 0 or fast != fast.quantize(Decimal(1) / MULTIPLIER_SCALE):
        raise ValueError(
            f"pricing override {model!r}: fast_multiplier must be > 0 with at most 6 decimals"
        )
    for rate in ("input", "output"):
        if rate not in values:
            raise ValueError(f"pricing override {model!r}: missing required key {rate!r}")
    base = _override_rates(values, "")
    has_tier = any(key.endswith(_LC_SUFFIX) for key in values)
    long_context = _override_rates(values, _LC_SUFFIX) if has_tier else None
    return ModelPrice(model, base, long_context, DEFAULT_THRESHOLD, float(fast), "override")


def parse_overrides(overrides: Mapping[str, Mapping[str, Any]] | None) -> dict[str, ModelPrice]:
    """Validate all overrides; raises ``ValueError`` naming the model and key at fault."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise ValueError(f"pricing overrides must be a table of models, got {overrides!r}")
    return {model: parse_override(model, spec) for model, spec in overrides.items()}


# --------------------------------------------------------------------------- bundled table


def _rates_from_json(record: Mapping[str, Any]) -> Rates:
    return Rates(*(usd_to_pusd(record[name]) for name in RATE_NAMES))


def _threshold(tier: Mapping[str, Any]) -> int:
    """The tier's threshold for the "prompt > threshold" test; an inclusive tier (xAI bills
    from the threshold itself) starts one token lower."""
    threshold = int(tier["threshold"])
    return threshold - 1 if tier.get("inclusive") else threshold


def price_from_record(model: str, record: Mapping[str, Any]) -> ModelPrice:
    """One ``prices.json`` model record -> :class:`ModelPrice`."""
    tier = record.get("long_context")
    return ModelPrice(
        model=model,
        base=_rates_from_json(record),
        long_context=_rates_from_json(tier) if tier else None,
        threshold=_threshold(tier) if tier else DEFAULT_THRESHOLD,
        fast_multiplier=float(record.get("fast_multiplier", 1.0)),
        source="litellm",
    )


@cache
def bundled_document() -> dict[str, Any]:
    """The parsed ``prices.json`` shipped in the package (header + models)."""
    text = resources.files(__package__).joinpath("prices.json").read_text(encoding="utf-8")
    return json.loads(text)


def price_macros_sql() -> str:
    """The DuckDB ``CREATE OR REPLACE MACRO`` statements of ``price_macros.sql``."""
    return resources.files(__package__).joinpath("price_macros.sql").read_text(encoding="utf-8")


def rate_table_ddl(table: str = "model_rates") -> str:
    """``CREATE TABLE`` statement for the rows of :meth:`PriceTable.rate_rows`."""
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in RATE_COLUMNS)
    return f"CREATE OR REPLACE TABLE {table} ({columns})"


@dataclass(eq=False)
class PriceTable:
    """Model prices (bundled + overrides) with explicit, memoised name lookup."""

    prices: Mapping[str, ModelPrice]
    overrides: Mapping[str, ModelPrice] = field(default_factory=dict)
    rule: LongContextRule = LongContextRule.REQUEST
    header: Mapping[str, Any] = field(default_factory=dict)
    _memo: dict[str, ModelPrice | None] = field(default_factory=dict, init=False, repr=False)
    _keys: _Keys = field(init=False, repr=False)
    _override_keys: _Keys = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rule = LongContextRule(self.rule)
        self._keys = _Keys.of(self.prices)
        self._override_keys = _Keys.of(self.overrides)

    @classmethod
    def bundled(
        cls,
        overrides: Mapping[str, Mapping[str, float]] | None = None,
        rule: LongContextRule = LongContextRule.REQUEST,
    ) -> PriceTable:
        """The table shipped in the package, plus validated user overrides (USD/MTok)."""
        document = bundled_document()
        prices = {m: price_from_record(m, r) for m, r in document["models"].items()}
        return cls(prices, parse_overrides(overrides), rule, document["header"])

    def lookup(self, model: str | None) -> ModelPrice | None:
        """The price for a logged model name, or None when unpriced (never a guess)."""
        if model is None or model in UNPRICEABLE:
            return None
        if model not in self._memo:
            self._memo[model] = self._lookup(model)
        return self._memo[model]

    def _lookup(self, model: str) -> ModelPrice | None:
        found = _resolve(model, self._override_keys) or _resolve(model, self._keys)
        if found is None:
            return None
        price, candidate = found
        if candidate.routed and price.source == "litellm" and price.is_free():
            return None  # free at the vendor ("gemma-4-31b-it" on AI Studio), not via a reseller
        if not candidate.fast or price.fast_multiplier == 1.0:
            return price
        # "claude-opus-4-6-fast": fast mode is part of the name, so bake it into the rates.
        multiplier = price.fast_multiplier
        long_context = price.long_context.scaled(multiplier) if price.long_context else None
        return replace(
            price,
            base=price.base.scaled(multiplier),
            long_context=long_context,
            fast_multiplier=1.0,
        )

    def call_cost_pusd(
        self,
        model: str | None,
        *,
        input: int,
        output: int,
        cache_read: int,
        cache_write_5m: int,
        cache_write_1h: int,
        speed: str | None = None,
    ) -> int | None:
        """None when the model is unpriced (never 0 for an unknown model)."""
        price = self.lookup(model)
        if price is None:
            return None
        return compute_cost_pusd(
            price,
            self.rule,
            input=input,
            output=output,
            cache_read=cache_read,
            cache_write_5m=cache_write_5m,
            cache_write_1h=cache_write_1h,
            speed=speed,
        )

    def rate_row(self, model: str | None) -> tuple:
        """One ``model_rates`` row (see :data:`RATE_COLUMNS`); rates NULL when unpriced."""
        per_type = self.rule is LongContextRule.PER_TYPE
        price = self.lookup(model)
        if price is None:
            return (model, False, *([None] * 10), None, None, per_type, None)
        long_context = price.long_context.as_tuple() if price.long_context else (None,) * 5
        return (
            model,
            True,
            *price.base.as_tuple(),
            *long_context,
            price.threshold,
            price.fast_multiplier,
            per_type,
            price.model,
        )

    def rate_rows(self, models: Iterable[str | None]) -> list[tuple]:
        """One row per distinct input model name, for a DuckDB table ``model_rates`` with columns
        (model VARCHAR, priced BOOLEAN, in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r,
        lc_cw5_r, lc_cw1_r, lc_cr_r BIGINT, threshold BIGINT, fast_mult DOUBLE, per_type
        BOOLEAN, canonical VARCHAR) — see :data:`RATE_COLUMNS` and :func:`rate_table_ddl`."""
        return [self.rate_row(model) for model in dict.fromkeys(models)]

    def known_models(self) -> list[str]:
        """Canonical names of every bundled and overridden model, sorted."""
        return sorted({*self.prices, *self.overrides})
