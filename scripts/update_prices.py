#!/usr/bin/env python3
"""Regenerate ``tokentree/data/pricing/prices.json`` from LiteLLM's public price snapshot.

tokentree prices calls offline, so the price table ships inside the package. This script
turns LiteLLM's ``model_prices_and_context_window_backup.json`` (≈3.5 MB, thousands of
models) into a small, deterministic table holding only what tokentree needs: per-token
USD prices of the chat models coding assistants use (Claude, OpenAI, Gemini/Gemma, xAI,
DeepSeek, Moonshot, Z.ai, Qwen, Mistral, MiniMax), each from its first-party provider.

Usage::

    python scripts/update_prices.py --from-wheel            # newest litellm from PyPI
    python scripts/update_prices.py --from-wheel litellm==1.110.2
    python scripts/update_prices.py path/to/litellm-X.whl   # a wheel you already have
    python scripts/update_prices.py path/to/model_prices_and_context_window_backup.json \\
        --litellm-version 1.110.2

Output is deterministic (sorted keys, one model per line) so refreshes diff cleanly. The
``generated`` date only changes when the output does, and the litellm version is kept when
re-running on the same source file (same sha256), so re-running is a no-op.
Stdlib only: it runs before tokentree's own dependencies are installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

SOURCE_FILE = "model_prices_and_context_window_backup.json"
SOURCE_MEMBER = f"litellm/{SOURCE_FILE}"
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parents[1] / "tokentree" / "data" / "pricing" / "prices.json"
)
SCHEMA = 2  # 2: header "excluded", long_context "inclusive"

# Our rate name -> LiteLLM's field name. Tiered variants append "_above_<N>k_tokens".
LITELLM_FIELDS: dict[str, str] = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_write_5m": "cache_creation_input_token_cost",
    "cache_write_1h": "cache_creation_input_token_cost_above_1hr",
    "cache_read": "cache_read_input_token_cost",
}
RATE_NAMES = tuple(LITELLM_FIELDS)
_FIELD_RE = re.compile(
    r"^(?P<field>{})(?:_above_(?P<k>\d+)k_tokens)?$".format(
        "|".join(re.escape(f) for f in sorted(LITELLM_FIELDS.values(), key=len, reverse=True))
    )
)
_OUR_NAME = {v: k for k, v in LITELLM_FIELDS.items()}

_BEDROCK_RE = re.compile(r"^(?P<region>us\.)?anthropic\.(?P<rest>claude-.+)$")
_OPUS_RE = re.compile(r"^claude-opus-(?P<major>\d+)(?:-(?P<minor>\d))?(?:-\d{8})?$")

# Anthropic's documented cache multipliers, used when LiteLLM omits a cache price.
ANTHROPIC_CACHE_DEFAULTS = {
    "cache_write_5m": Decimal("1.25"),
    "cache_write_1h": Decimal("2"),
    "cache_read": Decimal("0.1"),
}
# Claude Code's fast mode on Opus 4.6+ bills 6x standard rates (Anthropic's pricing page for
# Opus 4.6; ccusage uses the same figure). Used only when LiteLLM has no
# ``provider_specific_entry.fast`` for the model.
DEFAULT_OPUS_FAST_MULTIPLIER = Decimal("6")
FAST_DEFAULT_FROM = (4, 6)
MULTIPLIER_QUANTUM = Decimal("0.000001")

RULES = {
    "anthropic_cache_defaults": "missing cache prices: 5m write 1.25x, 1h write 2x, read 0.1x "
    "input (Anthropic's published multipliers)",
    "other_cache_defaults": "other families, as LiteLLM bills them: a missing cache write or "
    "read is billed as input, a missing 1h write as the 5m write",
    "long_context_defaults": "Anthropic: tier fields LiteLLM omits are the base field scaled by "
    "tier input / base input. Other families, as LiteLLM: the base field when LiteLLM gives "
    "it, else the tier's input (1h write: the tier's 5m write). A missing tier output keeps "
    "the base output",
    "long_context_inclusive": "inclusive tiers (xAI) apply from the threshold itself (>=)",
    "tiered_pricing": "a two-range tiered_pricing table (Alibaba) is base rates up to the first "
    "range's end and long-context rates above it, per request",
    "fast_multiplier": "Anthropic: provider_specific_entry.fast, else 6.0 for claude-opus >= "
    "4.6, else 1.0. OpenAI: the *_priority / standard price ratio when uniform and exact.",
    "selection": "chat models of each family from its first-party LiteLLM provider, preferred "
    "source first (scripts/update_prices.py FAMILIES); entries tokentree cannot price exactly "
    "are listed under 'excluded'",
}


# --------------------------------------------------------------------------- selection


def _is_chat(entry: dict[str, Any]) -> bool:
    """Chat/responses models only: no image, audio, embedding or realtime entries."""
    return entry.get("mode") in ("chat", "responses")


def _bare_bedrock_name(rest: str) -> str:
    """``claude-3-5-haiku-20241022-v1:0`` / ``claude-haiku-4-5@20251001`` -> bare name."""
    rest = re.sub(r"-v\d+(?::\d+)?$", "", rest)
    return re.sub(r"@(\d{8})$", r"-\1", rest)


class Family(NamedTuple):
    """A model family other than Claude: its bare names and where their prices come from."""

    name: str
    names: re.Pattern[str]  # bare model names that belong to the family
    sources: tuple[tuple[str, str], ...]  # (litellm_provider, key prefix), preferred first
    skip: re.Pattern[str] | None = None  # bare names that are not text chat models


# Each family is priced from its first-party LiteLLM provider; when several first-party
# providers list the same bare name, the first source in the tuple wins. An entry found at the
# preferred source is final even when it cannot be priced (it is then listed under "excluded"):
# a lower-ranked source never stands in with another provider's price.
FAMILIES = (
    Family(
        "openai",
        re.compile(r"^(?:gpt-4o|gpt-4\.1|gpt-[5-9]|o[1-9]|codex-)"),
        (("openai", ""),),
        re.compile(r"audio|realtime|transcribe|tts|image"),
    ),
    Family(
        "gemini",
        re.compile(r"^gemini-(?:2\.0|2\.5|[3-9])"),
        (("gemini", "gemini/"), ("vertex_ai-language-models", ""), ("vertex_ai", "vertex_ai/")),
        re.compile(r"tts|live|audio|image|embedding|transcribe|robotics"),
    ),
    Family("gemma", re.compile(r"^gemma-[3-9]"), (("gemini", "gemini/"),)),
    Family("xai", re.compile(r"^grok-"), (("xai", "xai/"),)),
    Family("deepseek", re.compile(r"^deepseek-"), (("deepseek", "deepseek/"), ("deepseek", ""))),
    Family("moonshot", re.compile(r"^kimi-"), (("moonshot", "moonshot/"),)),
    Family("zai", re.compile(r"^glm-"), (("zai", "zai/"), ("bigmodel", "bigmodel/"))),
    Family(
        "qwen",
        re.compile(r"^(?:qwen|qwq)"),
        (
            ("dashscope", "dashscope/"),
            ("qwen_ai_platform", "qwen_ai_platform/"),
            ("qwencloud", "qwencloud/"),
        ),
        re.compile(r"image|tts|audio"),
    ),
    Family(
        "mistral",
        re.compile(r"^(?:codestral|devstral|magistral|ministral|mistral|pixtral|open-mistral)"),
        (("mistral", "mistral/"),),
        re.compile(r"embed|ocr|moderation"),
    ),
    Family("minimax", re.compile(r"^minimax-", re.IGNORECASE), (("minimax", "minimax/"),)),
)
# LiteLLM bills these providers' long-context tiers from the threshold itself (>=) rather than
# above it; their tiers are marked "inclusive" and tokentree compares prompt > threshold - 1.
INCLUSIVE_THRESHOLD_PROVIDERS = frozenset({"xai"})

Picked = dict[str, tuple[str, str, dict[str, Any]]]


def _select_anthropic(data: dict[str, Any], picked: Picked) -> None:
    """Bare ``claude-*`` entries of provider ``anthropic``, then Bedrock fill-ins."""
    for key, entry in data.items():
        if not isinstance(entry, dict) or not _is_chat(entry):
            continue
        if entry.get("litellm_provider") == "anthropic" and key.startswith("claude-"):
            picked[key] = ("anthropic", key, entry)
    for key in sorted(data):  # sorted: "anthropic." sorts before "us.anthropic."
        entry = data[key]
        match = _BEDROCK_RE.match(key)
        if not match or not isinstance(entry, dict) or not _is_chat(entry):
            continue
        bare = _bare_bedrock_name(match["rest"])
        if not re.search(r"\d", bare):  # claude-v2, claude-instant: pre-Claude-3 relics
            continue
        if bare not in picked:
            picked[bare] = ("anthropic", key, entry)


def _select_family(data: dict[str, Any], family: Family, picked: Picked) -> None:
    """The family's chat entries, the first source listing a bare name winning."""
    for provider, prefix in family.sources:
        for key in sorted(data):
            entry = data[key]
            if not isinstance(entry, dict) or entry.get("litellm_provider") != provider:
                continue
            if not key.startswith(prefix) or not _is_chat(entry):
                continue
            bare = key[len(prefix) :]
            if "/" in bare or not family.names.match(bare):
                continue
            if family.skip is not None and family.skip.search(bare):
                continue
            picked.setdefault(bare, (family.name, key, entry))


