"""OpenCode's "v2" message rows (``session_message``: ``type`` + ``data``) in the shape of a v1
message, so the same assembly applies: the role is the row's type; an assistant row is one model
request whose ``content`` lists its tool calls; a user row's ``text`` is the prompt."""

from __future__ import annotations

from typing import Any

from tokentree.data.sources.opencode import parts as P
from tokentree.data.sources.opencode.assemble import Message


def _tool_part(item: dict[str, Any]) -> P.Part:
    state = item.get("state")
    state = state if isinstance(state, dict) else {}
    values = P.values_of(
        "tool", {"tool": item.get("name"), "callID": item.get("id"), "state": state}
    )
    return P.Part("tool", values)


def message(row_id: str, session_id: str, kind: Any, data: dict[str, Any], created: int | None):
    """The v1-shaped message of a v2 row (None: a row type that carries no usage or prompt)."""
    if kind == "assistant":
        content = data.get("content")
        tools = [
            _tool_part(item)
            for item in (content if isinstance(content, list) else [])
            if isinstance(item, dict) and item.get("type") == "tool"
        ]
        return Message(row_id, session_id, {**data, "role": "assistant"}, tools, created)
    if kind == "user":
        text = data.get("text")
        text_parts = [P.Part("text", (text, None, None))] if isinstance(text, str) else []
        return Message(row_id, session_id, {**data, "role": "user"}, text_parts, created)
    return None
