"""Gemini CLI's message records as tokentree counts them (docs/counting.md, "Gemini CLI").

A ``gemini`` message with a ``tokens`` object is one billed request. ``tokens`` copies the
API's usage metadata: ``input`` (prompt tokens) *includes* ``cached``; ``tool`` (tool-use
prompt tokens) is further input; ``thoughts`` are billed as output. In tokentree's additive
semantics::

    input      = max(input - cached, 0) + tool
    cache_read = cached
    output     = output + thoughts      (reasoning = thoughts)

A record whose counts are all zero bills nothing and is not a call; ``tokens: null`` (tokens
not arrived yet) neither. These are the Python rules, used for the legacy ``.json`` sessions;
``stage.sql`` applies the same rules to the streaming format.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tokentree.data.read.jsonfields import json_string

TOKEN_KEYS = ("input", "output", "cached", "thoughts", "tool")
DETAIL_KEYS = (
    "command",
    "file_path",
    "absolute_path",
    "pattern",
    "query",
    "url",
    "prompt",
    "dir_path",
    "path",
    "include",
    "name",
    "description",
)
"""Keys of a tool call's ``args`` tried in order for its one-line detail."""
DETAIL_LIMIT = 300
TEXT_LIMIT = 400
INJECTED = ("<session_context>", "<hook_context>")
"""User records that start like this are context the CLI injected, not prompts."""
_COMMAND = re.compile(r"^\s*(/\S+)\s*(.*)$", re.DOTALL)


def count(value: Any) -> int:
    """A token count as the SQL reads it: integers, floats (rounded) and numeric strings;
    anything else (and anything negative) is 0."""
    if type(value) is int:  # the usual case, first (bool is a subclass of int)
        return value if value > 0 else 0
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, str):
        try:
            return max(int(value.strip()), 0)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                return 0
    if isinstance(value, float) and math.isfinite(value) and value > 0:
        return math.floor(value + 0.5)
    return 0


def usage(tokens: Any) -> dict[str, int] | None:
    """The call's token columns, or None when ``tokens`` bills nothing."""
    if not isinstance(tokens, dict):
        return None
    prompt, output, cached, thoughts, tool = (count(tokens.get(key)) for key in TOKEN_KEYS)
    if not (prompt or output or cached or thoughts or tool):
        return None
    return {
        "input": max(prompt - cached, 0) + tool,
        "output": output + thoughts,
        "cache_read": cached,
        "reasoning": thoughts,
    }


def detail(args: Any) -> str | None:
    """The first of :data:`DETAIL_KEYS` present in a tool call's args, as text."""
    if not isinstance(args, dict):
        return None
    for key in DETAIL_KEYS:
        value = json_string(args.get(key))
        if value is not None:
            return value[:DETAIL_LIMIT]
    return None


def tools(tool_calls: Any) -> list[dict[str, str | None]]:
    """``toolCalls`` as ``{id, name, detail}`` (the command line, file path, pattern …)."""
    if not isinstance(tool_calls, list):
        return []
    return [
        {
            "id": _str(call.get("id")),
            "name": _str(call.get("name")),
            "detail": detail(call.get("args")),
        }
        for call in tool_calls
        if isinstance(call, dict)
    ]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else json_string(value)


def _parts_text(parts: Any) -> tuple[list[str], bool]:
    if isinstance(parts, str):
        return [parts], False
    if isinstance(parts, dict):
        parts = [parts]
    if not isinstance(parts, list):
        return [], False
    texts = [p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str)]
    image = any(isinstance(p, dict) and "inlineData" in p for p in parts)
    return texts, image


def prompt(message: dict[str, Any]) -> tuple[list[str], bool] | None:
    """The texts (and whether an image came along) of a user record that is a human prompt,
    or None. What the user typed is ``displayContent`` when present (``/init``, ``@file``
    references) — a record whose ``displayContent`` holds no text (a tool response sent on
    the user's behalf) is not a prompt — else ``content``. A slash command is given to the
    engine in its command form (``<command-name>``), so it starts a turn of kind command."""
    display = message.get("displayContent")
    texts, image = _parts_text(display if display is not None else message.get("content"))
    texts = [text for text in texts if text.strip()]
    if not texts and not image:
        return None
    if texts and texts[0].lstrip().startswith(INJECTED):
        return None
    if texts:
        command = _COMMAND.match(texts[0])
        if command:
            name, args = command[1], command[2].strip()
            texts = [f"<command-name>{name}</command-name><command-args>{args}</command-args>"]
    return [text[:TEXT_LIMIT] for text in texts], image
