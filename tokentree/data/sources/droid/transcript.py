"""What a session's conversation (``<session>.jsonl``) adds to its settings: where it ran, who
called it, what the user asked first, which tools it used, when it started.

Lines: ``{"type": "session_start", "id", "title", "cwd", "callingSessionId"?}`` (a subagent
session names the session that called it), then ``{"type": "message", "id", "timestamp",
"message": {"role", "content": [blocks]}}`` with Anthropic-style blocks (``text``, ``thinking``,
``tool_use {id, name, input}``, ``tool_result``); other line types (compaction state …) are
skipped. The conversation holds no usage: the counts are the settings file's. A damaged line is
skipped; the rest is read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tokentree.data.read.linereader import clean

MODEL_LINE = re.compile(r"Model:\s*([^\"\\\[\n]+)")
"""The model named in the system reminder (``Model: Claude Opus 4.5 [Anthropic]``), found in the
raw line as ccusage finds it (up to a quote, a backslash — an escaped newline — or a bracket)."""
INJECTED = ("<system-reminder>", "<system_reminder>")
TOOL_NAMES = {
    "Execute": "Bash",
    "Create": "Write",
    "FetchUrl": "WebFetch",
    "ApplyPatch": "apply_patch",
}
"""Droid's tools the activity table knows under another name."""
DETAIL_KEYS = ("command", "file_path", "path", "pattern", "url", "query", "description")
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000
MAX_LINE = 64 << 20
EARLIEST_YEAR = 1971


@dataclass(slots=True)
class Conversation:
    cwd: str | None = None
    title: str | None = None
    caller: str | None = None
    model: str | None = None
    first_ts: datetime | None = None
    prompt: str | None = None
    prompt_ts: datetime | None = None
    tools: list[dict[str, str | None]] = field(default_factory=list)


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time with its offset, or epoch seconds / milliseconds; a time before 1971
    (a zero or pre-epoch lock, ``0001-01-01T00:00:00Z``) dates nothing."""
    from datetime import UTC

    if isinstance(value, bool):
        return None
    parsed: datetime | None = None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            parsed = datetime.fromtimestamp(seconds, tz=UTC) if seconds > 0 else None
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
    return parsed if parsed is not None and parsed.year >= EARLIEST_YEAR else None


def _text(value: Any) -> str | None:
    return clean(value.strip()) if isinstance(value, str) and value.strip() else None


def _detail(arguments: Any) -> str | None:
    if not isinstance(arguments, dict):
        return None
    for key in DETAIL_KEYS:
        value = arguments.get(key)
        if isinstance(value, str) and value:
            return clean(value[:DETAIL_LIMIT])
    return None


def _blocks(message: Any) -> list[dict[str, Any]]:
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content if isinstance(b, dict)] if isinstance(content, list) else []


def _record(found: Conversation, line: dict[str, Any]) -> None:
    kind = line.get("type")
    if kind == "session_start":
        found.cwd = found.cwd or _text(line.get("cwd"))
        found.title = found.title or _text(line.get("title"))
        found.caller = found.caller or _text(line.get("callingSessionId"))
        return
    if kind != "message":
        return
    when = parse_time(line.get("timestamp"))
    if when is not None and (found.first_ts is None or when < found.first_ts):
        found.first_ts = when
    message = line.get("message")
    role = message.get("role") if isinstance(message, dict) else None
    for block in _blocks(message):
        if block.get("type") == "text" and isinstance(block.get("text"), str):
            text = block["text"]
            injected = text.lstrip().startswith(INJECTED)
            if role == "user" and found.prompt is None and text.strip() and not injected:
                found.prompt, found.prompt_ts = clean(text.strip()[:TEXT_LIMIT]), when
        elif role == "assistant" and block.get("type") == "tool_use":
            name = block.get("name")
            if isinstance(name, str) and name:
                tool_id = block.get("id")
                found.tools.append(
                    {
                        "id": clean(tool_id) if isinstance(tool_id, str) else None,
                        "name": TOOL_NAMES.get(name, clean(name)),
                        "detail": _detail(block.get("input")),
                    }
                )


def read_conversation(path: str) -> Conversation | None:
    """The facts of a conversation file (None when there is none or it cannot be opened)."""
    found = Conversation()
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        return None
    with handle:
        for raw in handle:
            if len(raw) > MAX_LINE:
                continue
            if found.model is None and b"Model:" in raw:
                named = MODEL_LINE.search(raw.decode("utf-8", "replace"))
                found.model = named[1].strip() or None if named else None
            if b'"message"' not in raw and b'"session_start"' not in raw:
                continue
            try:
                line = json.loads(raw.decode("utf-8", "replace"))
            except (ValueError, RecursionError):
                continue
            if isinstance(line, dict):
                _record(found, line)
    return found