def select_models(data: dict[str, Any]) -> Picked:
    """Pick the kept entries: ``{bare name: (family, litellm key, entry)}``.

    Bare Anthropic entries win; Bedrock ``anthropic.``/``us.anthropic.`` entries only fill in
    models Anthropic's own provider no longer lists (e.g. Claude 3.7 Sonnet, Opus 4.1),
    preferring the region-less key. Every other family comes from its first-party providers in
    the order :data:`FAMILIES` gives (e.g. ``gemini/`` before Vertex AI).
    """
    picked: Picked = {}
    _select_anthropic(data, picked)
    for family in FAMILIES:
        _select_family(data, family, picked)
    folded: dict[str, str] = {}
    for name in picked:  # lookup falls back to case-insensitive matching: keep that exact
        other = folded.setdefault(name.lower(), name)
        if other != name:
            raise ValueError(f"models {other!r} and {name!r} differ only in case")
    return picked


# --------------------------------------------------------------------------- conversion


def _price(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{where}: expected a non-negative number, got {value!r}")
    return Decimal(repr(float(value)))


def _collect(name: str, entry: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict]]:
    """Split an entry's price fields into base rates and ``{threshold: tier rates}``."""
    base: dict[str, Decimal] = {}
    tiers: dict[int, dict[str, Decimal]] = {}
    for field, value in entry.items():
        match = _FIELD_RE.match(field)
        if not match:
            continue
        rate = _OUR_NAME[match["field"]]
        price = _price(value, f"{name}.{field}")
        if match["k"] is None:
            base[rate] = price
        else:
            tiers.setdefault(int(match["k"]) * 1000, {})[rate] = price
    return base, tiers


