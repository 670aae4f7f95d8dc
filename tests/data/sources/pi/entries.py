"""Builders of pi session lines (the shapes of pi-mono's ``session-manager.ts`` and pi-ai's
``AssistantMessage``), for the hand-made pi and OpenClaw fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


def dump(record: dict[str, Any]) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def header(session_id: str, ts: datetime, cwd: str, parent: str | None = None) -> str:
    record: dict[str, Any] = {
        "type": "session",
        "version": 3,
        "id": session_id,
        "timestamp": iso(ts),
        "cwd": cwd,
    }
    if parent is not None:
        record["parentSession"] = parent
    return dump(record)


def model_change(entry: str, ts: datetime, provider: str, model: str) -> str:
    return dump(
        {
            "type": "model_change",
            "id": entry,
            "parentId": None,
            "timestamp": iso(ts),
            "provider": provider,
            "modelId": model,
        }
    )


def snapshot(entry: str, ts: datetime, provider: str, model: str) -> str:
    """OpenClaw's model-snapshot custom entry."""
    return dump(
        {
            "type": "custom",
            "customType": "model-snapshot",
            "data": {"timestamp": ms(ts), "provider": provider, "modelApi": "x", "modelId": model},
            "id": entry,
            "parentId": None,
            "timestamp": iso(ts),
        }
    )


def user(entry: str, ts: datetime, text: str) -> str:
    return dump(
        {
            "type": "message",
            "id": entry,
            "parentId": None,
            "timestamp": iso(ts),
            "message": {
                "role": "user",
                "content": [{"type": "text", "text": text}],
                "timestamp": ms(ts),
            },
        }
    )


def assistant(
    entry: str,
    ts: datetime,
    *,
    input: int,
    output: int,
    cache_read: int = 0,
    cache_write: int = 0,
    total: int | None = None,
    model: str | None = "claude-sonnet-4-5",
    provider: str | None = "anthropic",
    tools: list[tuple[str, dict[str, Any]]] = (),  # type: ignore[assignment]
    written: timedelta = timedelta(seconds=3),
    stop: str = "stop",
) -> str:
    """An assistant message: made at ``ts`` (``message.timestamp``), written ``written`` later
    (the entry's ``timestamp``), usage in pi's additive semantics."""
    content: list[dict[str, Any]] = [{"type": "text", "text": "working on it"}]
    for number, (name, arguments) in enumerate(tools):
        content.append(
            {
                "type": "toolCall",
                "id": f"call_{entry}_{number}",
                "name": name,
                "arguments": arguments,
            }
        )
    message: dict[str, Any] = {"role": "assistant", "content": content, "api": "anthropic-messages"}
    if provider is not None:
        message["provider"] = provider
    if model is not None:
        message["model"] = model
    message["usage"] = {
        "input": input,
        "output": output,
        "cacheRead": cache_read,
        "cacheWrite": cache_write,
        "totalTokens": input + output + cache_read + cache_write if total is None else total,
        "cost": {"input": 0.001, "output": 0.002, "cacheRead": 0, "cacheWrite": 0, "total": 0.003},
    }
    message["stopReason"] = "toolUse" if tools else stop
    message["timestamp"] = ms(ts)
    return dump(
        {
            "type": "message",
            "id": entry,
            "parentId": None,
            "timestamp": iso(ts + written),
            "message": message,
        }
    )


def tool_result(entry: str, ts: datetime, call: str, text: str = "ok") -> str:
    return dump(
        {
            "type": "message",
            "id": entry,
            "parentId": None,
            "timestamp": iso(ts),
            "message": {
                "role": "toolResult",
                "toolCallId": call,
                "toolName": "bash",
                "content": [{"type": "text", "text": text}],
                "isError": False,
                "timestamp": ms(ts),
            },
        }
    )


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def append(path: Path, lines: list[str]) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
