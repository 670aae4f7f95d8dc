"""Subagent sidecars (``agent-<id>.meta.json``): which ``Task`` call spawned which agent.

Read only when turns are built (they anchor a subagent's calls to the turn that spawned it), so
a day-level export never opens them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.sqlfiles import insert_columns

if TYPE_CHECKING:
    import duckdb


def load_sidecars(cursor: duckdb.DuckDBPyConnection, sidecars: list[tuple[str, int]]) -> None:
    """Subagent ``agent-<id>.meta.json`` files: which Task call spawned which agent."""
    cursor.execute("DELETE FROM raw_agents")
    rows = []
    for path, _ in sidecars:
        name = os.path.basename(path)
        if not name.startswith("agent-"):
            continue
        parts = Path(path).parts
        if "subagents" not in parts:
            continue
        session_id = parts[parts.index("subagents") - 1]
        try:
            with open(path, encoding="utf-8") as handle:
                meta = json.load(handle)
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict):
            continue
        agent_id = name[len("agent-") : -len(".meta.json")]
        tool_use_id = meta.get("toolUseId")
        agent_type = meta.get("agentType")
        rows.append((0, session_id, agent_id, _str(agent_type), _str(tool_use_id)))
    if rows:
        names = ("file_id", "session_id", "agent_id", "agent_type", "tool_use_id")
        insert_columns(
            cursor, "raw_agents", names, [list(column) for column in zip(*rows, strict=True)]
        )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
