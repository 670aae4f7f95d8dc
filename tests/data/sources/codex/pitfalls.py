"""Helpers for hand-made Codex fixtures: write rollouts into a Codex home, read them back with
tokentree and with the reference reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import zstandard

from bench.writers import codex_lines as cx
from bench.writers.codex import LOCAL
from bench.writers.codex_lines import Usage
from tests.conftest import days_of, export
from tests.data.sources.codex.reference import day_totals, read_calls

KEYS = ("calls", "input", "output", "cache_read", "cache_write")
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CWD = "/home/dev/src/atlas"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def u(inp: int, cached: int, out: int, reasoning: int = 0, write: int = 0) -> Usage:
    return Usage(input=inp, cached=cached, output=out, reasoning=reasoning, cache_write=write)


def thread_id(n: int) -> str:
    return f"019b0000-0000-7000-8000-{n:012d}"


def rollout(
    home: Path,
    thread: str,
    lines: list[str],
    *,
    start: datetime = T0,
    folder: str = "sessions",
    compressed: bool = False,
) -> Path:
    """Write a rollout where Codex would (date folders in local time, here UTC+1)."""
    local = start.astimezone(LOCAL)
    name = f"rollout-{local:%Y-%m-%dT%H-%M-%S}-{thread}.jsonl"
    directory = home / folder
    if folder == "sessions":
        directory = directory / f"{local:%Y/%m/%d}"
    directory.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode()
    path = directory / name
    if compressed:
        path = directory / (name + ".zst")
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def request(ts: datetime, total: Usage, last: Usage, model: str | None = "gpt-5.3-codex") -> list:
    """A request's turn_context and its token_count."""
    return [
        cx.turn_context(ts - timedelta(seconds=2), model, CWD, "turn"),
        cx.token_count(ts, total, last),
    ]


def totals(home: Path, tz: str = "UTC", *extra: str) -> tuple[dict[str, int], dict[str, Any]]:
    """tokentree's totals of a Codex home (checked against the reference reader's)."""
    document, stderr = export("--root", f"codex={home}", "--tz", tz, *extra)
    days = {day: {k: node["totals"][k] for k in KEYS} for day, node in days_of(document).items()}
    assert days == day_totals(read_calls([home]), tz), stderr
    return {k: document["totals"][k] for k in KEYS}, document


def expect(*usages: Usage) -> dict[str, int]:
    """Totals of billed requests given in Codex's semantics."""
    return {
        "calls": len(usages),
        "input": sum(x.input - x.cached - x.cache_write for x in usages),
        "output": sum(x.output for x in usages),
        "cache_read": sum(x.cached for x in usages),
        "cache_write": sum(x.cache_write for x in usages),
    }
