"""An independent, plain reader of Codebuff chats (no tokentree imports): every assistant message
(``variant``/``role`` ai, agent or assistant) with counts in ``metadata.usage``,
``metadata.codebuff.usage`` or its run state's last assistant entry is a call; Anthropic-style
counts keep the cache beside the input, OpenAI-style ones (the cache in ``*_details``, or a total
equal to input + output) inside it; a total above the parts is output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

FIELDS = ("input", "output", "cache_read", "cache_write")
SPELLINGS = {
    "input": ("inputTokens", "input_tokens", "promptTokens", "prompt_tokens"),
    "output": ("outputTokens", "output_tokens", "completionTokens", "completion_tokens"),
    "read": ("cacheReadInputTokens", "cache_read_input_tokens"),
    "write": ("cacheCreationInputTokens", "cache_creation_input_tokens", "cacheCreationTokens",
              "cache_creation_tokens", "cachedTokensCreated", "cached_tokens_created"),
    "total": ("totalTokens", "total_tokens", "total"),
}  # fmt: skip


def _first(usage: dict, names: tuple[str, ...]) -> int:
    for name in names:
        value = usage.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return 0


def _usage(usage: object) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    found = {key: _first(usage, names) for key, names in SPELLINGS.items()}
    details = max(
        _first(usage.get("promptTokensDetails") or {}, ("cachedTokens",)),
        _first(usage.get("prompt_tokens_details") or {}, ("cached_tokens",)),
    )
    found["inside"] = int(details > found["read"])
    found["read"] = max(found["read"], details)
    return found if any(found[k] for k in ("input", "output", "read", "write", "total")) else None


def _usage_of(message: dict) -> dict[str, int] | None:
    meta = message.get("metadata") or {}
    found = _usage(meta.get("usage")) or _usage((meta.get("codebuff") or {}).get("usage"))
    if found:
        return found
    history = ((meta.get("runState") or {}).get("sessionState") or {}).get("mainAgentState") or {}
    for entry in reversed(history.get("messageHistory") or []):
        options = entry.get("providerOptions") or {}
        if entry.get("role") == "assistant":
            found = _usage(options.get("usage")) or _usage(
                (options.get("codebuff") or {}).get("usage")
            )
            if found:
                return found
    return None


def counts(found: dict[str, int]) -> dict[str, int]:
    cached = found["read"] + found["write"]
    inside = (cached > 0 and found["total"] == found["input"] + found["output"]) if found["total"] \
        else bool(found["inside"])  # fmt: skip
    uncached = max(found["input"] - cached, 0) if inside else found["input"]
    output = found["output"] + max(found["total"] - uncached - cached - found["output"], 0)
    return {"input": uncached, "output": output, "cache_read": found["read"],
            "cache_write": found["write"]}  # fmt: skip


def _time(value: object) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value >= 10**10 else value, tz=UTC)
    if isinstance(value, str) and "T" in value:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


def read_calls(projects: Path) -> list[tuple[datetime, dict[str, int]]]:
    calls = []
    for path in sorted(projects.glob("*/chats/*/chat-messages.json")):
        chat = path.parent.name
        date, clock = chat.split("T")
        start = datetime.fromisoformat(
            f"{date}T{clock[:2]}:{clock[3:5]}:{clock[6:]}".replace("Z", "+00:00")
        )
        for message in json.loads(path.read_text(encoding="utf-8")):
            kind = message.get("variant") or message.get("role")
            if kind not in ("ai", "agent", "assistant"):
                continue
            found = _usage_of(message)
            if found is None:
                continue
            calls.append((_time(message.get("timestamp")) or start, counts(found)))
    return calls


def day_totals(projects: Path) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for ts, found in read_calls(projects):
        row = days.setdefault(ts.date().isoformat(), {"calls": 0, **dict.fromkeys(FIELDS, 0)})
        row["calls"] += 1
        for name in FIELDS:
            row[name] += found[name]
    return dict(sorted(days.items()))