class Unpriceable(ValueError):
    """A selected entry whose prices tokentree cannot represent exactly (listed as excluded)."""


def _complete_base(rates: dict[str, Decimal], family: str, derived: list[str]) -> None:
    """Fill missing cache prices (see RULES) and record which ones were derived."""
    for rate in ("cache_write_5m", "cache_write_1h", "cache_read"):
        if rate in rates:
            continue
        derived.append(rate)
        if family == "anthropic":
            rates[rate] = rates["input"] * ANTHROPIC_CACHE_DEFAULTS[rate]
        elif rate == "cache_write_1h":
            rates[rate] = rates["cache_write_5m"]
        else:
            rates[rate] = rates["input"]


def _complete_tier(
    tier: dict[str, Decimal],
    base: dict[str, Decimal],
    family: str,
    explicit: frozenset[str],
    derived: list[str],
) -> None:
    """Fill a long-context tier's missing fields (see RULES).

    Anthropic: the base field scaled by tier input / base input (Anthropic's published
    long-context prices). Other families, as LiteLLM bills them: the base field when LiteLLM
    gives it (``explicit``), else the tier's input (cache read, 5m write) or the tier's 5m
    write (1h write).
    """
    for rate in RATE_NAMES:
        if rate in tier:
            continue
        derived.append(f"long_context.{rate}")
        if rate in ("input", "output"):
            tier[rate] = base[rate]
        elif family == "anthropic":
            scale = tier["input"] / base["input"] if base["input"] else Decimal(1)
            tier[rate] = base[rate] * scale
        elif rate in explicit:
            tier[rate] = base[rate]
        elif rate == "cache_write_1h":
            tier[rate] = tier["cache_write_5m"]
        else:
            tier[rate] = tier["input"]


