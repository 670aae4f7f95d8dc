"""Subagent sidecars (``subagents/**/agent-<id>.meta.json``): which ``Task`` call spawned which
agent. They anchor a subagent's calls to the turn that spawned it (the engine's turns.sql);
read as a small store, once, and cached like every other file.
"""

from __future__ import annotations

import json
import os

from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.claude.paths import AGENT_META

MAX_BYTES = 1 << 20
"""A sidecar is a few hundred bytes; anything larger is not one."""


def read_agent_meta(path: str) -> RawRows:
    """One ``raw_agents`` row: the parent session (the directory above ``subagents``), the
    agent id (from the file name), its type and the spawning tool call's id."""
    head, name = os.path.split(path)
    while os.path.basename(head) != "subagents":
        parent = os.path.dirname(head)
        if parent == head:
            raise StoreError("not inside a subagents directory")
        head = parent
    session_id = os.path.basename(os.path.dirname(head))
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise StoreError("larger than a subagent sidecar can be")
    try:
        meta = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise StoreError(f"not JSON: {error}") from None
    rows = RawRows(records=1)
    if not isinstance(meta, dict):
        rows.skipped = 1
        return rows
    rows.agents.append(
        {
            "session_id": session_id,
            "agent_id": name[len("agent-") : -len(".meta.json")],
            "agent_type": _str(meta.get("agentType")),
            "tool_use_id": _str(meta.get("toolUseId")),
        }
    )
    return rows


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


AGENT_META_FORMAT = StoreFormat(name=AGENT_META, read=read_agent_meta)
