"""Conformance samples for the JSONL feed: a proxy log with request ids (one request logged
twice, OpenAI-style prompt counts with ``cached_included``) and a script's feed without them
(epoch timestamps, numbers as strings, explicit sessions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.data.sources.truth import Truth


def line(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def write_lines(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(item + "\n" for item in lines), encoding="utf-8")
    return path


def _proxy(root: Path) -> Path:
    return root / "proxy.jsonl"


def _script(root: Path) -> Path:
    return root / "scripts" / "nightly.jsonl"


def write_sample(root: Path) -> Truth:
    base = {"model": "gpt-4.1", "service": "litellm", "project": "atlas"}
    write_lines(
        _proxy(root),
        [
            line(timestamp="2026-11-20T10:00:00Z", input_tokens=1200, output_tokens=80,
                 cache_read_tokens=1000, cached_included=True, request_id="req-1", **base),
            # the proxy retried its logging: the same request counts once
            line(timestamp="2026-11-20T10:00:00Z", input_tokens=1200, output_tokens=80,
                 cache_read_tokens=1000, cached_included=True, request_id="req-1", **base),
            line(timestamp="2026-11-20T11:30:00+01:00", input_tokens=50, output_tokens=12,
                 request_id="req-2", tools=["shell"], **base),
        ],
    )  # fmt: skip
    write_lines(
        _script(root),
        [
            line(timestamp=1763647200, model="claude-sonnet-4-5", input_tokens="30",
                 output_tokens="7", cache_write_tokens="400", session_id="nightly-1"),
            line(timestamp=1763647260000, model="claude-sonnet-4-5", input_tokens=5,
                 output_tokens=9.0, cache_read_tokens=400, session_id="nightly-1"),
        ],
    )  # fmt: skip
    return Truth(calls=4, input=200 + 50 + 30 + 5, output=80 + 12 + 7 + 9, cache_read=1400,
                 cache_write=400)  # fmt: skip


def grow(root: Path) -> Truth:
    """The proxy appends a request."""
    with open(_proxy(root), "a", encoding="utf-8") as handle:
        handle.write(
            line(timestamp="2026-11-20T12:00:00Z", model="gpt-4.1", input_tokens=7,
                 output_tokens=3, request_id="req-3") + "\n"
        )  # fmt: skip
    return Truth(calls=1, input=7, output=3)


def data_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.jsonl"))
