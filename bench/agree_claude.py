"""Per-day agreement of tokentree with ccusage 20.0.24 (and with the ground truth when there is
one) on Claude Code transcripts. Not a test: ccusage is not installed in CI.

    python -m bench.agree_claude --samples                   # the real samples
    python -m bench.agree_claude --generate quirks --seed 7  # bench.corpus (manifest truth)
    python -m bench.agree_claude --generate plan --seed 11   # bench.writers.claude (plan truth)
    python -m bench.agree_claude --home DIR                  # any HOME with .claude/projects

Both tools run with ``HOME`` and ``CLAUDE_CONFIG_DIR`` pointed at the data, offline, in UTC.
ccusage's cache writes are ``cacheCreationTokens``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

CCUSAGE = Path("/work/peer/node_modules/.bin/ccusage")
SAMPLES = Path("/work/shared/samples/claude")
KINDS = ("input", "output", "cache_read", "cache_write")
Days = dict[str, dict[str, int]]


def run_ccusage(home: Path, ccusage: Path) -> Days:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
        "TZ": "UTC",
    }
    args = [str(ccusage), "claude", "daily", "--json", "--offline", "--timezone", "UTC"]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    return {
        row.get("period") or row["date"]: {
            "input": row["inputTokens"],
            "output": row["outputTokens"],
            "cache_read": row["cacheReadTokens"],
            "cache_write": row["cacheCreationTokens"],
        }
        for row in json.loads(out)["daily"]
    }


def run_tokentree(home: Path) -> Days:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
        "XDG_CACHE_HOME": str(home / ".cache-tokentree"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "TZ": "UTC",
    }
    args = [sys.executable, "-m", "tokentree", "export", "--json", "--level", "day", "--tz", "UTC"]
    args += ["--source", "claude"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    document = json.loads(done.stdout)
    return {
        day["id"]: {kind: day["totals"][kind] for kind in KINDS}
        for week in document["children"]
        for day in week["children"]
    }


# ------------------------------------------------------------------ ccusage's rules, modelled
# What ccusage 20.0.24 does with Claude Code lines, as established line by line in
# docs/counting.md ("Where ccusage 20.0.24 differs"). When this model gives ccusage's numbers on
# every day of a corpus, the differences from tokentree are fully explained by these rules.


RULES = {
    "compact-only": "a line without the compact '\"usage\":{' is skipped (whitespace variants)",
    "bom": "a file's first line is lost when the file starts with a byte-order mark",
    "strict-text": "a line with invalid UTF-8 or a lone surrogate escape is dropped",
    "copies-on-main": "an agent_progress copy counts as a main-thread entry (preferred)",
    "no-rid-by-time": "an entry without requestId matches only entries with its timestamp",
    "no-advisor-in-copies": "advisor entries are read from a line's own usage, not copies",
}
"""ccusage 20.0.24's behaviours that differ from tokentree's rules (docs/counting.md)."""


def _usage_entries(raw: bytes, rules: frozenset[str], first: bool) -> list[dict]:
    """The usage entries ccusage reads from one line (none when it drops the line)."""
    if first and "bom" not in rules:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    if "compact-only" in rules and b'"usage":{' not in raw:
        return []
    strict = "strict-text" in rules
    try:
        line = json.loads(raw.decode("utf-8", "strict" if strict else "replace"))
    except (UnicodeError, ValueError):
        return []
    if not isinstance(line, dict) or (strict and _has_lone_surrogate(line)):
        return []
    direct = isinstance(line.get("message"), dict) and "timestamp" in line
    record = line if direct else ((line.get("data") or {}).get("message") or {})
    message = record.get("message") if isinstance(record, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("usage"), dict):
        return []
    if "timestamp" not in record:
        return []
    copy_side = "copies-on-main" not in rules and not direct
    base = {
        "ts": record["timestamp"],
        "rid": record.get("requestId"),
        "side": bool(record.get("isSidechain")) or copy_side,
    }
    usage = message["usage"]
    entries = [base | {"mid": message.get("id"), "usage": usage}]
    if direct or "no-advisor-in-copies" not in rules:
        advisors = [
            it
            for it in usage.get("iterations") or []
            if isinstance(it, dict) and it.get("type") == "advisor_message"
        ]
        for n, it in enumerate(advisors):
            entries.append(base | {"mid": f"{message.get('id')}:advisor:{n}", "usage": it})
    return entries


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _tokens(usage: dict) -> dict[str, int]:
    def n(d: dict, k: str) -> int:
        v = d.get(k)
        return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0

    cache = usage.get("cache_creation")
    if isinstance(cache, dict):
        write = n(cache, "ephemeral_5m_input_tokens") + n(cache, "ephemeral_1h_input_tokens")
    else:
        write = n(usage, "cache_creation_input_tokens")
    return {
        "input": n(usage, "input_tokens"),
        "output": n(usage, "output_tokens"),
        "cache_read": n(usage, "cache_read_input_tokens"),
        "cache_write": write,
    }


def ccusage_model(home: Path, rules: frozenset[str] = frozenset(RULES)) -> Days:
    """ccusage's per-day totals by the rules above: files in the order of their first entry;
    entries keyed (message id, request id), a missing request id keyed with the timestamp
    instead; a sidechain entry also matches any entry of its message id (and loses to a
    non-sidechain one); else the larger total wins."""
    kept: list[dict] = []
    exact: dict[tuple, int] = {}
    by_id: dict[str, list[int]] = {}
    files = []
    for path in sorted((home / ".claude" / "projects").rglob("*.jsonl")):
        lines = path.read_bytes().split(b"\n")
        entries = [e for n, raw in enumerate(lines) for e in _usage_entries(raw, rules, n == 0)]
        files.append((min((e["ts"] for e in entries), default="~"), str(path), entries))
    for _first, _path, entries in sorted(files):  # files in the order of their first entry
        for entry in entries:
            entry["tokens"] = _tokens(entry["usage"])
            mid = entry["mid"]
            if mid is None:
                kept.append(entry)
                continue
            key = (mid, entry["rid"])
            if entry["rid"] is None and "no-rid-by-time" in rules:
                key = (mid, None, entry["ts"])
            index = exact.get(key)
            if index is None:
                index = next(
                    (i for i in by_id.get(mid, []) if entry["side"] or kept[i]["side"]), None
                )
            if index is not None:
                old = kept[index]
                if entry["side"] != old["side"]:
                    replace = old["side"]
                else:
                    replace = sum(entry["tokens"].values()) > sum(old["tokens"].values())
                if replace:
                    kept[index] = entry
                continue
            kept.append(entry)
            exact[key] = len(kept) - 1
            by_id.setdefault(mid, []).append(len(kept) - 1)
    days: Days = {}
    for entry in kept:
        day = days.setdefault(entry["ts"][:10], dict.fromkeys(KINDS, 0))
        for kind in KINDS:
            day[kind] += entry["tokens"][kind]
    return days


def table(columns: dict[str, Days]) -> tuple[str, int]:
    """The per-day table (``<--`` where tokentree and ccusage differ) and the number of such
    (day, kind) cells."""
    names = list(columns)
    days = sorted({day for days in columns.values() for day in days})
    head = f"{'day':<10} {'kind':<11} " + " ".join(f"{n:>14}" for n in names)
    lines = [head]
    differing = 0
    for day in days:
        for kind in KINDS:
            values = {n: columns[n].get(day, {}).get(kind, 0) for n in names}
            differs = values["tokentree"] != values["ccusage"]
            differing += differs
            cells = " ".join(f"{v:>14,}" for v in values.values())
            lines.append(f"{day:<10} {kind:<11} {cells}" + ("  <--" if differs else ""))
    for kind in KINDS:
        total = " ".join(f"{sum(d.get(kind, 0) for d in columns[n].values()):>14,}" for n in names)
        lines.append(f"{'total':<10} {kind:<11} {total}")
    return "\n".join(lines), differing


def total(days: Days, kind: str) -> int:
    return sum(day.get(kind, 0) for day in days.values())


def same(a: Days, b: Days) -> bool:
    """Equal on every day (a day missing on one side counts as zeros)."""
    zero = dict.fromkeys(KINDS, 0)
    return all(a.get(day, zero) == b.get(day, zero) for day in set(a) | set(b))


def generate(kind: str, seed: int, home: Path) -> Days:
    """Write a corpus under ``home``; returns its ground truth per UTC day."""
    if kind == "plan":
        from bench.plan import Shape, make_plan
        from bench.writers import claude

        shape = Shape(
            models=(("claude-sonnet-4-6", 5), ("claude-opus-4-6", 3), ("claude-haiku-4-5", 2)),
            cache_writes=True,
            advisors=(("claude-opus-4-7", 1),),
            p_advisor=0.08,
        )
        plan = make_plan(random.Random(seed), shape, sessions=60, start=date(2026, 11, 1), days=14)
        claude.write(plan, home, random.Random(seed))
        truth = plan.day_totals("UTC")
    else:
        from bench.corpus import generate as generate_corpus

        truth = generate_corpus(home, profile=kind, seed=seed).day_totals("UTC")  # type: ignore[arg-type]
    return {day: {k: totals[k] for k in KINDS} for day, totals in truth.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--samples", action="store_true", help=f"the real samples in {SAMPLES}")
    what.add_argument("--generate", choices=["plan", "quirks", "small", "demo"])
    what.add_argument("--home", type=Path, help="a HOME with .claude/projects")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ccusage", type=Path, default=CCUSAGE)
    ap.add_argument("--keep", action="store_true", help="keep the generated HOME")
    a = ap.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="agree-claude-"))
    try:
        home = a.home or scratch
        columns: dict[str, Days] = {}
        if a.samples:
            shutil.copytree(SAMPLES, home / ".claude" / "projects" / "samples")
        elif a.generate:
            columns["truth"] = generate(a.generate, a.seed, home)
        columns["tokentree"] = run_tokentree(home)
        columns["ccusage"] = run_ccusage(home, a.ccusage)
        columns["ccusage rules"] = ccusage_model(home)
        text, differing = table(columns)
        print(text)
        print(f"\ntokentree and ccusage differ in {differing} (day, kind) cells")
        if "truth" in columns:
            agree = same(columns["truth"], columns["tokentree"])
            print(f"tokentree == the ground truth on every day: {agree}")
        explained = same(columns["ccusage"], columns["ccusage rules"])
        print(f"ccusage == the model of its rules on every day: {explained}")
        plain = same(ccusage_model(home, frozenset()), columns["tokentree"])
        print(f"the model without those rules == tokentree on every day: {plain}")
        print("\nccusage's rules added one at a time (change in the total of each kind):")
        active: frozenset[str] = frozenset()
        before = ccusage_model(home, active)
        for rule, text in RULES.items():
            active |= {rule}
            after = ccusage_model(home, active)
            change = " ".join(f"{k} {total(after, k) - total(before, k):+,}" for k in KINDS)
            print(f"  + {rule:<21} {change}\n      {text}")
            before = after
        if a.keep:
            print(f"data kept in {home}")
        return 0
    finally:
        if not a.keep and not a.home:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
