#!/usr/bin/env python3
"""Regenerate ``tokentree/data/prices.json`` from LiteLLM's public price snapshot.

tokentree prices calls offline, so the price table ships inside the package. This script
turns LiteLLM's ``model_prices_and_context_window_backup.json`` (≈3.5 MB, thousands of
models) into a small, deterministic table holding only what tokentree needs: per-token
USD prices of the Claude, OpenAI (Codex) and Gemini chat models.

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
from typing import Any

SOURCE_FILE = "model_prices_and_context_window_backup.json"
SOURCE_MEMBER = f"litellm/{SOURCE_FILE}"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "tokentree" / "data" / "prices.json"
SCHEMA = 1

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
_OPENAI_RE = re.compile(r"^(?:gpt-5|gpt-4\.1|o3|o4-mini|codex-)")
_GEMINI_RE = re.compile(r"^(?P<prefix>gemini/)?(?P<bare>gemini-(?:2\.5|3).*)$")
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
    "other_cache_defaults": "OpenAI/Gemini missing cache prices: writes billed as input, 1h "
    "write = 5m write, read = input (no discount)",
    "long_context_defaults": "tier fields LiteLLM omits are the base field scaled by "
    "tier input / base input; a missing tier output keeps the base output",
    "fast_multiplier": "Anthropic: provider_specific_entry.fast, else 6.0 for claude-opus >= "
    "4.6, else 1.0. OpenAI: the *_priority / standard price ratio when uniform and exact.",
}


# --------------------------------------------------------------------------- selection


def _is_chat(entry: dict[str, Any]) -> bool:
    """Chat/responses models only: no image, audio, embedding or realtime entries."""
    return entry.get("mode") in ("chat", "responses")


def _bare_bedrock_name(rest: str) -> str:
    """``claude-3-5-haiku-20241022-v1:0`` / ``claude-haiku-4-5@20251001`` -> bare name."""
    rest = re.sub(r"-v\d+(?::\d+)?$", "", rest)
    return re.sub(r"@(\d{8})$", r"-\1", rest)


def select_models(data: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Pick the kept entries: ``{bare name: (family, litellm key, entry)}``.

    Bare Anthropic entries win; Bedrock ``anthropic.``/``us.anthropic.`` entries only fill in
    models Anthropic's own provider no longer lists (e.g. Claude 3.7 Sonnet, Opus 4.1),
    preferring the region-less key. ``gemini/`` entries win over Vertex AI ones.
    """
    picked: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not _is_chat(entry):
            continue
        provider = entry.get("litellm_provider")
        if provider == "anthropic" and key.startswith("claude-"):
            picked[key] = ("anthropic", key, entry)
        elif provider == "openai" and _OPENAI_RE.match(key):
            picked[key] = ("openai", key, entry)
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
    for key in sorted(data, key=lambda k: not k.startswith("gemini/")):
        entry = data[key]
        match = _GEMINI_RE.match(key)
        if not match or not isinstance(entry, dict) or not _is_chat(entry):
            continue
        expected = "gemini" if match["prefix"] else "vertex_ai-language-models"
        if entry.get("litellm_provider") == expected and match["bare"] not in picked:
            picked[match["bare"]] = ("gemini", key, entry)
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


def _complete_tier(tier: dict[str, Decimal], base: dict[str, Decimal], derived: list[str]) -> None:
    """Fill a long-context tier's missing fields by scaling the base ones (see RULES)."""
    for rate in RATE_NAMES:
        if rate in tier:
            continue
        derived.append(f"long_context.{rate}")
        if rate == "input":
            tier[rate] = base["input"]
        elif rate == "output" or base["input"] == 0:
            tier[rate] = base[rate]
        else:
            tier[rate] = base[rate] * tier["input"] / base["input"]


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


def convert_entry(name: str, family: str, key: str, entry: dict[str, Any]) -> dict | None:
    """One LiteLLM entry -> one ``prices.json`` model record (None if it has no token prices)."""
    base, tiers = _collect(key, entry)
    if "input" not in base or "output" not in base:
        return None
    if len(tiers) > 1:
        raise ValueError(f"{key}: several long-context thresholds {sorted(tiers)}")
    derived: list[str] = []
    _complete_base(base, family, derived)
    record: dict[str, Any] = {rate: _as_json_number(base[rate]) for rate in RATE_NAMES}
    record["provider"] = entry.get("litellm_provider")
    if key != name:
        record["litellm_key"] = key
    for threshold, tier in tiers.items():
        _complete_tier(tier, base, derived)
        record["long_context"] = {r: _as_json_number(tier[r]) for r in RATE_NAMES}
        record["long_context"]["threshold"] = threshold
    fast = fast_multiplier(name, family, entry)
    if fast is not None:
        record["fast_multiplier"] = _as_json_number(fast[0])
        record["fast_multiplier_source"] = fast[1]
    if derived:
        record["derived"] = derived
    return record


def convert(data: dict[str, Any]) -> dict[str, dict]:
    """The whole LiteLLM document -> ``{model name: record}`` (the ``models`` object)."""
    models = {}
    for name, (family, key, entry) in sorted(select_models(data).items()):
        record = convert_entry(name, family, key, entry)
        if record is not None:
            models[name] = record
    return models


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
    models = convert(data)
    header = {
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
