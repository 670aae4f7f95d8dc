"""Benchmark every source together: a ≈1 GB mixed history against ccusage reading the same.

    python -m bench.mixed [--out DIR] [--target-bytes N] [--rounds 3] [--ccusage PATH]
                          [--skip-generate] [--per-source]

The corpus: Claude Code from the rich generator (``bench/corpus``, profile ``bench``) and, over
the same 60 days, Codex, Gemini CLI, OpenCode (a database and legacy JSON), Hermes and a JSONL
feed, each drawn from its own plan (``bench/plan.py``) and written by its writer
(``bench/writers/``), sized to a share of ``--target-bytes``. ``mixed.json`` beside it holds
every source's truth per UTC day and its bytes.

Each round runs ``ccusage daily --json --offline`` (which reads every assistant it knows) and
tokentree's day-level export cold (empty cache) and warm, alternating; ``--per-source`` also
times each source alone (``--source NAME`` / ``ccusage NAME daily``). tokentree's totals per source
and day are compared with the truth. Results go to ``bench/out/mixed.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.corpus import generate
from bench.plan import Shape, make_plan
from bench.run import base_env, locate_ccusage, run_measured, warm_page_cache

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "out" / "mixed"
RESULTS = REPO / "bench" / "out" / "mixed-results.json"
START, DAYS = date(2026, 9, 22), 60
TOKENTREE = [sys.executable, "-m", "tokentree", "export", "--json", "--level", "day", "--tz", "UTC"]
TOKEN_KEYS = ("calls", "input", "output", "cache_read", "cache_write")

SHARES: dict[str, tuple[float, Shape]] = {
    "codex": (
        0.16,
        Shape(models=(("gpt-5.3-codex", 4), ("gpt-5.1-codex-mini", 1), ("gpt-5.5", 1))),
    ),
    "gemini": (
        0.10,
        Shape(models=(("gemini-2.5-pro", 2), ("gemini-3-flash-preview", 3)), cache_writes=False),
    ),
    "opencode": (
        0.10,
        Shape(models=(("claude-sonnet-4-5", 3), ("gpt-5.1-codex", 1)), cache_writes=True),
    ),
    "hermes": (0.01, Shape(models=(("claude-sonnet-4-5", 2), ("gemini-2.5-pro", 1)))),
    "jsonl": (0.03, Shape(models=(("gpt-4.1", 2), ("claude-sonnet-4-5", 1)))),
}
"""Each non-Claude source's share of the bytes and the shape of its sessions; Claude Code
takes the rest."""
CCUSAGE_NAMES = {"claude": "claude", "codex": "codex", "gemini": "gemini", "opencode": "opencode",
                 "hermes": "hermes"}  # fmt: skip
"""ccusage's subcommand per source (it has no generic JSONL feed)."""


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def _write(name: str, shape: Shape, sessions: int, home: Path, seed: int) -> tuple[Any, int]:
    rng = random.Random(seed)
    plan = make_plan(rng, shape, sessions=sessions, start=START, days=DAYS)
    written = importlib.import_module(f"bench.writers.{name}").write(plan, home, rng)
    return plan, _size(written)


