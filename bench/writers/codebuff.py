"""Codebuff writer: a :class:`bench.plan.Plan` as Codebuff's chat files, with their quirks.

Under ``home/.config/manicode/projects/<project>/chats/<chat-id>/chat-messages.json`` (``home``
plays ``$HOME``; the chat id is the chat's start, ``2026-03-01T10-04-05.000Z``): one JSON array,
a ``user`` message per turn and an ``ai`` message per call with its ``tool`` blocks and counts.
Quirks, none of which changes what was billed — the counts are spelled every way Codebuff has
spelled them:

* ``metadata.usage {inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens}``;
* ``metadata.codebuff.usage`` in snake case (``input_tokens`` …);
* OpenAI-style ``prompt_tokens`` with the cache inside (``prompt_tokens_details.cached_tokens``)
  and ``total_tokens``, for OpenAI models;
* agent-run messages (``variant: "agent"``) whose counts sit in the run state they carry
  (``metadata.runState.sessionState.mainAgentState.messageHistory[].providerOptions.codebuff``);
* messages without an ``id``; times as ISO strings, epoch milliseconds, or a bare ``"10:00 AM"``
  (which says no date: the chat id's time stands in — only used on the chat's first day);
* ``credits`` beside the counts; a chat with only user messages.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape

SHAPE = Shape(
    models=(("claude-sonnet-4-5-20250929", 4), ("gpt-5.1", 2), ("anthropic/claude-opus-4.5", 1)),
    cache_writes=False,
    reasoning=False,
)
"""A Codebuff history: no reasoning counts (its logs hold none), no cache writes (its
OpenAI-style counts cannot say them; the ccusage fixtures in the tests have them)."""
TOOLS = {
    "shell": ("run_terminal_command", "command"),
    "read_file": ("read_files", "paths"),
    "apply_patch": ("str_replace", "path"),
    "write_file": ("write_file", "path"),
    "update_plan": ("create_plan", None),
}


def chat_id(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H-%M-%S.") + f"{ts.microsecond // 1000:03d}Z"


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def anthropic_usage(call: Call) -> dict[str, int]:
    return {
        "inputTokens": call.input,
        "outputTokens": call.output,
        "cacheCreationInputTokens": call.cache_write,
        "cacheReadInputTokens": call.cache_read,
    }


def snake_usage(call: Call) -> dict[str, int]:
    return {
        "input_tokens": call.input,
        "output_tokens": call.output,
        "cache_creation_input_tokens": call.cache_write,
        "cache_read_input_tokens": call.cache_read,
    }


def openai_usage(call: Call) -> dict[str, Any]:
    prompt = call.input + call.cache_read + call.cache_write
    return {
        "prompt_tokens": prompt,
        "completion_tokens": call.output,
        "total_tokens": prompt + call.output,
        "prompt_tokens_details": {"cached_tokens": call.cache_read},
    }


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        if any(call.reasoning or call.cache_write for call in plan.calls()):
            raise ValueError("draw a Codebuff plan with codebuff.SHAPE (no reasoning, no writes)")
        self.plan = plan
        self.root = home / ".config" / "manicode" / "projects"
        self.rng = rng
        self.files: list[Path] = []
        self.count = 0

    def _id(self, prefix: str) -> str | None:
        self.count += 1
        return None if self.rng.random() < 0.1 else f"{prefix}-{self.count:06d}"

    def _time(self, ts: datetime, first_day: bool) -> Any:
        style = self.rng.random()
        if style < 0.1 and first_day:
            return ts.strftime("%I:%M %p").lstrip("0")
        if style < 0.3:
            return int(ts.timestamp() * 1000)
        return iso(ts)

    def _blocks(self, call: Call) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = [{"type": "text", "textType": "text", "content": "Done."}]
        for tool in call.tools:
            name, key = TOOLS.get(tool.name, (tool.name, None))
            value: Any = [tool.detail] if key == "paths" else tool.detail
            blocks.append({"type": "tool", "toolName": name,
                           "toolCallId": f"call_{self.rng.getrandbits(40):010x}",
                           "input": {key: value} if key and tool.detail else {}})  # fmt: skip
        return blocks

    def _call(self, call: Call, first_day: bool) -> dict[str, Any]:
        message: dict[str, Any] = {"variant": "ai", "content": ""}
        mid = self._id("ai")
        if mid:
            message["id"] = mid
        message["timestamp"] = self._time(call.ts, first_day)
        message["blocks"] = self._blocks(call)
        openai = "gpt" in call.model
        style = self.rng.random()
        if openai:
            message["metadata"] = {"model": call.model, "usage": openai_usage(call)}
        elif style < 0.4:
            message["metadata"] = {"model": call.model, "usage": anthropic_usage(call)}
        elif style < 0.7:
            message["metadata"] = {"model": call.model, "codebuff": {"usage": snake_usage(call)}}
        else:
            message["variant"] = "agent"
            history = [
                {"role": "user", "providerOptions": {}},
                {"role": "tool", "providerOptions": {}},
                {"role": "assistant", "providerOptions": {"codebuff": {
                    "model": call.model, "usage": anthropic_usage(call)}}},
            ]  # fmt: skip
            message["metadata"] = {
                "runState": {"sessionState": {"mainAgentState": {"messageHistory": history}}}
            }
        if self.rng.random() < 0.5:
            message["credits"] = round(call.output / 1000 + call.input / 10000, 2)
        return message

    def chat(self, session: Session) -> list[dict[str, Any]]:
        first_day = session.start.date()
        messages: list[dict[str, Any]] = []
        for turn in session.turns:
            user: dict[str, Any] = {"variant": "user", "content": turn.prompt}
            uid = self._id("user")
            if uid:
                user["id"] = uid
            user["timestamp"] = iso(turn.ts)
            messages.append(user)
            for call in turn.calls:
                messages.append(self._call(call, call.ts.date() == first_day))
        return messages

    def write(self) -> list[Path]:
        for session in self.plan.sessions:
            path = (
                self.root
                / session.project
                / "chats"
                / chat_id(session.start)
                / "chat-messages.json"
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.chat(session), indent=2), encoding="utf-8")
            (path.parent / "chat-meta.json").write_text(json.dumps({"messageCount": 1}))
            self.files.append(path)
        if self.plan.sessions and self.rng.random() < 0.5:
            only_user = self.root / "scratch" / "chats" / "2026-01-01T00-00-00.000Z"
            only_user.mkdir(parents=True, exist_ok=True)
            (only_user / "chat-messages.json").write_text('[{"variant":"user","content":"hi"}]')
            self.files.append(only_user / "chat-messages.json")
        return self.files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan as Codebuff chats under ``home``; returns the files written."""
    return _Writer(plan, home, rng).write()
