#!/usr/bin/env python3
"""Dev check: price probe calls with tokentree (both long-context rules) and with ccusage.

Writes one synthetic Claude Code session (one probe call per day) into a temporary HOME,
runs ``ccusage daily --json --offline`` on it, and prints, per model and case, our cost under
``LongContextRule.REQUEST`` and ``LongContextRule.PER_TYPE`` next to ccusage's. With
PER_TYPE we expect ccusage's number to 1e-9 relative wherever ccusage prices the model;
rows that differ are flagged. Not part of the test suite: ccusage is not installed in CI.

``--families`` instead probes a sample of model names across every family the table covers
(as the assistants log them: bare, provider-qualified, OpenRouter, dotted), one token kind
at a time, and prints per million tokens tokentree's rates, LiteLLM's entry (with
``--litellm-json``) and the rates ccusage's costs imply. ccusage's Claude Code reader prices
any model name with the same price map as its other readers.

    python scripts/compare_prices_with_ccusage.py [--ccusage PATH] [--markdown|--matrix] [--all]
    python scripts/compare_prices_with_ccusage.py --families [--litellm-json PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tokentree.data.pricing.prices import LongContextRule, PriceTable, bundled_document, pusd_to_usd

DEFAULT_CCUSAGE = "ccusage"  # or --ccusage PATH / $CCUSAGE
FIRST_DAY = dt.date(2025, 1, 1)
REL_TOLERANCE = Decimal("1e-9")


@dataclass(frozen=True)
class Case:
    """One probe call shape."""

    name: str
    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    speed: str | None = None


CASES = (
    Case("input", input=1_000),
    Case("output", output=1_000),
    Case("write-5m", cache_write_5m=1_000),
    Case("write-1h", cache_write_1h=1_000),
    Case("cache-read", cache_read=1_000),
    Case("input>200k", input=250_000),
    Case("read>200k", input=10, cache_read=250_000),
    # prompt side 210,003 > 200k, but no single kind over 200k: the two rules disagree
    Case(
        "mixed",
        input=3,
        output=2_000,
        cache_read=150_000,
        cache_write_5m=40_000,
        cache_write_1h=20_000,
    ),
    Case("fast", input=1_000, output=1_000, cache_read=1_000, cache_write_5m=1_000, speed="fast"),
)


# Name-based probes outside the model x case grid. ccusage ignores a "-fast" model-name suffix
# (prices it as standard); tokentree treats it as fast mode, so this row differs on purpose.
EXTRA_PROBES = (("claude-opus-4-6-fast", Case("name -fast", input=1_000)),)


def probe_models(table: PriceTable, include_all: bool) -> list[str]:
    """Claude models of the bundled table (dated before 2025 only with ``--all``)."""
    models = []
    for name in table.known_models():
        date = re.search(r"-(\d{8})$", name)
        if name.startswith("claude-") and (include_all or not date or date[1] >= "20250101"):
            models.append(name)
    return models


def usage_line(index: int, model: str, case: Case) -> str:
    """One compact Claude Code transcript line for the probe on day ``index``."""
    usage: dict[str, object] = {
        "input_tokens": case.input,
        "output_tokens": case.output,
        "cache_creation_input_tokens": case.cache_write_5m + case.cache_write_1h,
        "cache_read_input_tokens": case.cache_read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": case.cache_write_5m,
            "ephemeral_1h_input_tokens": case.cache_write_1h,
        },
    }
    if case.speed:
        usage["speed"] = case.speed
    day = FIRST_DAY + dt.timedelta(days=index)
    record = {
        "type": "assistant",
        "sessionId": "probe",
        "cwd": "/probe",
        "version": "2.1.0",
        "timestamp": f"{day.isoformat()}T12:00:00.000Z",
        "requestId": f"req_{index}",
        "message": {
            "id": f"msg_{index}",
            "model": model,
            "role": "assistant",
            "content": [],
            "usage": usage,
        },
    }
    return json.dumps(record, separators=(",", ":"))


def run_ccusage(ccusage: str, probes: list[tuple[str, Case]]) -> dict[str, Decimal]:
    """ccusage's cost per day (ISO date -> USD) for the probes, one per day."""
    with tempfile.TemporaryDirectory(prefix="tokentree-ccusage-") as home:
        project = Path(home, ".claude", "projects", "probe")
        project.mkdir(parents=True)
        lines = [usage_line(i, model, case) for i, (model, case) in enumerate(probes)]
        (project / "probe.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "HOME": home, "CLAUDE_CONFIG_DIR": str(Path(home, ".claude"))}
        env["TZ"] = "UTC"
        cmd = [ccusage, "daily", "--json", "--offline", "--timezone", "UTC"]
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    daily = json.loads(out, parse_float=Decimal)["daily"]
    return {row["period"]: Decimal(row["totalCost"]) for row in daily}


def ours(table: PriceTable, model: str, case: Case) -> Decimal | None:
    cost = table.call_cost_pusd(
        model,
        input=case.input,
        output=case.output,
        cache_read=case.cache_read,
        cache_write_5m=case.cache_write_5m,
        cache_write_1h=case.cache_write_1h,
        speed=case.speed,
    )
    return None if cost is None else pusd_to_usd(cost)


def close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= REL_TOLERANCE * max(abs(a), abs(b))


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


Row = tuple[str, str, str, str, str, str]  # model, case, REQUEST, PER_TYPE, ccusage, verdict
HEADER: Row = ("model", "case", "ours REQUEST", "ours PER_TYPE", "ccusage", "verdict")


def compare(ccusage: str, include_all: bool) -> list[Row]:
    """Price every probe three ways and judge PER_TYPE against ccusage."""
    request = PriceTable.bundled(rule=LongContextRule.REQUEST)
    per_type = PriceTable.bundled(rule=LongContextRule.PER_TYPE)
    models = probe_models(request, include_all)
    probes = [(model, case) for model in models for case in CASES] + list(EXTRA_PROBES)
    theirs = run_ccusage(ccusage, probes)
    rows: list[Row] = []
    for index, (model, case) in enumerate(probes):
        cc = theirs.get((FIRST_DAY + dt.timedelta(days=index)).isoformat(), Decimal(0))
        ours_request, ours_per_type = ours(request, model, case), ours(per_type, model, case)
        if cc == 0 and ours_per_type:
            verdict = "ccusage unpriced ($0)"
        elif close(ours_per_type, cc):
            verdict = "ok"
        elif (model, case) in EXTRA_PROBES:
            verdict = "differs by design"
        else:
            verdict = "DIFF"
        rows.append((model, case.name, fmt(ours_request), fmt(ours_per_type), fmt(cc), verdict))
    return rows


def print_table(rows: list[Row], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "---|" * len(HEADER))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def matrix_cell(row: Row) -> str:
    """PER_TYPE cost; REQUEST too when it differs; a tick or ccusage's figure."""
    _, _, request, per_type, cc, verdict = row
    text = per_type if request == per_type else f"R {request} / P {per_type}"
    if verdict == "ok":
        return text + " ✓"
    if verdict.startswith("ccusage unpriced"):
        return text + " (cc $0)"
    return f"{text} (cc {Decimal(cc).quantize(Decimal('1e-9')).normalize():f})"


def print_matrix(rows: list[Row]) -> None:
    """Markdown model x case matrix, merging models whose rows are identical."""
    cases = [case.name for case in CASES]
    by_model: dict[str, dict[str, Row]] = {}
    for row in rows:
        if row[1] in cases:
            by_model.setdefault(row[0], {})[row[1]] = row
    groups: dict[tuple[str, ...], list[str]] = {}
    for model, cells in by_model.items():
        groups.setdefault(tuple(matrix_cell(cells[c]) for c in cases), []).append(model)
    print("| model(s) | " + " | ".join(cases) + " |")
    print("|---|" + "---|" * len(cases))
    for cells, models in groups.items():
        print(f"| {', '.join(models)} | " + " | ".join(cells) + " |")


# --------------------------------------------------------------------------- --families

FAMILY_SAMPLE = (
    "claude-sonnet-4-5",
    "openrouter/anthropic/claude-sonnet-4.5",
    "claude-haiku-4.5",
    "claude-opus-4-6",
    "gpt-5",
    "openai/gpt-5",
    "gpt-5-codex",
    "gpt-5.1-codex-max",
    "gpt-5.3-codex",
    "gpt-6-sol",
    "gpt-4.1",
    "gpt-4o",
    "o3",
    "o4-mini",
    "gemini-2.5-pro",
    "google/gemini-2.5-pro",
    "models/gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.0-flash",
    "gemini-3-pro-preview",
    "gemini-3-pro-preview-customtools",
    "gemini-3-pro-high",
    "gemini-3-flash-preview",
    "gemini-3.1-pro-preview",
    "gemini-3.1-pro-preview-customtools",
    "gemma-4-31b-it",
    "grok-code-fast-1",
    "openrouter/x-ai/grok-code-fast-1",
    "grok-4.5",
    "deepseek-chat",
    "deepseek-reasoner",
    "deepseek-v4-pro",
    "kimi-k2.5",
    "kimi-k2.6",
    "openrouter/moonshotai/kimi-k2.5",
    "kimi-k3",
    "glm-4.5",
    "glm-4.5-air",
    "glm-4.6",
    "openrouter/z-ai/glm-4.6",
    "glm-4.7",
    "glm-5",
    "qwen3.5-plus",
    "qwen3-coder-plus",
    "devstral-latest",
    "codestral-latest",
    "MiniMax-M2",
    "minimax-m2.5",
)
# One kind per probe, 100k tokens: below every long-context threshold in the table.
PROBE_TOKENS = 100_000
KIND_CASES = (
    ("in", Case("in", input=PROBE_TOKENS)),
    ("out", Case("out", output=PROBE_TOKENS)),
    ("read", Case("read", cache_read=PROBE_TOKENS)),
    ("write", Case("write", cache_write_5m=PROBE_TOKENS)),
)
LITELLM_FIELDS = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
)
Rates4 = tuple[Decimal | None, ...]


