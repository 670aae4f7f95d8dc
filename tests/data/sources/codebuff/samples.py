"""Conformance samples for Codebuff: a ``projects`` directory with two chats, their counts spelled
three ways (camel case, the codebuff metadata's snake case, OpenAI's prompt tokens with the cache
inside)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.data.sources.truth import Truth

CHAT_A = "atlas/chats/2026-11-20T10-00-00.000Z/chat-messages.json"
CHAT_B = "billing/chats/2026-11-20T12-30-00.000Z/chat-messages.json"


def _messages(root: Path, name: str) -> list:
    path = root / name
    return json.loads(path.read_text()) if path.exists() else []


def _write(root: Path, name: str, messages: list) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(messages, indent=2), encoding="utf-8")


def write_sample(root: Path) -> Truth:
    camel = {"inputTokens": 120, "outputTokens": 40, "cacheCreationInputTokens": 200,
             "cacheReadInputTokens": 3000}  # fmt: skip
    snake = {"input_tokens": 15, "output_tokens": 9, "cache_read_input_tokens": 500}
    tool = {"type": "tool", "toolName": "run_terminal_command", "toolCallId": "c1",
            "input": {"command": "pytest -q"}}  # fmt: skip
    _write(root, CHAT_A, [
        {"id": "u1", "variant": "user", "content": "fix the parser",
         "timestamp": "2026-11-20T10:00:01.000Z"},
        {"id": "a1", "variant": "ai", "timestamp": "2026-11-20T10:00:09.000Z", "blocks": [tool],
         "metadata": {"model": "claude-sonnet-4-5-20250929", "usage": camel}},
        {"id": "a2", "variant": "ai", "timestamp": "2026-11-20T10:01:00.000Z",
         "metadata": {"model": "claude-sonnet-4-5-20250929", "codebuff": {"usage": snake}}},
    ])  # fmt: skip
    openai = {"prompt_tokens": 1070, "completion_tokens": 30, "total_tokens": 1100,
              "prompt_tokens_details": {"cached_tokens": 1000}}  # fmt: skip
    _write(root, CHAT_B, [
        {"id": "b1", "variant": "ai", "timestamp": "2026-11-20T12:30:05.000Z",
         "metadata": {"model": "openai/gpt-5.1", "usage": openai}},
    ])  # fmt: skip
    return Truth(calls=3, input=205, output=79, cache_read=4500, cache_write=200)


def grow(root: Path) -> Truth:
    """Codebuff rewrites the chat with the next response."""
    messages = _messages(root, CHAT_A)
    messages.append({"id": "a3", "variant": "ai", "timestamp": "2026-11-20T10:02:00.000Z",
                     "metadata": {"model": "claude-sonnet-4-5-20250929",
                                  "usage": {"inputTokens": 11, "outputTokens": 4,
                                            "cacheReadInputTokens": 300}}})  # fmt: skip
    _write(root, CHAT_A, messages)
    return Truth(calls=1, input=11, output=4, cache_read=300)


def data_files(root: Path) -> list[Path]:
    return sorted(root.rglob("chat-messages.json"))