def _tier_rates(where: str, tier: dict[str, Any]) -> dict[str, Decimal]:
    """The rates one ``tiered_pricing`` entry gives (field names as at the top level)."""
    return {
        _OUR_NAME[field]: _price(value, f"{where}.{field}")
        for field, value in tier.items()
        if field in _OUR_NAME
    }


def _collect_tiered(key: str, entry: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict]]:
    """A two-tier ``tiered_pricing`` table as base rates plus one long-context tier.

    LiteLLM picks one tier per request from its prompt tokens (``start < prompt <= end``,
    above the last range the last tier) and bills every token of the request at it: exactly
    tokentree's ``request`` rule with the first range's end as threshold. Tables with more
    tiers cannot be represented.
    """
    tiers = entry["tiered_pricing"]
    if not isinstance(tiers, list) or len(tiers) != 2:
        count = len(tiers) if isinstance(tiers, list) else 0
        raise Unpriceable(f"{count} request-size price tiers (at most 2 supported)")
    low, high = sorted(tiers, key=lambda tier: tier["range"][0])
    if low["range"][0] != 0 or high["range"][0] != low["range"][1]:
        raise Unpriceable(f"tier ranges {low['range']}, {high['range']} not contiguous from 0")
    base = _tier_rates(f"{key}.tiered_pricing[0]", low)
    tier = _tier_rates(f"{key}.tiered_pricing[1]", high)
    flat_output = entry.get("output_cost_per_token")
    for rates in (base, tier):  # LiteLLM: a tier without output uses the model's output
        if "output" not in rates and flat_output is not None:
            rates["output"] = _price(flat_output, f"{key}.output_cost_per_token")
    if "input" not in tier:
        raise Unpriceable("second price tier has no input price")
    return base, {int(low["range"][1]): tier}


def _check_representable(key: str, entry: dict[str, Any]) -> None:
    """Raise :class:`Unpriceable` for prices tokentree's call model cannot reproduce."""
    if "off_peak_pricing" in entry:
        raise Unpriceable("time-of-day prices (off_peak_pricing)")
    output = entry.get("output_cost_per_token")
    for where in (entry, *(entry.get("tiered_pricing") or [])):
        reasoning = where.get("output_cost_per_reasoning_token")
        if reasoning is not None and reasoning != where.get("output_cost_per_token", output):
            raise Unpriceable("reasoning tokens priced apart from output")


def _clean_multiplier(value: Decimal) -> Decimal | None:
    """Multipliers are applied in micro-units; reject ones that need more precision."""
    quantized = value.quantize(MULTIPLIER_QUANTUM)
    return quantized.normalize() if quantized == value and value > 0 else None


