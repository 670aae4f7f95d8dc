"""A Droid session's settings file: one call per session, labelled as the session's total.

Droid keeps usage only as the session's running totals (``tokenUsage {inputTokens,
outputTokens, cacheCreationTokens, cacheReadTokens, thinkingTokens, totalTokens?}``, rewritten
after every model call) — no per-request counts, no per-request times. So the session *is* the
call: ``call_id`` and ``dedup_key`` are the session id (the file name), ``session_total`` marks
it, its time is ``providerLockTimestamp`` (when the session's provider was fixed: its first
model call), else the conversation's first message, else the file's modification time (as
ccusage). A copy of a session in another folder is the same call.

Counting: cache reads and writes beside the input, thinking billed as output (``output =
outputTokens + thinkingTokens``, ``reasoning = thinkingTokens``), as ccusage and tokscale
count them. When the file states ``totalTokens``, it decides what the parts do not say: a
total equal to the parts without the thinking means the thinking is inside ``outputTokens``; a
total equal to input + output means the cache counts are inside ``inputTokens``; a total above
every part adds the difference to the output (as ccusage does).

Model: ``model`` (``custom:<Name>-[Provider]-<n>`` for a user-defined model, normalised to
``<name>``), else the ``Model: …`` line of the conversation's system reminder, else unknown.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import UTC, datetime
from typing import Any

from tokentree.data.read.linereader import clean
from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.droid import paths
from tokentree.data.sources.droid.transcript import Conversation, parse_time, read_conversation

MAX_SETTINGS = 16 << 20
_BRACKETS = re.compile(r"\[[^\]]*\]")
_CUSTOM_INDEX = re.compile(r"-\d+$")
_SPACES = re.compile(r"[\s_]+")
_DASHES = re.compile(r"-{2,}")


def tokens(value: Any) -> int:
    """A count as Droid writes it (a JSON number); anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return max(int(value), 0)


def normalise_model(name: str | None) -> str | None:
    """``custom:Claude-Opus-4.5-Thinking-[Anthropic]-0`` → ``claude-opus-4.5-thinking``;
    ``Claude Opus 4.5 [Anthropic]`` → ``claude-opus-4.5``; plain ids are kept (lower-cased)."""
    if not isinstance(name, str) or not name.strip():
        return None
    raw = name.strip()
    custom = raw.startswith("custom:")
    text = _BRACKETS.sub("", raw.removeprefix("custom:"))
    text = _DASHES.sub("-", _SPACES.sub("-", text.strip().lower())).strip("-")
    if custom:
        text = _CUSTOM_INDEX.sub("", text).strip("-")
    return text or None


def counts(usage: dict[str, Any]) -> dict[str, int] | None:
    """tokentree's additive counts of a ``tokenUsage`` object (None: nothing was used)."""
    inp = tokens(usage.get("inputTokens"))
    out = tokens(usage.get("outputTokens"))
    write = tokens(usage.get("cacheCreationTokens"))
    read = tokens(usage.get("cacheReadTokens"))
    thinking = tokens(usage.get("thinkingTokens"))
    total = tokens(usage.get("totalTokens"))
    if inp + out + write + read + thinking + total == 0:
        return None
    thinking_inside = (
        bool(total) and thinking > 0 and total in (inp + out + write + read, inp + out)
    )
    cache_inside = bool(total) and write + read > 0 and total in (inp + out, inp + out + thinking)
    uncached = max(inp - read - write, 0) if cache_inside else inp
    output = out + (0 if thinking_inside else thinking)
    output += max(total - uncached - read - write - output, 0)
    return {
        "input": uncached,
        "output": output,
        "cache_read": read,
        "cache_write_5m": write,
        "reasoning": thinking,
    }


def _load(path: str) -> dict[str, Any]:
    with open(path, "rb") as handle:
        data = handle.read(MAX_SETTINGS + 1)
    if len(data) > MAX_SETTINGS:
        raise StoreError("not a Droid settings file: larger than any settings file")
    try:
        document = json.loads(data.decode("utf-8-sig", "replace"))
    except (ValueError, RecursionError) as error:
        raise StoreError(f"not a Droid settings file: {error}") from None
    if not isinstance(document, dict):
        raise StoreError("not a Droid settings file: not a JSON object")
    return document


def _mtime(path: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, tz=UTC)
    except (OSError, OverflowError, ValueError):
        return None


def read_settings(path: str) -> RawRows:
    """The session-total call (and the first prompt) of one settings file."""
    rows = RawRows(records=1)
    settings = _load(path)
    usage = settings.get("tokenUsage")
    counted = counts(usage) if isinstance(usage, dict) else None
    if counted is None:
        return rows  # a session that never reached the model
    talk = read_conversation(paths.transcript(path)) or Conversation()
    own = paths.session_id(path)
    root = talk.caller if talk.caller and talk.caller != own else own
    sidechain = root != own
    started = parse_time(settings.get("providerLockTimestamp")) or talk.first_ts or _mtime(path)
    if started is None:
        rows.skipped += 1
        return rows
    model = normalise_model(settings.get("model")) or normalise_model(talk.model)
    cwd = talk.cwd
    project = os.path.basename(cwd.rstrip("/\\")) if cwd else paths.folder(path)
    rows.calls = [
        {
            "call_id": own,
            "dedup_key": own,
            "session_id": root,
            "agent_id": own if sidechain else None,
            "is_sidechain": sidechain,
            "session_total": True,
            "ts": started,
            "model": model,
            **counted,
            "cwd": cwd,
            "project": clean(project),
            "tools": talk.tools,
        }
    ]
    if talk.prompt is not None:
        when = talk.prompt_ts
        rows.prompts = [
            {
                "uuid": f"{own}#prompt",
                "session_id": root,
                "ts": min(when, started) if when is not None else started,
                "is_sidechain": sidechain,
                "texts": [talk.prompt],
                "cwd": cwd,
            }
        ]
    return rows


SETTINGS_FORMAT = StoreFormat(name=paths.SETTINGS, read=read_settings)
