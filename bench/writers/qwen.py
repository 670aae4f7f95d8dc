"""Qwen Code writer: a :class:`bench.plan.Plan` as Qwen Code's chat files, with their quirks.

Under ``home/.qwen/projects/<sanitised-cwd>/chats/<session>.jsonl`` (``home`` plays ``$HOME``),
one ``ChatRecord`` per line, compact JSON as ``JSON.stringify`` writes it: a ``user`` record per
turn, then per call a ``system``/``ui_telemetry`` record (the ``qwen-code.api_response`` event,
which repeats the call's counts), the ``assistant`` record with ``usageMetadata`` and the call's
``functionCall`` parts, and a ``tool_result`` record per tool. Quirks, none of which changes what
was billed:

* Gemini API counts: ``promptTokenCount`` includes ``cachedContentTokenCount``; most sessions go
  through Qwen's OpenAI-compatible client, where ``candidatesTokenCount`` is the provider's
  ``completion_tokens`` with the reasoning inside it (``totalTokenCount`` = prompt +
  candidates), the others through the Gemini API (thoughts apart, total = prompt + candidates +
  thoughts);
* ``/branch`` copies: a new session file repeating the records verbatim but for ``sessionId``
  and a ``forkedFrom`` stamp (the same uuids: the same calls in two sessions);
* subagent records (``isSidechain``, ``agentId``) in the session's file;
* title records re-appended as the file grows, slash commands, compression checkpoints;
* now and then a malformed line, and sometimes a last line still being written.
"""

from __future__ import annotations

import json
import random
import re
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape, Tool

SHAPE = Shape(
    models=(("qwen3.5-plus", 3), ("qwen3-coder-plus", 2), ("coder-model", 1)),
    cache_writes=False,
    reasoning=True,
)
"""A Qwen Code history: no cache writes (Gemini-shaped counts have none)."""
VERSION = "0.15.6"
TOOLS = {
    "shell": ("run_shell_command", "command"),
    "read_file": ("read_file", "absolute_path"),
    "apply_patch": ("edit", "file_path"),
    "write_file": ("write_file", "file_path"),
    "update_plan": ("todo_write", None),
}