def fast_multiplier(name: str, family: str, entry: dict[str, Any]) -> tuple[Decimal, str] | None:
    """The fast-mode multiplier and where it came from, or None for 1.0 (see RULES)."""
    if family == "anthropic":
        extra = entry.get("provider_specific_entry")
        fast = extra.get("fast") if isinstance(extra, dict) else None
        if fast is not None:
            value = _clean_multiplier(_price(fast, f"{name}.provider_specific_entry.fast"))
            return (value, "litellm") if value is not None and value != 1 else None
        match = _OPUS_RE.match(name)
        if match and (int(match["major"]), int(match["minor"] or 0)) >= FAST_DEFAULT_FROM:
            return DEFAULT_OPUS_FAST_MULTIPLIER, "default"
        return None
    if family == "openai":
        ratios = set()
        for field in (
            "input_cost_per_token",
            "output_cost_per_token",
            "cache_read_input_token_cost",
        ):
            if field in entry and f"{field}_priority" in entry:
                standard = _price(entry[field], f"{name}.{field}")
                if standard > 0:
                    ratios.add(_price(entry[f"{field}_priority"], name) / standard)
        if len(ratios) == 1:
            value = _clean_multiplier(ratios.pop())
            return (value, "litellm:priority") if value is not None and value != 1 else None
    return None


def _as_json_number(value: Decimal) -> float:
    return float(value)


def convert_entry(name: str, family: str, key: str, entry: dict[str, Any]) -> dict:
    """One LiteLLM entry -> one ``prices.json`` model record.

    Raises :class:`Unpriceable` when the entry has no per-token price or prices tokentree
    cannot reproduce exactly (several thresholds, time-of-day prices, ...).
    """
    _check_representable(key, entry)
    if entry.get("tiered_pricing") and "input_cost_per_token" not in entry:
        base, tiers = _collect_tiered(key, entry)
    else:
        base, tiers = _collect(key, entry)
    if "input" not in base or "output" not in base:
        raise Unpriceable("no per-token price")
    if len(tiers) > 1:
        raise Unpriceable(f"several long-context thresholds {sorted(tiers)}")
    explicit = frozenset(base)
    derived: list[str] = []
    _complete_base(base, family, derived)
    record: dict[str, Any] = {rate: _as_json_number(base[rate]) for rate in RATE_NAMES}
    record["provider"] = entry.get("litellm_provider")
    if key != name:
        record["litellm_key"] = key
    for threshold, tier in tiers.items():
        if "input" not in tier:
            raise Unpriceable("long-context tier has no input price")
        _complete_tier(tier, base, family, explicit, derived)
        record["long_context"] = {r: _as_json_number(tier[r]) for r in RATE_NAMES}
        record["long_context"]["threshold"] = threshold
        if entry.get("litellm_provider") in INCLUSIVE_THRESHOLD_PROVIDERS:
            record["long_context"]["inclusive"] = True
    fast = fast_multiplier(name, family, entry)
    if fast is not None:
        record["fast_multiplier"] = _as_json_number(fast[0])
        record["fast_multiplier_source"] = fast[1]
    if derived:
        record["derived"] = derived
    return record


def convert(data: dict[str, Any]) -> tuple[dict[str, dict], dict[str, str]]:
    """The whole LiteLLM document -> ``({model: record}, {model: why it is not priced})``."""
    models: dict[str, dict] = {}
    excluded: dict[str, str] = {}
    for name, (family, key, entry) in sorted(select_models(data).items()):
        try:
            models[name] = convert_entry(name, family, key, entry)
        except Unpriceable as reason:
            excluded[name] = f"{key}: {reason}"
    return models, excluded


# --------------------------------------------------------------------------- output