def per_mtok(cost: Decimal | None) -> Decimal | None:
    return None if cost is None else cost * 1_000_000 / PROBE_TOKENS


def litellm_rates(data: dict | None, key: str | None) -> Rates4 | None:
    """LiteLLM's own input/output/read/write rates per MTok (None where it gives none)."""
    entry = data.get(key) if data is not None and key is not None else None
    if entry is None:
        return None
    if "input_cost_per_token" not in entry and entry.get("tiered_pricing"):
        entry = min(entry["tiered_pricing"], key=lambda tier: tier["range"][0])
    return tuple(
        None if entry.get(f) is None else Decimal(str(entry[f])) * 1_000_000 for f in LITELLM_FIELDS
    )


def fmt4(rates: Rates4 | None) -> str:
    if rates is None:
        return "—"
    return " / ".join(
        "·" if r is None else f"{r.quantize(Decimal('1e-6')).normalize():f}" for r in rates
    )


def family_verdict(ours: Rates4 | None, cc: Rates4) -> str:
    if ours is None:
        return "tokentree unpriced" + ("" if not any(cc) else ", ccusage prices it")
    if not any(cc):
        return "ccusage unpriced ($0)"
    same = [close(a, b) for a, b in zip(ours, cc, strict=True)]
    if all(same):
        return "equal"
    if all(same[:3]):
        return "equal except cache write"
    return "DIFF"


