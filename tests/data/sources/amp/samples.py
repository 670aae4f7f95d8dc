"""Conformance samples for Amp: a thread in the current schema (usage on each assistant
message, one usage with only a total, a request of zero tokens) and a thread written before
January 2026 (its usage ledger names the messages whose usage holds the cache counts).
Hand-computed truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.data.sources.truth import Truth

CURRENT = "T-0b1c2d3e-0000-4000-8000-000000000001"
LEGACY = "T-0b1c2d3e-0000-4000-8000-000000000002"


def threads(root: Path) -> Path:
    return root / "threads"


def usage(model: str, ts: str, i: int, o: int, w: int, r: int, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "inputTokens": i,
        "outputTokens": o,
        "cacheCreationInputTokens": w,
        "cacheReadInputTokens": r,
        "totalInputTokens": i + w + r,
        "timestamp": ts,
        **extra,
    }


def text(role: str, number: int, words: str, **extra: Any) -> dict[str, Any]:
    return {
        "role": role,
        "messageId": number,
        "content": [{"type": "text", "text": words}],
        **extra,
    }


def write_thread(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _current(extra_messages: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    model = "claude-sonnet-4-5-20250929"
    return {
        "v": 3,
        "id": CURRENT,
        "created": 1795335600000,
        "title": "Fix the flaky upload test",
        "env": {"initial": {"trees": [{"displayName": "uploader",
                                         "uri": "file:///home/dev/src/uploader"}]}},
        "messages": [
            text("user", 0, "fix the flaky upload test", meta={"sentAt": 1795335601000}),
            {
                "role": "assistant",
                "messageId": 1,
                "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash",
                             "input": {"cmd": "pytest -q tests/test_upload.py"}}],
                "usage": usage(model, "2026-11-22T08:20:05.000Z", 12, 240, 8200, 0),
            },
            {"role": "user", "messageId": 2,
             "content": [{"type": "tool_result", "toolUseID": "toolu_1",
                          "run": {"status": "done", "result": {"output": "1 failed"}}}]},
            {"role": "assistant", "messageId": 3, "content": [{"type": "text", "text": "fixed"}],
             "usage": usage(model, "2026-11-22T08:20:30.000Z", 4, 95, 700, 8200)},
            {"role": "assistant", "messageId": 4,
             "usage": {"model": "claude-haiku-4-5-20251001", "totalTokens": 345,
                       "timestamp": "2026-11-22T08:21:00.000Z"}},
            {"role": "assistant", "messageId": 5,
             "usage": usage(model, "2026-11-22T08:21:10.000Z", 0, 0, 0, 0)},
            *extra_messages,
        ],
    }  # fmt: skip


def write_sample(root: Path) -> Truth:
    write_thread(threads(root) / f"{CURRENT}.json", _current())
    model = "claude-haiku-4-5-20251001"
    write_thread(
        threads(root) / f"{LEGACY}.json",
        {
            "id": LEGACY,
            "created": 1763891000000,
            "messages": [
                text("user", 0, "rename the config loader"),
                {"role": "assistant", "messageId": 1,
                 "usage": {"model": model, "inputTokens": 100, "outputTokens": 50,
                           "cacheCreationInputTokens": 500, "cacheReadInputTokens": 200,
                           "credits": 1.5}},
            ],
            "usageLedger": {"events": [
                {"id": "event-1", "timestamp": "2025-11-23T10:00:00.000Z", "model": model,
                 "credits": 1.5, "tokens": {"input": 100, "output": 50},
                 "operationType": "inference", "fromMessageId": 0, "toMessageId": 1},
            ]},
        },
    )  # fmt: skip
    return Truth(
        calls=4,
        input=12 + 4 + 0 + 100,
        output=240 + 95 + 345 + 50,
        cache_read=0 + 8200 + 0 + 200,
        cache_write=8200 + 700 + 0 + 500,
    )


def grow(root: Path) -> Truth:
    """Amp rewrites the thread with one more request."""
    more = [
        text("user", 6, "and the retry test?"),
        {"role": "assistant", "messageId": 7,
         "usage": usage("claude-sonnet-4-5-20250929", "2026-11-22T08:30:00.000Z", 6, 130, 400,
                        8900)},
    ]  # fmt: skip
    write_thread(threads(root) / f"{CURRENT}.json", _current(more))
    return Truth(calls=1, input=6, output=130, cache_read=8900, cache_write=400)


def data_files(root: Path) -> list[Path]:
    return sorted(threads(root).glob("*.json"))
