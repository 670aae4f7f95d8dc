"""Codex rollout lines as Codex writes them (compact JSON, ``{"timestamp","type","payload"}``),
for the corpus writer and for hand-made test fixtures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Usage:
    """A Codex usage object: ``cached`` and ``cache_write`` are inside ``input``, ``reasoning``
    inside ``output``."""

    input: int = 0
    cached: int = 0
    output: int = 0
    reasoning: int = 0
    cache_write: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input + other.input,
            self.cached + other.cached,
            self.output + other.output,
            self.reasoning + other.reasoning,
            self.cache_write + other.cache_write,
        )

    def json(self, *, cache_write: bool = False) -> dict[str, int]:
        value = {
            "input_tokens": self.input,
            "cached_input_tokens": self.cached,
            "output_tokens": self.output,
            "reasoning_output_tokens": self.reasoning,
            "total_tokens": self.input + self.output,
        }
        if cache_write or self.cache_write:
            value["cache_write_input_tokens"] = self.cache_write
        return value


INSTRUCTIONS = "You are Codex, a coding agent based on GPT-5. " * 300
"""About the size of the real base instructions (13 kB)."""


def stamp(ts: datetime) -> str:
    """Codex's timestamp: UTC, milliseconds, ``Z``."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def line(ts: datetime | str | None, kind: str, payload: Any) -> str:
    envelope: dict[str, Any] = {}
    if ts is not None:
        envelope["timestamp"] = ts if isinstance(ts, str) else stamp(ts)
    envelope["type"] = kind
    envelope["payload"] = payload
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def session_meta(
    ts: datetime,
    thread: str,
    cwd: str,
    *,
    created: datetime | None = None,
    source: Any = "cli",
    forked_from: str | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    payload: dict[str, Any] = {"id": thread, "timestamp": stamp(created or ts), "cwd": cwd}
    if forked_from is not None:
        payload["forked_from_id"] = forked_from
    payload |= {
        "originator": "codex_cli_rs",
        "cli_version": "0.152.0",
        "source": source,
        "model_provider": "openai",
        "base_instructions": {"text": INSTRUCTIONS},
    }
    payload |= extra or {}
    return line(ts, "session_meta", payload)


def spawned(parent: str, *, call_id: str | None = None, role: str | None = "worker") -> Any:
    """``session_meta.source`` of a subagent thread spawned by ``parent``."""
    spawn: dict[str, Any] = {"parent_thread_id": parent, "depth": 1}
    if role is not None:
        spawn["agent_role"] = role
    if call_id is not None:
        spawn["spawn_call_id"] = call_id
    return {"subagent": {"thread_spawn": spawn}}


def turn_context(
    ts: datetime, model: str | None, cwd: str, turn_id: str, *, instructions: str = ""
) -> str:
    payload: dict[str, Any] = {
        "turn_id": turn_id,
        "cwd": cwd,
        "approval_policy": "on-request",
        "sandbox_policy": {"type": "workspace-write", "network_access": False},
    }
    if instructions:
        payload["user_instructions"] = instructions
    if model is not None:
        payload["model"] = model
        payload["collaboration_mode"] = {"mode": "default", "settings": {"model": model}}
    return line(ts, "turn_context", payload)


def rate_limits(ts: datetime, used: float) -> dict[str, Any]:
    epoch = int(ts.timestamp())
    return {
        "limit_id": "codex",
        "limit_name": None,
        "primary": {"used_percent": used, "window_minutes": 300, "resets_at": epoch + 9000},
        "secondary": {
            "used_percent": round(used / 3, 1),
            "window_minutes": 10080,
            "resets_at": epoch + 400_000,
        },
        "credits": {"has_credits": False, "unlimited": False, "balance": None},
        "plan_type": "plus",
    }


def token_count(
    ts: datetime,
    total: Usage | None,
    last: Usage | None,
    *,
    limits: dict[str, Any] | None = None,
    cache_write: bool = False,
) -> str:
    info = None
    if total is not None or last is not None:
        info = {"model_context_window": 258400}
        if total is not None:
            info["total_token_usage"] = total.json(cache_write=cache_write)
        if last is not None:
            info["last_token_usage"] = last.json(cache_write=cache_write)
    return line(ts, "event_msg", {"type": "token_count", "info": info, "rate_limits": limits})


def usage_record(
    ts: datetime, thread: str, turn_id: str, response_id: str, usage: Usage, thread_total: Usage
) -> str:
    return line(
        ts,
        "token_usage_record",
        {
            "thread_id": thread,
            "turn_id": turn_id,
            "response_id": response_id,
            "usage": usage.json(cache_write=True),
            "thread_token_usage": thread_total.json(cache_write=True),
        },
    )


def user_message(ts: datetime, text: str) -> str:
    return line(
        ts,
        "event_msg",
        {"type": "user_message", "message": text, "images": [], "local_images": []},
    )


def user_item(ts: datetime, text: str, item_id: str, thread: str | None = None) -> str:
    payload: dict[str, Any] = {"type": "item_completed"}
    if thread is not None:
        payload["thread_id"] = thread
    payload["item"] = {
        "type": "UserMessage",
        "id": item_id,
        "content": [{"type": "text", "text": text, "text_elements": []}],
    }
    return line(ts, "event_msg", payload)


def message(ts: datetime, role: str, text: str) -> str:
    kind = "output_text" if role == "assistant" else "input_text"
    return line(
        ts,
        "response_item",
        {"type": "message", "role": role, "content": [{"type": kind, "text": text}]},
    )


def reasoning(ts: datetime, size: int = 8) -> str:
    blob = "gAAA" * max(size // 4, 1)
    return line(
        ts,
        "response_item",
        {"type": "reasoning", "summary": [], "content": None, "encrypted_content": blob},
    )


def function_call(ts: datetime, name: str, arguments: Any, call_id: str) -> str:
    return line(
        ts,
        "response_item",
        {
            "type": "function_call",
            "name": name,
            "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
            "call_id": call_id,
        },
    )


def custom_tool_call(ts: datetime, name: str, text: str, call_id: str) -> str:
    payload = {"type": "custom_tool_call", "status": "completed", "call_id": call_id}
    return line(ts, "response_item", payload | {"name": name, "input": text})


def local_shell_call(ts: datetime, argv: list[str], call_id: str) -> str:
    action = {"type": "exec", "command": argv, "timeout_ms": 10000}
    payload = {"type": "local_shell_call", "call_id": call_id, "status": "completed"}
    return line(ts, "response_item", payload | {"action": action})


def tool_output(ts: datetime, call_id: str, output: str) -> str:
    return line(
        ts, "response_item", {"type": "function_call_output", "call_id": call_id, "output": output}
    )


def event(ts: datetime, kind: str, **fields: Any) -> str:
    return line(ts, "event_msg", {"type": kind, **fields})


def trigger(ts: datetime, author: str, recipient: str, content: str) -> str:
    return line(
        ts,
        "inter_agent_communication",
        {"author": author, "recipient": recipient, "content": content, "trigger_turn": True},
    )