def sanitise(cwd: str) -> str:
    """The project directory name of a working directory (non-alphanumerics → ``-``)."""
    return re.sub(r"[^a-zA-Z0-9]", "-", cwd)


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def usage_metadata(call: Call, *, openai: bool) -> dict[str, int]:
    """A call's counts as Qwen records them (see the module)."""
    prompt = call.input + call.cache_read
    if openai:
        meta = {"promptTokenCount": prompt, "candidatesTokenCount": call.output}
        if call.reasoning:
            meta["thoughtsTokenCount"] = call.reasoning
        meta["totalTokenCount"] = prompt + call.output
    else:
        meta = {
            "promptTokenCount": prompt,
            "candidatesTokenCount": call.output - call.reasoning,
            "thoughtsTokenCount": call.reasoning,
            "totalTokenCount": prompt + call.output,
        }
    if call.cache_read:
        meta["cachedContentTokenCount"] = call.cache_read
    return meta


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        if any(call.cache_write for call in plan.calls()):
            raise ValueError("Qwen Code records no cache writes: draw the plan with qwen.SHAPE")
        self.plan = plan
        self.root = home / ".qwen" / "projects"
        self.rng = rng
        self.files: list[Path] = []

    def _uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def _base(self, session: Session, ts: datetime, kind: str, parent: str | None) -> dict:
        return {
            "uuid": self._uuid(),
            "parentUuid": parent,
            "sessionId": session.id,
            "timestamp": iso(ts),
            "type": kind,
            "cwd": session.cwd,
            "version": VERSION,
            "gitBranch": "main",
        }

    def _tool(self, tool: Tool) -> tuple[str, dict[str, Any]]:
        name, key = TOOLS.get(tool.name, (tool.name, None))
        return name, ({key: tool.detail} if key and tool.detail else {})

    def session(self, session: Session) -> list[dict[str, Any] | str]:
        openai = self.rng.random() < 0.75
        lines: list[dict[str, Any] | str] = []
        parent: str | None = None

        def add(record: dict[str, Any]) -> None:
            nonlocal parent
            lines.append(record)
            parent = record["uuid"]

        for turn in session.turns:
            user = self._base(session, turn.ts, "user", parent)
            user["message"] = {"role": "user", "parts": [{"text": turn.prompt}]}
            add(user)
            sub = self.rng.random() < 0.15
            for call in turn.calls:
                meta = usage_metadata(call, openai=openai)
                telemetry = self._base(session, call.ts, "system", parent)
                telemetry["subtype"] = "ui_telemetry"
                telemetry["systemPayload"] = {
                    "uiEvent": {
                        "event.name": "qwen-code.api_response",
                        "response_id": f"chatcmpl-{call.id}",
                        "model": call.model,
                        "input_token_count": meta["promptTokenCount"],
                        "output_token_count": meta["candidatesTokenCount"],
                        "cached_content_token_count": call.cache_read,
                        "thoughts_token_count": call.reasoning,
                        "total_token_count": meta["totalTokenCount"],
                        "auth_type": "openai" if openai else "gemini",
                    }
                }
                add(telemetry)
                parts: list[dict[str, Any]] = []
                if call.reasoning:
                    parts.append({"text": "Let me look.", "thought": True})
                parts.append({"text": "Done."})
                calls = []
                for tool in call.tools:
                    name, args = self._tool(tool)
                    calls.append((f"call_{self.rng.getrandbits(48):012x}", name, args))
                    parts.append({"functionCall": {"id": calls[-1][0], "name": name, "args": args}})
                record = self._base(session, call.ts, "assistant", parent)
                record["model"] = call.model
                record["contextWindowSize"] = 1000000
                record["usageMetadata"] = meta
                record["message"] = {"role": "model", "parts": parts}
                if sub and call is turn.calls[-1]:
                    record["isSidechain"] = True
                    record["agentId"] = f"explore-{self.rng.getrandbits(16):04x}"
                add(record)
                for call_id, name, _ in calls:
                    result = self._base(session, call.ts, "tool_result", parent)
                    result["toolCallResult"] = {"callId": call_id, "status": "success"}
                    result["message"] = {
                        "role": "user",
                        "parts": [{"functionResponse": {"id": call_id, "name": name,
                                                        "response": {"output": "ok"}}}],
                    }  # fmt: skip
                    add(result)
            if self.rng.random() < 0.3:
                title = self._base(session, turn.ts, "system", parent)
                title["subtype"] = "custom_title"
                title["systemPayload"] = {"customTitle": turn.prompt[:30], "titleSource": "auto"}
                lines.append(title)
                if self.rng.random() < 0.5:
                    lines.append(dict(title))  # re-anchored at the end of the file
            if self.rng.random() < 0.03:
                lines.append('{"uuid":"cut","type":"assistant","usageMetadata":{"promptTok')
        return lines

    def _write(self, path: Path, lines: list[dict[str, Any] | str], torn: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join((line if isinstance(line, str) else dumps(line)) + "\n" for line in lines)
        if torn:
            text += '{"uuid":"x","type":"assistant","timestamp":"2026-'
        path.write_text(text, encoding="utf-8")
        self.files.append(path)

    def write(self) -> list[Path]:
        for session in self.plan.sessions:
            chats = self.root / sanitise(session.cwd) / "chats"
            lines = self.session(session)
            self._write(chats / f"{session.id}.jsonl", lines, self.rng.random() < 0.05)
            if self.rng.random() < 0.15:  # /branch: the records again, in a new session
                branch = self._uuid()
                copied: list[dict[str, Any] | str] = []
                for line in lines:
                    if isinstance(line, dict):
                        line = {**line, "sessionId": branch,
                                "forkedFrom": {"sessionId": session.id,
                                               "messageUuid": line["uuid"]}}  # fmt: skip
                    copied.append(line)
                self._write(chats / f"{branch}.jsonl", copied, False)
        return self.files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan as Qwen Code's chats under ``home``; returns the files written."""
    return _Writer(plan, home, rng).write()
