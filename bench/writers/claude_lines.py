"""The lines of a Claude Code transcript, shaped like Claude Code 2.x writes them (key order,
compact JSON), for the plan-driven writer (``bench/writers/claude.py``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bench.plan import Call, Tool

ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
enc = ENCODER.encode
BOM = "\ufeff"
LOOSE_STYLES = {
    "spaced": {"separators": (", ", ": ")},
    "space_colon_space": {"separators": (", ", " : ")},
    "tabs": {"separators": (",\t", ":\t")},
}
"""Whitespace variants of a line written back by another tool (Python's default, " : ", tabs)."""


def iso(ts: datetime) -> str:
    """``2026-11-20T10:00:00.123Z`` (UTC, milliseconds)."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def loose(line: str, style: str) -> str:
    return json.dumps(json.loads(line), ensure_ascii=False, **LOOSE_STYLES[style])


class Envelope:
    """The fields every line of one transcript file starts with."""

    def __init__(
        self,
        session: str,
        cwd: str,
        version: str,
        *,
        sidechain: bool = False,
        agent: str | None = None,
        slug: str | None = None,
    ) -> None:
        self.session, self.cwd, self.version = session, cwd, version
        self.sidechain, self.agent, self.slug = sidechain, agent, slug

    def head(self, parent: str | None, typ: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "parentUuid": parent,
            "isSidechain": self.sidechain,
            "userType": "external",
            "cwd": self.cwd,
            "sessionId": self.session,
            "version": self.version,
            "gitBranch": "main",
        }
        if self.agent is not None:
            d["agentId"] = self.agent
        if self.slug is not None:
            d["slug"] = self.slug
        if typ is not None:
            d["type"] = typ
        return d


def tool_use(tool: Tool, tool_id: str) -> dict[str, Any]:
    """The ``tool_use`` block of a plan tool, under Claude Code's tool names and inputs."""
    detail = tool.detail or ""
    name, inp = {
        "shell": ("Bash", {"command": detail, "description": "Run a command"}),
        "read_file": ("Read", {"file_path": detail}),
        "apply_patch": ("Edit", {"file_path": detail, "old_string": "a", "new_string": "b"}),
        "write_file": ("Write", {"file_path": detail, "content": "# notes\n"}),
        "update_plan": ("TodoWrite", {"todos": []}),
    }.get(tool.name, (tool.name, {"detail": detail} if detail else {}))
    return {"type": "tool_use", "id": tool_id, "name": name, "input": inp}


def usage(call: Call, output: int, iterations: list[dict[str, Any]] | None) -> dict[str, Any]:
    u: dict[str, Any] = {
        "input_tokens": call.input,
        "cache_creation_input_tokens": call.cache_write,
        "cache_read_input_tokens": call.cache_read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": call.cache_write,
            "ephemeral_1h_input_tokens": 0,
        },
        "output_tokens": output,
        "service_tier": "standard",
        "inference_geo": "not_available",
    }
    if iterations is not None:
        u["iterations"] = iterations
    return u


def advisor_iterations(call: Call, advisors: list[Call]) -> list[dict[str, Any]]:
    """``usage.iterations`` of a response that consulted ``advisors``: the executor's message
    iterations add up to the top-level usage; each advisor entry is billed apart."""
    first = {
        "type": "message",
        "input_tokens": call.input,
        "output_tokens": call.output // 4,
        "cache_read_input_tokens": call.cache_read,
        "cache_creation_input_tokens": call.cache_write,
    }
    last = {
        "type": "message",
        "input_tokens": 0,
        "output_tokens": call.output - call.output // 4,
        "cache_read_input_tokens": 0,
        "cache_creation_input_tokens": 0,
    }
    entries = [
        {
            "type": "advisor_message",
            "model": a.model,
            "input_tokens": a.input,
            "output_tokens": a.output,
            "cache_read_input_tokens": a.cache_read,
            "cache_creation_input_tokens": a.cache_write,
        }
        for a in advisors
    ]
    return [first, *entries, last]


def assistant(
    env: Envelope,
    parent: str | None,
    uuid: str,
    ts: datetime,
    *,
    message_id: str,
    request_id: str,
    model: str,
    block: dict[str, Any],
    usage_: dict[str, Any],
) -> str:
    d = env.head(parent)
    d["message"] = {
        "model": model,
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "content": [block],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage_,
    }
    d["requestId"] = request_id
    d["type"] = "assistant"
    d["uuid"] = uuid
    d["timestamp"] = iso(ts)
    return enc(d)


def prompt(env: Envelope, parent: str | None, uuid: str, ts: datetime, text: str) -> str:
    d = env.head(parent, "user")
    d["message"] = {"role": "user", "content": text}
    d["uuid"] = uuid
    d["timestamp"] = iso(ts)
    if not env.sidechain:
        d["permissionMode"] = "default"
    return enc(d)


def tool_result(env: Envelope, parent: str, uuid: str, ts: datetime, tool_id: str) -> str:
    d = env.head(parent, "user")
    d["message"] = {
        "role": "user",
        "content": [{"tool_use_id": tool_id, "type": "tool_result", "content": "ok"}],
    }
    d["uuid"] = uuid
    d["timestamp"] = iso(ts)
    d["toolUseResult"] = {"stdout": "ok", "stderr": "", "interrupted": False}
    return enc(d)


def progress_copy(
    env: Envelope,
    parent: str | None,
    uuid: str,
    copied: str,
    *,
    agent: str,
    tool_id: str,
    request_id: bool,
) -> str:
    """The agent_progress line of the parent for one line of a running subagent."""
    line = json.loads(copied)
    message = dict(line["message"])
    message["context_management"] = None
    copy: dict[str, Any] = {"type": "assistant", "timestamp": line["timestamp"], "message": message}
    if request_id:
        copy["requestId"] = line["requestId"]
    copy["uuid"] = line["uuid"]
    d = env.head(parent, "progress")
    d["data"] = {
        "message": copy,
        "normalizedMessages": [],
        "type": "agent_progress",
        "prompt": "Explore the code",
        "agentId": agent,
    }
    d["toolUseID"] = f"agent_{uuid}"
    d["parentToolUseID"] = tool_id
    d["uuid"] = uuid
    d["timestamp"] = line["timestamp"]
    return enc(d)


def hook(env: Envelope, parent: str | None, uuid: str, ts: datetime) -> str:
    d = env.head(parent, "progress")
    d["data"] = {"type": "hook_progress", "hookEvent": "PostToolUse", "hookName": "PostToolUse"}
    d["uuid"] = uuid
    d["timestamp"] = iso(ts)
    return enc(d)


def synthetic(env: Envelope, parent: str | None, uuid: str, ts: datetime) -> str:
    """An API error placeholder: ``<synthetic>`` model, zero usage, not a billed call."""
    d = env.head(parent)
    d["message"] = {
        "id": uuid,
        "model": "<synthetic>",
        "role": "assistant",
        "type": "message",
        "usage": {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
        "content": [{"type": "text", "text": "API Error: Request was aborted."}],
    }
    d["type"] = "assistant"
    d["uuid"] = uuid
    d["timestamp"] = iso(ts)
    d["isApiErrorMessage"] = True
    return enc(d)


def summary(text: str, leaf: str) -> str:
    return enc({"type": "summary", "summary": text, "leafUuid": leaf})