def generate_mixed(out: Path, target_bytes: int, seed: int) -> dict[str, Any]:
    """Write the corpus under ``out`` (plays ``$HOME``); returns and saves its truth."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    claude_bytes = int(target_bytes * (1 - sum(share for share, _ in SHARES.values())))
    manifest = generate(out, profile="bench", seed=seed, target_bytes=claude_bytes)
    truth: dict[str, Any] = {
        "claude": {"days": manifest.day_totals("UTC"), "bytes": manifest.files["bytes"]}
    }
    for index, (name, (share, shape)) in enumerate(SHARES.items(), 1):
        with tempfile.TemporaryDirectory() as tmp:  # bytes per session, from a small sample
            _, trial = _write(name, shape, 20, Path(tmp), seed + 100 * index)
        sessions = max(1, round(target_bytes * share / max(1, trial / 20)))
        plan, size = _write(name, shape, sessions, out, seed + index)
        truth[name] = {"days": plan.day_totals("UTC"), "bytes": size, "sessions": sessions}
    for source in truth.values():
        source["days"] = {
            day: {key: totals.get(key, 0) for key in TOKEN_KEYS}
            for day, totals in source["days"].items()
        }
    (out.parent / f"{out.name}.json").write_text(json.dumps(truth, indent=1, sort_keys=True))
    return truth


def _days(document: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        day["id"]: {key: day["totals"][key] for key in TOKEN_KEYS}
        for week in document["children"]
        for day in week["children"]
    }


def check(out: Path, env: dict[str, str], truth: dict[str, Any]) -> dict[str, Any]:
    """tokentree's totals per source and day against the truth (Hermes logs session totals
    only: its calls are sessions, so only tokens are compared)."""
    found: dict[str, Any] = {}
    for name, expected in truth.items():
        run = run_measured([*TOKENTREE, "--no-cache", "--source", name], env, out)
        got = _days(json.loads(run["stdout"])) if "stdout" in run else {}
        keys = TOKEN_KEYS[1:] if name == "hermes" else TOKEN_KEYS
        wrong = [
            day
            for day in sorted(set(got) | set(expected["days"]))
            if any(
                got.get(day, {}).get(k, 0) != expected["days"].get(day, {}).get(k, 0) for k in keys
            )
        ]
        found[name] = {"days": len(expected["days"]), "wrong_days": wrong}
    return found


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def timed(label: str, cmd: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    run = run_measured(cmd, env, cwd)
    run.pop("stdout", None)
    print(
        f"  {label:28} {run['wall_s']:7.2f} s wall {run['user_s'] + run['sys_s']:7.2f} s cpu "
        f"{run['tree_rss_mib']:7.1f} MiB" + ("  FAILED" if run.get("failed") else ""),
        flush=True,
    )
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--target-bytes", type=int, default=1_000_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ccusage", help="ccusage npm command (node_modules/.bin/ccusage)")
    ap.add_argument("--skip-generate", action="store_true")
    ap.add_argument("--per-source", action="store_true", help="also time each source alone")
    args = ap.parse_args(argv)
    out: Path = args.out
    truth_file = out.parent / f"{out.name}.json"
    if args.skip_generate and truth_file.exists():
        truth = json.loads(truth_file.read_text())
    else:
        truth = generate_mixed(out, args.target_bytes, args.seed)
    total = sum(source["bytes"] for source in truth.values())
    print(f"corpus {out}: {total / 1e9:.2f} GB")
    for name, source in truth.items():
        calls = sum(day["calls"] for day in source["days"].values())
        print(f"  {name:9} {source['bytes'] / 1e6:8.1f} MB {calls:9,} calls")
    _native, npm = locate_ccusage(args.ccusage, "all")
    env = base_env(out)
    warm_page_cache(out)
    cache = Path(tempfile.mkdtemp(prefix="tokentree-mixed-cache-"))
    results: dict[str, Any] = {"bytes": {k: v["bytes"] for k, v in truth.items()}}
    results["check"] = check(out, env, truth)
    print("truth:", {k: len(v["wrong_days"]) for k, v in results["check"].items()}, "wrong days")
    runs: dict[str, list[dict[str, Any]]] = {"ccusage": [], "cold": [], "warm": []}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}")
        if npm is not None:
            runs["ccusage"].append(
                timed("ccusage daily (all)", [str(npm), "daily", "--json", "--offline"], env, out)
            )
        shutil.rmtree(cache, ignore_errors=True)
        tt_env = {**env, "XDG_CACHE_HOME": str(cache)}
        runs["cold"].append(timed("tokentree cold", TOKENTREE, tt_env, out))
        runs["warm"].append(timed("tokentree warm", TOKENTREE, tt_env, out))
    summary = {
        name: {
            "wall_s": _median(items, "wall_s"),
            "rss_mib": _median(items, "tree_rss_mib"),
        }
        for name, items in runs.items()
        if items
    }
    if "ccusage" in summary:
        base = summary["ccusage"]
        for name in ("cold", "warm"):
            summary[name]["wall_ratio"] = round(summary[name]["wall_s"] / base["wall_s"], 3)
            summary[name]["rss_ratio"] = round(summary[name]["rss_mib"] / base["rss_mib"], 3)
    results["runs"], results["summary"] = runs, summary
    if args.per_source:
        per: dict[str, Any] = {}
        for name in truth:
            shutil.rmtree(cache, ignore_errors=True)
            tt_env = {**env, "XDG_CACHE_HOME": str(cache)}
            alone = [*TOKENTREE, "--source", name]
            per[name] = {"tokentree": timed(f"tokentree --source {name}", alone, tt_env, out)}
            if npm is not None and name in CCUSAGE_NAMES:
                cmd = [str(npm), CCUSAGE_NAMES[name], "daily", "--json", "--offline"]
                per[name]["ccusage"] = timed(f"ccusage {CCUSAGE_NAMES[name]} daily", cmd, env, out)
        results["per_source"] = per
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, default=str))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