def compare_families(ccusage: str, litellm_json: Path | None) -> list[tuple[str, ...]]:
    """One row per sample name: our rates, LiteLLM's entry, ccusage's, a verdict."""
    table = PriceTable.bundled(rule=LongContextRule.PER_TYPE)
    data = json.loads(litellm_json.read_bytes()) if litellm_json else None
    models = bundled_document()["models"]
    probes = [(name, case) for name in FAMILY_SAMPLE for _, case in KIND_CASES]
    theirs = run_ccusage(ccusage, probes)
    rows = []
    for index, name in enumerate(FAMILY_SAMPLE):
        price = table.lookup(name)
        key = models[price.model].get("litellm_key", price.model) if price else None
        ours_rates = (
            tuple(per_mtok(ours(table, name, case)) for _, case in KIND_CASES) if price else None
        )
        days = [FIRST_DAY + dt.timedelta(days=index * len(KIND_CASES) + k) for k in range(4)]
        cc = tuple(per_mtok(theirs.get(day.isoformat(), Decimal(0))) for day in days)
        rows.append(
            (
                name,
                key or "—",
                fmt4(ours_rates),
                fmt4(litellm_rates(data, key)),
                fmt4(cc),
                family_verdict(ours_rates, cc),
            )
        )
    return rows


FAMILY_HEADER = (
    "logged name",
    "LiteLLM entry",
    "tokentree in / out / read / write",
    "LiteLLM",
    "ccusage",
    "verdict",
)


def print_families(rows: list[tuple[str, ...]]) -> None:
    print("| " + " | ".join(FAMILY_HEADER) + " |")
    print("|" + "---|" * len(FAMILY_HEADER))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ccusage", default=os.environ.get("CCUSAGE", DEFAULT_CCUSAGE))
    view = parser.add_mutually_exclusive_group()
    view.add_argument("--markdown", action="store_true", help="print a markdown table")
    view.add_argument("--matrix", action="store_true", help="print a condensed model x case table")
    view.add_argument("--families", action="store_true", help="probe a sample of every family")
    parser.add_argument("--all", action="store_true", help="also probe pre-2025 models")
    parser.add_argument("--litellm-json", type=Path, help="LiteLLM's price json (--families)")
    args = parser.parse_args(argv)

    if args.families:
        family_rows = compare_families(args.ccusage, args.litellm_json)
        print_families(family_rows)
        return 0
    rows = compare(args.ccusage, args.all)
    if args.matrix:
        print_matrix(rows)
    else:
        print_table(rows, args.markdown)
    unpriced = sorted({r[0] for r in rows if r[5].startswith("ccusage unpriced")})
    mismatched = sorted({r[0] for r in rows if r[5] == "DIFF"})
    print(f"\nmodels ccusage does not price: {', '.join(unpriced) or 'none'}")
    print(f"models where PER_TYPE differs from ccusage: {', '.join(mismatched) or 'none'}")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
