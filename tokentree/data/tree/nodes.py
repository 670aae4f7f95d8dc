"""Level rows from the store → :class:`~tokentree.model.tree.Node` objects with labels."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import cache
from typing import Any

from tokentree.model import labels
from tokentree.model.activity import CATEGORIES
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import UNITS_PER_USD, Totals

PARENT_COLUMNS = {Kind.WEEK: 0, Kind.DAY: 1, Kind.SESSION: 2, Kind.TURN: 3, Kind.CALL: 4}
"""How many ancestor-id columns precede a level row's own id."""
COMMON = 12
"""id, start, end, input, output, cache_read, cache_write, cost (pUSD), cost (units), calls,
unpriced, child_count."""


def parent_key(kind: Kind, row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(row[: PARENT_COLUMNS[kind]])


def _local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return value.astimezone(zone) if value is not None else None


@cache
def source_marker(name: str | None) -> str:
    """The short marker of a source (``CC``, ``CX`` …) shown beside its sessions."""
    from tokentree.data import sources

    if name in sources.names():
        return sources.get(name).marker
    return (name or "?")[:2]


def activity_from_parts(parts: list[dict[str, int]] | None) -> dict[str, dict[str, Any]]:
    """``extra["activity"]`` from a call's ``call_activity`` parts (cat index, tokens, units)."""
    return {
        CATEGORIES[part["cat"]]: {
            "tokens": part["tokens"],
            "cost_usd": part["units"] / UNITS_PER_USD,
        }
        for part in parts or []
    }


def node_from_row(kind: Kind, row: tuple[Any, ...], zone: tzinfo) -> Node:
    offset = PARENT_COLUMNS[kind]
    node_id, start, end, inp, out, cread, cwrite, cost, units, calls, unpriced, child_count = row[
        offset : offset + COMMON
    ]
    extra_values = row[offset + COMMON :]
    totals = Totals(inp, out, cread, cwrite, int(cost), calls, unpriced, units)
    start, end = _local(start, zone), _local(end, zone)
    node = Node(kind, str(node_id), "", totals, start, end, child_count)
    if kind is Kind.WEEK:
        node.label = labels.week_label(node.id)
    elif kind is Kind.DAY:
        assert isinstance(node_id, date)
        node.label = labels.day_label(node_id)
    elif kind is Kind.SESSION:
        (cwd, first_prompt, models, subagent_calls, agents, source, project_label, total) = (
            extra_values[:8]
        )
        archived, last_seen = extra_values[8:10]
        project = labels.project_name(cwd) if cwd else (project_label or labels.project_name(None))
        node.label = labels.session_label(project, first_prompt, start)
        node.extra = {
            "source": source,
            "marker": source_marker(source),
            "project": project,
            "cwd": cwd,
            "first_prompt": first_prompt,
            "models": [m for m in models if m],
            "subagent_calls": subagent_calls,
            "subagents": agents,
            "device": extra_values[10],
        }
        if total:
            node.extra["session_total"] = True
        if archived:
            node.extra["archived"] = True
            seen = _local(last_seen, zone)
            node.extra["last_seen"] = seen.isoformat(timespec="seconds") if seen else None
    elif kind is Kind.TURN:
        prompt, prompt_ts, prompt_kind, models, subagent_calls = extra_values
        at = _local(prompt_ts, zone) or start
        node.label = labels.turn_label(prompt, prompt_kind, at)
        node.extra = {
            "prompt": prompt,
            "prompt_kind": prompt_kind or "none",
            "models": [m for m in models if m],
            "subagent_calls": subagent_calls,
        }
    else:
        (model, tools, agent_id, sidechain, request_id, speed, lines, cw5, cw1, file_ids, cid) = (
            extra_values[:11]
        )
        source, reasoning, total, device = extra_values[11:15]
        tool_names = [t["name"] for t in tools if t.get("name")]
        node.label = labels.call_label(start, model, tool_names)
        if total:
            node.label = f"{node.label} · session total"
        node.extra = {
            "source": source,
            "model": model,
            "tools": tool_names,
            "tool_calls": [
                {"id": t["id"], "name": t["name"], "detail": t["detail"]} for t in tools
            ],
            "request_id": request_id,
            "agent_id": agent_id,
            "sidechain": sidechain,
            "speed": speed,
            "cache_write_5m": cw5,
            "cache_write_1h": cw1,
            "merged_lines": lines,
            "file_ids": file_ids,
            "cid": cid,
            "device": device,
        }
        if reasoning is not None:
            node.extra["reasoning"] = reasoning
        if total:
            node.extra["session_total"] = True
        if len(extra_values) > 15:
            node.extra["activity"] = activity_from_parts(extra_values[15])
        if unpriced:
            node.extra["unpriced"] = True
    return node
