"""A Codebuff chat (``chat-messages.json``): one JSON array of messages, rewritten whole as the
chat goes on; read as a store.

An assistant message (``variant`` — else ``role`` — ``ai``, ``agent`` or ``assistant``) with
counts (:mod:`.usage`) is a call. Its time: ``timestamp``, ``createdAt`` or
``metadata.timestamp`` (ISO 8601, or epoch seconds / milliseconds; older builds wrote a bare
``"10:00 AM"``, which says no date), else the chat id's time, else the file's modification time
(as ccusage). Its identity: the message ``id`` within the session, else its time, model,
position and counts; the same message in a copied chat counts once. Its tools: the ``tool``
blocks (``toolName``, ``toolCallId``, ``input``) and ``agent`` blocks (spawned agents). A
``user`` message's ``content`` is a turn.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from tokentree.data.read.linereader import clean
from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.codebuff import paths, usage

ASSISTANT = frozenset({"ai", "agent", "assistant"})
MAX_CHAT = 512 << 20
TOOL_NAMES = {
    "run_terminal_command": "Bash",
    "read_files": "Read",
    "str_replace": "Edit",
    "code_search": "Grep",
    "find_files": "Glob",
    "spawn_agents": "Task",
    "read_docs": "WebFetch",
}
"""Codebuff's tools the activity table knows under another name."""
DETAIL_KEYS = ("command", "path", "paths", "file_path", "pattern", "query", "url")
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000
_CHAT_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(.+)$")


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 with an offset (a bare date-time is taken as UTC), or epoch seconds (below
    1e10) / milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        millis = value * 1000 if value < 10_000_000_000 else value
        if millis <= 0:
            return None
        try:
            return datetime.fromtimestamp(millis / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def chat_time(chat_id: str) -> datetime | None:
    """``2026-01-02T03-04-05.000Z`` → 2026-01-02 03:04:05 UTC."""
    found = _CHAT_ID.match(chat_id)
    if found is None:
        return None
    return parse_time(f"{found[1]}T{found[2]}:{found[3]}:{found[4]}")


def _mtime(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, tz=UTC)
    except (OSError, OverflowError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return clean(value.strip()) if isinstance(value, str) and value.strip() else None


def _kind(message: dict[str, Any]) -> str | None:
    return _text(message.get("variant")) or _text(message.get("role"))


def _when(message: dict[str, Any]) -> datetime | None:
    metadata = message.get("metadata")
    return (
        parse_time(message.get("timestamp"))
        or parse_time(message.get("createdAt"))
        or (parse_time(metadata.get("timestamp")) if isinstance(metadata, dict) else None)
    )


def _detail(arguments: Any) -> str | None:
    if not isinstance(arguments, dict):
        return None
    for key in DETAIL_KEYS:
        value = arguments.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and value:
            return clean(value[:DETAIL_LIMIT])
    return None


def tools(message: dict[str, Any]) -> list[dict[str, str | None]]:
    found: list[dict[str, str | None]] = []
    blocks = message.get("blocks")
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "tool" and _text(block.get("toolName")):
            name = _text(block.get("toolName")) or ""
            found.append(
                {
                    "id": _text(block.get("toolCallId")),
                    "name": TOOL_NAMES.get(name, name),
                    "detail": _detail(block.get("input")),
                }
            )
        elif block.get("type") == "agent":
            found.append(
                {
                    "id": _text(block.get("agentId")),
                    "name": "Task",
                    "detail": _text(block.get("agentType")) or _text(block.get("agentName")),
                }
            )
    return found


def _load(path: str) -> list[Any]:
    with open(path, "rb") as handle:
        data = handle.read(MAX_CHAT + 1)
    if len(data) > MAX_CHAT:
        raise StoreError("a chat larger than the reader accepts")
    try:
        document = json.loads(data.decode("utf-8-sig", "replace"))
    except (ValueError, RecursionError) as error:
        raise StoreError(f"not a Codebuff chat: {error}") from None
    if not isinstance(document, list):
        raise StoreError("not a Codebuff chat: not a JSON array")
    return document


def read_chat(path: str) -> RawRows:
    """The calls and prompts of one chat."""
    messages = _load(path)
    rows = RawRows(records=len(messages))
    session, project, chat_id = paths.session_of(path)
    fallback = chat_time(chat_id) or _mtime(path)
    calls: list[dict[str, Any]] = []
    for ordinal, message in enumerate(messages):
        if not isinstance(message, dict):
            rows.skipped += 1
            continue
        kind = _kind(message)
        when = _when(message) or fallback
        if kind == "user":
            text = _text(message.get("content"))
            if text is not None and when is not None:
                uuid = _text(message.get("id")) or f"{ordinal}"
                rows.prompts.append(
                    {
                        "uuid": f"{session}:{uuid}",
                        "session_id": session,
                        "ts": when,
                        "texts": [text[:TEXT_LIMIT]],
                    }
                )
            continue
        if kind not in ASSISTANT:
            continue
        found = usage.of_message(message)
        counted = usage.additive(found)
        if not any(counted.values()):
            continue
        if when is None:
            rows.skipped += 1
            continue
        message_id = _text(message.get("id"))
        key = (
            f"{session}:{message_id}"
            if message_id
            else f"{session}:{when.isoformat()}:{found.model or ''}:{ordinal}:"
            + ":".join(str(counted[name]) for name in sorted(counted))
        )
        calls.append(
            {
                "call_id": message_id or key,
                "dedup_key": key,
                "session_id": session,
                "ts": when,
                "model": clean(found.model),
                **counted,
                "project": clean(project),
                "tools": tools(message),
            }
        )
    rows.calls = calls
    return rows


CHAT_FORMAT = StoreFormat(name=paths.CHAT, read=read_chat)
