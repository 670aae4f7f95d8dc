"""Hand-written Gemini CLI records for tests, shaped like the CLI's own (chatRecordingTypes.ts):
the metadata line, user and gemini messages, ``$set`` and ``$rewindTo`` lines, and the legacy
single-object session. Shares no code with tokentree."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def project_hash(root: str) -> str:
    return hashlib.sha256(root.encode()).hexdigest()


def meta(
    session: str,
    root: str = "/home/dev/src/atlas",
    start: str = "2026-11-20T10:00:00.000Z",
    *,
    kind: str | None = "main",
    directories: list[str] | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "sessionId": session,
        "projectHash": project_hash(root),
        "startTime": start,
        "lastUpdated": start,
    }
    if kind is not None:
        record["kind"] = kind
    if directories is not None:
        record["directories"] = directories
    return record


def tokens(
    input: int, output: int, cached: int = 0, thoughts: int = 0, tool: int = 0
) -> dict[str, int]:
    """Gemini semantics: ``input`` includes ``cached``; total adds output, thoughts, tool."""
    return {
        "input": input,
        "output": output,
        "cached": cached,
        "thoughts": thoughts,
        "tool": tool,
        "total": input + output + thoughts + tool,
    }


def gemini(
    message_id: str,
    ts: str,
    usage: dict[str, int] | None,
    *,
    model: str = "gemini-2.5-pro",
    tools: list[tuple[str, dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": message_id,
        "timestamp": ts,
        "type": "gemini",
        "content": "",
        "thoughts": [],
        "tokens": usage,
        "model": model,
    }
    if tools:
        record["toolCalls"] = [
            {
                "id": f"{message_id}-t{i}",
                "name": name,
                "args": args,
                "result": [{"functionResponse": {"id": f"{message_id}-t{i}", "name": name}}],
                "status": "success",
                "timestamp": ts,
            }
            for i, (name, args) in enumerate(tools)
        ]
    return record


def user(
    message_id: str, ts: str, text: str | None, *, display: Any = None, content: Any = None
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": message_id,
        "timestamp": ts,
        "type": "user",
        "content": content if content is not None else [{"text": text}],
    }
    if display is not None:
        record["displayContent"] = display
    return record


def info(message_id: str, ts: str, text: str = "notice") -> dict[str, Any]:
    return {"id": message_id, "timestamp": ts, "type": "info", "content": text}


def set_(**fields: Any) -> dict[str, Any]:
    return {"$set": fields}


def rewind(message_id: str) -> dict[str, Any]:
    return {"$rewindTo": message_id}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """As the CLI appends them: compact JSON, one record per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
    return path


def write_legacy(path: Path, head: dict[str, Any], messages: list[dict[str, Any]]) -> Path:
    """The legacy ConversationRecord, pretty-printed as the CLI wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {**{k: v for k, v in head.items() if k != "kind"}, "messages": messages}
    if "kind" in head:
        record["kind"] = head["kind"]
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
