"""pi session lines (pi-mono ``session-manager.ts``, pi-ai ``AssistantMessage``), shared by the
pi and OpenClaw writers: OpenClaw runs pi's session manager, so its transcripts are the same
lines. A :class:`Transcript` builds one session's entries in order, each a child of the last
(the tree pi keeps with ``id``/``parentId``)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.plan import Call, Tool

PROVIDERS: dict[str, tuple[str, str]] = {
    "claude": ("anthropic", "anthropic-messages"),
    "gpt": ("openai", "openai-responses"),
    "gemini": ("google", "google-generative-ai"),
    "minimax": ("minimax", "anthropic-messages"),
}
"""Model family → (provider, api) pi logs with it."""
TOOL_NAMES = {"shell": "bash", "read_file": "read", "apply_patch": "edit", "write_file": "write"}
"""The plan's tools under pi's names (an unknown name stays: an extension's tool)."""


def provider_of(model: str) -> tuple[str, str]:
    for prefix, found in PROVIDERS.items():
        if model.lower().startswith(prefix):
            return found
    return ("custom", "openai-completions")


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def ms(ts: datetime) -> int:
    return round(ts.timestamp() * 1000)


def dump(record: dict[str, Any]) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Transcript:
    """One session file's lines."""

    rng: random.Random
    legacy: bool = False
    """Version 1: no entry ids and no ``totalTokens`` (pi before December 2025)."""
    lines: list[str] = field(default_factory=list)
    leaf: str | None = None

    def _id(self) -> str:
        return f"{self.rng.getrandbits(32):08x}"

    def entry(self, kind: str, ts: datetime, **fields: Any) -> str:
        record: dict[str, Any] = {"type": kind}
        if not self.legacy:
            record["id"] = entry_id = self._id()
            record["parentId"] = self.leaf
            self.leaf = entry_id
        record["timestamp"] = iso(ts)
        record.update(fields)
        line = dump(record)
        self.lines.append(line)
        return line

    def header(self, session_id: str, ts: datetime, cwd: str, **extra: Any) -> str:
        record: dict[str, Any] = {"type": "session"}
        if not self.legacy:
            record["version"] = 3
        record.update(id=session_id, timestamp=iso(ts), cwd=cwd, **extra)
        line = dump(record)
        self.lines.append(line)
        return line

    def model_change(self, ts: datetime, provider: str, model: str) -> str:
        return self.entry("model_change", ts, provider=provider, modelId=model)

    def user(self, ts: datetime, text: str) -> str:
        message = {"role": "user", "content": [{"type": "text", "text": text}], "timestamp": ms(ts)}
        return self.entry("message", ts, message=message)

    def assistant(
        self,
        call: Call,
        *,
        written: timedelta,
        cache_in_input: bool = False,
        name_model: bool = True,
        tool_names: dict[str, str] = TOOL_NAMES,
    ) -> tuple[str, list[tuple[str, Tool]]]:
        """The assistant message of a billed call (made at ``call.ts``, written ``written``
        later); ``cache_in_input``: the prompt count holds the cache reads, as pi's Gemini API
        provider logs it. Returns the line and its tool calls (id, tool)."""
        provider, api = provider_of(call.model)
        calls = [(f"call_{self.rng.getrandbits(48):012x}", tool) for tool in call.tools]
        content: list[dict[str, Any]] = []
        if call.reasoning:
            content.append({"type": "thinking", "thinking": "Let me look at this first."})
        content.append({"type": "text", "text": "On it."})
        for call_id, tool in calls:
            key = "command" if tool.name == "shell" else "path"
            arguments = {key: tool.detail} if tool.detail else {}
            content.append(
                {"type": "toolCall", "id": call_id, "name": tool_names.get(tool.name, tool.name),
                 "arguments": arguments}
            )  # fmt: skip
        logged_input = call.input + (call.cache_read if cache_in_input else 0)
        usage: dict[str, Any] = {
            "input": logged_input,
            "output": call.output,
            "cacheRead": call.cache_read,
            "cacheWrite": call.cache_write,
        }
        if not self.legacy:
            usage["totalTokens"] = (
                logged_input + call.output
                if cache_in_input
                else logged_input + call.output + call.cache_read + call.cache_write
            )
        usage["cost"] = {"input": 0.0, "output": 0.0, "cacheRead": 0.0, "cacheWrite": 0.0,
                         "total": round(self.rng.uniform(0.001, 0.2), 6)}  # fmt: skip
        message: dict[str, Any] = {"role": "assistant", "content": content, "api": api}
        if name_model:
            message.update(provider=provider, model=call.model)
        message.update(
            usage=usage, stopReason="toolUse" if calls else "stop", timestamp=ms(call.ts)
        )
        return self.entry("message", call.ts + written, message=message), calls

    def failed(self, ts: datetime, model: str, reason: str = "aborted") -> str:
        """An assistant message of a request that failed or was aborted: no tokens."""
        provider, api = provider_of(model)
        usage = {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0}
        if not self.legacy:
            usage["totalTokens"] = 0
        message = {
            "role": "assistant", "content": [], "api": api, "provider": provider, "model": model,
            "usage": usage, "stopReason": reason, "timestamp": ms(ts),
            "errorMessage": "Request was aborted" if reason == "aborted" else "fetch failed",
        }  # fmt: skip
        return self.entry("message", ts, message=message)

    def tool_result(
        self, ts: datetime, call_id: str, tool: Tool, tool_names: dict[str, str]
    ) -> str:
        message = {
            "role": "toolResult",
            "toolCallId": call_id,
            "toolName": tool_names.get(tool.name, tool.name),
            "content": [{"type": "text", "text": f"(output of {tool.detail or tool.name})"}],
            "isError": False,
            "timestamp": ms(ts),
        }
        return self.entry("message", ts, message=message)
