"""What the agreement scripts (``bench/agree_<source>.py``) share: tokentree's and ccusage's
per-day totals on one ``$HOME``, and ccusage's counting rules for pi, OpenClaw and Amp recomputed
from the files (from ryoppippi/ccusage ``rust/crates/ccusage/src/adapter/{pi,openclaw,amp}/``
@5816e640 and ``utils.rs``), so that every difference between the two tools is traced to a rule.

ccusage keeps no reasoning column; its output is compared as total − input − cache read − cache
write (the total includes what a ``totalTokens`` holds beyond the parts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

KINDS = ("input", "output", "cache_read", "cache_write")
Days = dict[str, dict[str, int]]
PEER = Path("/work/peer/node_modules/.bin/ccusage")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def tokentree_export(source: str, root: Path, home: Path, tz: str = "UTC") -> dict[str, Any]:
    """``tokentree export`` to the day of one source's root (in a separate process, as a user
    runs it, with ``$HOME`` at ``home``)."""
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TZ": "UTC"}
    command = [
        sys.executable, "-m", "tokentree", "export", "--json", "--level", "day", "--tz", tz,
        "--no-cache", "--no-annotate", "--source", source, "--root", f"{source}={root}",
    ]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def export_days(document: dict[str, Any]) -> Days:
    """The calls and tokens of each day of an export."""
    return {
        day["id"]: {"calls": day["totals"]["calls"], **{k: day["totals"][k] for k in KINDS}}
        for week in document["children"]
        for day in week["children"]
    }


def tokentree_days(source: str, roots: Path | Sequence[Path], home: Path, tz: str = "UTC") -> Days:
    """tokentree's calls and tokens per day, summed over the roots (each read on its own)."""
    days: Days = {}
    for root in [roots] if isinstance(roots, Path) else roots:
        for day, totals in export_days(tokentree_export(source, root, home, tz)).items():
            into = days.setdefault(day, dict.fromkeys(totals, 0))
            for kind, value in totals.items():
                into[kind] += value
    return days


def tokens_only(days: Days) -> Days:
    """The token kinds of each day (no call counts)."""
    return {day: {k: totals[k] for k in KINDS} for day, totals in days.items()}


def ccusage_daily(
    peer: Path, source: str, home: Path, extra_env: dict[str, str] | None = None, tz: str = "UTC"
) -> list[dict[str, Any]]:
    """The rows of ``ccusage <source> daily`` with ``$HOME`` at ``home``."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TZ": tz, **(extra_env or {})}
    command = [str(peer), source, "daily", "--json", "--offline", "--timezone", tz]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out).get("daily", [])


def daily_days(rows: list[dict[str, Any]]) -> Days:
    """ccusage's tokens per day; output = total − input − cache read − cache write."""
    days: Days = {}
    for row in rows:
        read, write = row["cacheReadTokens"], row.get("cacheCreationTokens", 0)
        days[row["date"]] = {
            "input": row["inputTokens"],
            "output": row["totalTokens"] - row["inputTokens"] - read - write,
            "cache_read": read,
            "cache_write": write,
        }
    return days


def ccusage_days(
    peer: Path, source: str, home: Path, extra_env: dict[str, str] | None = None, tz: str = "UTC"
) -> Days:
    """``ccusage <source> daily``'s tokens per day (:func:`daily_days`)."""
    return daily_days(ccusage_daily(peer, source, home, extra_env, tz))


def positive(value: Any) -> int:
    """A positive JSON integer, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def add_tokens(days: Days, day: str, counts: Sequence[int]) -> None:
    """Add a request's tokens (in :data:`KINDS` order) to a day, no call count (the column
    tables compare tokens only)."""
    row = days.setdefault(day, dict.fromkeys(KINDS, 0))
    for kind, value in zip(KINDS, counts, strict=True):
        row[kind] += value


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
