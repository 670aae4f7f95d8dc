"""Builders for hand-written Claude Code transcript lines (compact JSON, real key order)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def assistant(
    mid: str | None,
    ts: str,
    *,
    rid: str | None = "req",
    session: str = "s1",
    model: str = "claude-sonnet-4-5-20250929",
    inp: int = 10,
    out: int = 5,
    read: int = 0,
    write5: int = 0,
    write1h: int = 0,
    tool: str | None = None,
    tool_input: dict[str, Any] | None = None,
    sidechain: bool = False,
    agent: str | None = None,
    uuid: str = "u",
    cwd: str = "/home/dev/src/atlas",
    iterations: list[dict[str, Any]] | None = None,
) -> str:
    content: list[dict[str, Any]]
    if tool:
        content = [
            {"type": "tool_use", "id": f"toolu_{uuid}", "name": tool, "input": tool_input or {}}
        ]
    else:
        content = [{"type": "text", "text": "ok"}]
    line: dict[str, Any] = {
        "parentUuid": None,
        "isSidechain": sidechain,
        "userType": "external",
        "cwd": cwd,
        "sessionId": session,
        "version": "2.1.38",
        "gitBranch": "main",
    }
    if agent:
        line["agentId"] = agent
    line["message"] = {
        "model": model,
        "id": mid,
        "type": "message",
        "role": "assistant",
        "content": content,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {
            "input_tokens": inp,
            "cache_creation_input_tokens": write5 + write1h,
            "cache_read_input_tokens": read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": write5,
                "ephemeral_1h_input_tokens": write1h,
            },
            "output_tokens": out,
            "service_tier": "standard",
        },
    }
    if iterations is not None:
        line["message"]["usage"]["iterations"] = iterations
    if mid is None:
        del line["message"]["id"]
    if rid is not None:
        line["requestId"] = rid
    line.update({"type": "assistant", "uuid": uuid, "timestamp": ts})
    return dumps(line)


def prompt(text: str, ts: str, *, session: str = "s1", uuid: str = "p", **extra: Any) -> str:
    return dumps(
        {
            "parentUuid": None,
            "isSidechain": False,
            "userType": "external",
            "cwd": "/home/dev/src/atlas",
            "sessionId": session,
            "version": "2.1.38",
            "gitBranch": "main",
            "type": "user",
            "message": {"role": "user", "content": text},
            "uuid": uuid,
            "timestamp": ts,
            "permissionMode": "default",
            **extra,
        }
    )


def tool_result(tool_id: str, ts: str, *, session: str = "s1", output: str = "done") -> str:
    return dumps(
        {
            "parentUuid": None,
            "isSidechain": False,
            "userType": "external",
            "cwd": "/home/dev/src/atlas",
            "sessionId": session,
            "type": "user",
            "message": {
                "role": "user",
                "content": [{"tool_use_id": tool_id, "type": "tool_result", "content": output}],
            },
            "uuid": f"r-{tool_id}",
            "timestamp": ts,
            "toolUseResult": {"stdout": output},
        }
    )


def write(path: Path, lines: list[str], *, end: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


def iteration(
    kind: str,
    *,
    model: str | None = None,
    inp: int = 0,
    out: int = 0,
    read: int = 0,
    write5: int = 0,
    breakdown: bool = True,
) -> dict[str, Any]:
    """One entry of ``message.usage.iterations`` (``message``, ``advisor_message``,
    ``fallback_message``), shaped like Claude Code 2.1.x writes them."""
    entry: dict[str, Any] = {"type": kind}
    if model is not None:
        entry["model"] = model
    entry.update(
        {
            "input_tokens": inp,
            "output_tokens": out,
            "cache_read_input_tokens": read,
            "cache_creation_input_tokens": write5,
        }
    )
    if breakdown:
        entry["cache_creation"] = {
            "ephemeral_5m_input_tokens": write5,
            "ephemeral_1h_input_tokens": 0,
        }
    return entry


def agent_progress(
    copied: str,
    ts: str,
    *,
    session: str = "s1",
    agent: str = "a1b2c3d",
    request_id: bool = True,
    uuid: str = "pg",
    tool_id: str = "toolu_task",
    cwd: str = "/home/dev/src/atlas",
) -> str:
    """The ``progress`` line a parent transcript gets for one line of a subagent: the copy keeps
    the subagent line's ``type``, ``timestamp``, ``message``, ``requestId`` (2.1.x; older
    versions leave it out: ``request_id=False``) and ``uuid`` (Claude Code 2.1.x key order)."""
    line = json.loads(copied)
    message = dict(line["message"])
    message["context_management"] = None
    copy: dict[str, Any] = {
        "type": line["type"],
        "timestamp": line["timestamp"],
        "message": message,
    }
    if request_id and "requestId" in line:
        copy["requestId"] = line["requestId"]
    copy["uuid"] = line["uuid"]
    return dumps(
        {
            "parentUuid": None,
            "isSidechain": False,
            "userType": "external",
            "cwd": cwd,
            "sessionId": session,
            "version": "2.1.45",
            "gitBranch": "main",
            "slug": "quiet-humming-otter",
            "type": "progress",
            "data": {
                "message": copy,
                "normalizedMessages": [],
                "type": "agent_progress",
                "prompt": "Explore the parser module",
                "agentId": agent,
            },
            "toolUseID": f"agent_msg_{uuid}",
            "parentToolUseID": tool_id,
            "uuid": uuid,
            "timestamp": ts,
        }
    )