def render(document: dict[str, Any]) -> str:
    """Stable text: pretty header, one model per line, keys sorted everywhere."""
    header = json.dumps(document["header"], indent=2, sort_keys=True, ensure_ascii=False)
    lines = ["{", '  "header": ' + header.replace("\n", "\n  ") + ",", '  "models": {']
    items = sorted(document["models"].items())
    for index, (name, record) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        body = json.dumps(record, sort_keys=True, ensure_ascii=False)
        lines.append(f"    {json.dumps(name)}: {body}{comma}")
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def build_document(data: dict[str, Any], *, sha256: str, version: str, generated: str) -> dict:
    """Header + converted models."""
    models, excluded = convert(data)
    header = {
        "excluded": excluded,
        "generated": generated,
        "generator": "scripts/update_prices.py",
        "model_count": len(models),
        "rules": RULES,
        "schema": SCHEMA,
        "source": {"file": SOURCE_FILE, "package": "litellm", "sha256": sha256, "version": version},
        "units": "USD per token",
    }
    return {"header": header, "models": models}


def _previous(output: Path) -> tuple[str | None, dict[str, Any]]:
    """The existing output's text and header (empty when absent or unreadable)."""
    try:
        text = output.read_text(encoding="utf-8")
        return text, json.loads(text)["header"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, {}


def generate(
    raw: bytes,
    output: Path,
    *,
    version: str | None = None,
    date: str | None = None,
    today: dt.date | None = None,
) -> bool:
    """Write ``output`` from the raw LiteLLM json. Returns True when the file changed.

    Without an explicit ``version``/``date``, values from the existing output are reused when
    they still apply (same source sha256 / otherwise identical output), so a re-run on the
    same source reproduces the committed file byte for byte.
    """
    sha256 = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    old_text, old_header = _previous(output)
    same_source = old_header.get("source", {}).get("sha256") == sha256
    if version is None:
        version = old_header["source"].get("version", "unknown") if same_source else "unknown"
    text = None
    if date is None and old_text is not None and "generated" in old_header:
        kept = render(
            build_document(data, sha256=sha256, version=version, generated=old_header["generated"])
        )
        text = kept if kept == old_text else None
    if text is None:
        date = date or (today or dt.datetime.now(dt.UTC).date()).isoformat()
        text = render(build_document(data, sha256=sha256, version=version, generated=date))
    if text == old_text:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- sources


def read_wheel(path: Path) -> tuple[bytes, str]:
    """The price json and the litellm version from a litellm wheel."""
    with zipfile.ZipFile(path) as wheel:
        raw = wheel.read(SOURCE_MEMBER)
        version = "unknown"
        for member in wheel.namelist():
            if member.endswith(".dist-info/METADATA"):
                for line in wheel.read(member).decode("utf-8", "replace").splitlines():
                    if line.startswith("Version:"):
                        version = line.split(":", 1)[1].strip()
                        break
    return raw, version


def download_wheel(spec: str, dest: Path) -> Path:
    """``pip download --no-deps <spec>`` into ``dest``; returns the wheel path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    subprocess.run([*cmd, "--dest", str(dest), spec], check=True)
    wheels = sorted(dest.glob("litellm-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one litellm wheel in {dest}, found {wheels}")
    return wheels[0]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("source", nargs="?", type=Path, help="LiteLLM price json or litellm wheel")
    source.add_argument(
        "--from-wheel",
        nargs="?",
        const="litellm",
        metavar="SPEC",
        help="pip download this requirement (default: newest litellm) and read its json",
    )
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--litellm-version", help="version to record for a bare json source")
    parser.add_argument("--date", help="generation date to record (default: keep or today)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    version = args.litellm_version
    if args.from_wheel:
        with tempfile.TemporaryDirectory(prefix="tokentree-litellm-") as tmp:
            raw, wheel_version = read_wheel(download_wheel(args.from_wheel, Path(tmp)))
    elif args.source.suffix == ".whl":
        raw, wheel_version = read_wheel(args.source)
    else:
        raw, wheel_version = args.source.read_bytes(), None
    changed = generate(raw, args.output, version=version or wheel_version, date=args.date)
    models = json.loads(args.output.read_text(encoding="utf-8"))["header"]["model_count"]
    state = "updated" if changed else "unchanged"
    print(f"{args.output}: {state} ({models} models)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
