"""OpenCode's "v2" message rows (``session_message``: ``type`` + ``data``) in the shape of a v1
message, so the same assembly applies: the role is the row's type; an assistant row is one model
request whose ``content`` lists its tool calls; a user row's ``text`` is the prompt."""

from __future__ import annotations

from typing import Any

from tokentree.data.sources.opencode import parts as P
from tokentree.data.sources.opencode.assemble import Message


def _tool_part(item: dict[str, Any]) -> P.Part | None:
    state = item.get("state")
    shaped = {"type": "tool", "tool": item.get("name"), "callID": item.get("id"), "state": state}
    return P.from_object(shaped)


def message(
    row_id: str, session_id: str, kind: Any, data: dict[str, Any], created: Any
) -> Message | None:
    """The v1-shaped message of a v2 row (None: a row type that carries no usage or prompt)."""
    if kind == "assistant":
        content = data.get("content")
        found = [
            _tool_part(item)
            for item in (content if isinstance(content, list) else [])
            if isinstance(item, dict) and item.get("type") == "tool"
        ]
        tools = [part for part in found if part is not None]
        values = P.message_values({**data, "role": "assistant"})
        return Message(row_id, session_id, values, tools, created)
    if kind == "user":
        text = data.get("text")
        text_parts: list[P.Part] = (
            [("text", (text, None, None), None)] if isinstance(text, str) else []
        )
        values = P.message_values({**data, "role": "user"})
        return Message(row_id, session_id, values, text_parts, created)
    return None
