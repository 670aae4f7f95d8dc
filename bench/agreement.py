"""What the agreement scripts of pi, OpenClaw and Amp share: tokentree's and ccusage's per-day
totals on one ``$HOME``, and ccusage's counting rules for those sources recomputed from the files
(from ryoppippi/ccusage ``rust/crates/ccusage/src/adapter/{pi,openclaw,amp}/`` @5816e640 and
``utils.rs``), so that every difference between the two tools is traced to a rule.

ccusage keeps no reasoning column; its output is compared as total − input − cache read − cache
write (the total includes what a ``totalTokens`` holds beyond the parts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

KINDS = ("input", "output", "cache_read", "cache_write")
Days = dict[str, dict[str, int]]
PEER = Path("/work/peer/node_modules/.bin/ccusage")


def tokentree_days(source: str, root: Path, home: Path) -> Days:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TZ": "UTC"}
    command = [
        sys.executable,
        "-m",
        "tokentree",
        "export",
        "--json",
        "--level",
        "day",
        "--tz",
        "UTC",
        "--no-cache",
        "--source",
        source,
        "--root",
        f"{source}={root}",
    ]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    document = json.loads(out)
    return {
        d["id"]: {"calls": d["totals"]["calls"], **{k: d["totals"][k] for k in KINDS}}
        for w in document["children"]
        for d in w["children"]
    }


def ccusage_days(peer: Path, command: str, home: Path) -> Days:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TZ": "UTC"}
    args = [str(peer), command, "daily", "--json", "--offline", "--timezone", "UTC"]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    days: Days = {}
    for row in json.loads(out).get("daily", []):
        cache = row["cacheReadTokens"] + row["cacheCreationTokens"]
        days[row["date"]] = {
            "input": row["inputTokens"],
            "output": row["totalTokens"] - row["inputTokens"] - cache,
            "cache_read": row["cacheReadTokens"],
            "cache_write": row["cacheCreationTokens"],
        }
    return days


def u64(value: Any) -> int:
    """ccusage's ``json_value_u64``: a non-negative JSON integer, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def ccusage_counts(i: int, o: int, r: int, w: int, total: int) -> tuple[int, int, int, int] | None:
    """ccusage's ``apply_total_token_fallback`` and zero test, as (input, output + the total's
    excess, cache read, cache write) — the output as total − the other kinds."""
    rest = max(total - (i + o + r + w), 0)
    o += rest
    return (i, o, r, w) if i + o + r + w else None


def iso_time(text: Any) -> datetime | None:
    """ccusage's ``parse_ts_timestamp`` (RFC 3339, seconds or milliseconds, Z or an offset)."""
    if not isinstance(text, str) or len(text) not in (20, 24, 25, 29):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def add(days: Days, ts: datetime, counts: tuple[int, ...], calls: int = 1) -> None:
    """Add a request's counts (``calls``: how many requests they are, 0 for a correction)."""
    day = days.setdefault(
        ts.astimezone(UTC).date().isoformat(), {"calls": 0, **dict.fromkeys(KINDS, 0)}
    )
    day["calls"] += calls
    for kind, value in zip(KINDS, counts, strict=True):
        day[kind] += value


def subtract(left: Days, right: Days) -> Days:
    out: Days = {}
    for day in sorted(set(left) | set(right)):
        a, b = left.get(day, {}), right.get(day, {})
        delta = {k: a.get(k, 0) - b.get(k, 0) for k in KINDS}
        if any(delta.values()):
            out[day] = delta
    return out


def same(left: Days, right: Days) -> bool:
    return not subtract(left, right)


def table(title: str, columns: dict[str, Days], causes: dict[str, Days]) -> bool:
    """Per day and kind: every column, ccusage − tokentree, and that difference split by cause
    (each cause's tokens as ccusage counts them minus tokentree's). Returns whether the causes
    explain every difference."""
    print(f"\n## {title}\n")
    names = list(columns)
    cause_names = list(causes)
    head = "| day | kind | " + " | ".join(names) + " | ccusage − tokentree |"
    head += "".join(f" {c} |" for c in cause_names) + " unexplained |"
    print(head)
    print("|---|---|" + "---:|" * (len(names) + len(cause_names) + 2))
    days = sorted({d for col in columns.values() for d in col})
    sums = {n: dict.fromkeys(KINDS, 0) for n in (*names, *cause_names, "Δ", "rest")}
    explained = True
    for day in days:
        for kind in KINDS:
            values = {n: columns[n].get(day, {}).get(kind, 0) for n in names}
            delta = values["ccusage"] - values["tokentree"]
            parts = {c: causes[c].get(day, {}).get(kind, 0) for c in cause_names}
            rest = delta - sum(parts.values())
            explained = explained and rest == 0
            for n, v in (*values.items(), *parts.items(), ("Δ", delta), ("rest", rest)):
                sums[n][kind] += v
            print(
                f"| {day} | {kind} | "
                + " | ".join(f"{values[n]:,}" for n in names)
                + f" | {delta:+,} |"
                + "".join(f" {parts[c]:+,} |" for c in cause_names)
                + f" {rest:+,} |"
            )
    for kind in KINDS:
        base = sums["tokentree"][kind]
        share = f" ({sums['Δ'][kind] / base:+.2%})" if base else ""
        print(
            f"| **all** | {kind} | "
            + " | ".join(f"{sums[n][kind]:,}" for n in names)
            + f" | {sums['Δ'][kind]:+,}{share} |"
            + "".join(f" {sums[c][kind]:+,} |" for c in cause_names)
            + f" {sums['rest'][kind]:+,} |"
        )
    equal = sum(
        all(
            columns["ccusage"].get(d, {}).get(k, 0) == columns["tokentree"].get(d, {}).get(k, 0)
            for k in KINDS
        )
        for d in days
    )
    print(
        f"\ndays: {len(days)}; equal in every kind: {equal}; every difference explained: "
        f"{explained}"
    )
    return explained
