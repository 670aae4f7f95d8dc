"""A Copilot CLI OpenTelemetry export file → calls, turns, tools and sub-agents.

One model request is a ``chat`` span. Some builds also describe it in log records (an
*inference details* event, an *agent turn* event), and every turn's ``invoke_agent`` span sums
the usage of the requests inside it: counted all together they would count a request two to four
times. So a request is counted from the most direct record that has it
(:data:`records.PRIORITY`): a record is dropped when a more direct one shares its trace or its
``gen_ai.response.id`` — chat spans always count, log records only where the span exporter wrote
no chat span for that turn, ``invoke_agent`` totals only where nothing else did.

Spans nest (``parentSpanId``): a turn is a top-level ``invoke_agent`` span (its start is the
turn's start; its prompt text is only there when the user captures content); a sub-agent is an
``invoke_agent`` span inside another (under the ``execute_tool task`` span that started it): its
requests are a sidechain of the session, tagged with that span. A tool (``execute_tool`` span)
belongs to the request that asked for it: the last ``chat`` span of the same parent that ended
before the tool started. The session is the turn's ``gen_ai.conversation.id``.

The file is read whole when it changes (the exporter appends; files are per session in practice).
A line that is not JSON is skipped and counted, unless it is the unterminated last line the
exporter is still writing; a record without any time (exporters always write one; excerpts
pasted by hand may not) is dated when the file was last written.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.copilot import paths
from tokentree.data.sources.copilot.records import (
    AGENT,
    CHAT,
    PRIORITY,
    TOOL,
    Record,
    first_text,
    parse,
    text,
    usage,
)
from tokentree.data.sources.copilot.tools import tool

MAX_BYTES = 1 << 30
TOOL_SLACK = timedelta(seconds=1)
NO_PROMPT = "(prompt not exported)"
"""A turn's label when the export holds no prompt text (content capture is off by default)."""
TEXT_LIMIT = 4000


def _valid(identifier: str | None) -> str | None:
    """An OpenTelemetry id (all zeros means "none")."""
    return identifier if identifier and identifier.strip("0") else None


@dataclass(slots=True)
class _File:
    name: str
    records: list[Record]
    spans: dict[str, Record] = field(default_factory=dict)
    trace_conversation: dict[str, str] = field(default_factory=dict)
    trace_model: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for record in self.records:
            record.trace_id, record.span_id = _valid(record.trace_id), _valid(record.span_id)
            record.parent_id = _valid(record.parent_id)
            if record.span and record.span_id:
                self.spans.setdefault(record.span_id, record)
            if record.trace_id:
                if record.conversation:
                    self.trace_conversation.setdefault(record.trace_id, record.conversation)
                if record.model and record.kind in (CHAT, AGENT):
                    self.trace_model.setdefault(record.trace_id, record.model)

    def agents(self, record: Record) -> list[Record]:
        """The ``invoke_agent`` spans around ``record``, nearest first (itself included)."""
        found: list[Record] = [record] if record.kind == AGENT else []
        seen = {record.span_id}
        parent = record.parent_id
        while parent and parent not in seen and parent in self.spans:
            seen.add(parent)
            span = self.spans[parent]
            if span.kind == AGENT:
                found.append(span)
            parent = span.parent_id
        return found

    def session(self, record: Record, agents: list[Record]) -> str:
        top = agents[-1] if agents else None
        for candidate in (top.conversation if top else None, record.conversation):
            if candidate:
                return candidate
        if record.trace_id:
            return self.trace_conversation.get(record.trace_id) or record.trace_id
        return f"copilot:{self.name}"


def _lines(path: str) -> tuple[list[bytes], bool]:
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise StoreError("larger than a telemetry file tokentree reads (1 GiB)")
    return data.split(b"\n"), data.endswith(b"\n")


def _records(path: str, rows: RawRows) -> list[Record]:
    lines, terminated = _lines(path)
    found: list[Record] = []
    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        rows.records += 1
        finished = terminated or number < len(lines) - 1  # else the exporter is still writing it
        if b'"attributes"' not in line or b'"type":"metric"' in line:
            if finished and not line.endswith(b"}"):
                rows.skipped += 1  # certainly broken (not parsed: it cannot hold usage anyway)
            continue
        try:
            obj = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            rows.skipped += finished
            continue
        record = parse(obj, number)
        if record is not None and record.kind is not None:
            found.append(record)
    return found


def _modified(path: str) -> datetime:
    return datetime.fromtimestamp(os.stat(path).st_mtime, tz=UTC)


def _counted(candidates: list[Record]) -> list[Record]:
    """Each request from its most direct record (see the module docstring). An ``invoke_agent``
    total is also dropped when a more direct record of its conversation falls within its span
    (log records of some builds carry no trace id)."""
    traces: dict[int, set[str]] = {rank: set() for rank in PRIORITY.values()}
    responses: dict[int, set[str]] = {rank: set() for rank in PRIORITY.values()}
    moments: dict[str, list[datetime]] = {}
    for record in candidates:
        rank = PRIORITY[record.kind or ""]
        if record.trace_id:
            traces[rank].add(record.trace_id)
        if record.response_id:
            responses[rank].add(record.response_id)
        if record.kind != AGENT and record.conversation and record.time is not None:
            moments.setdefault(record.conversation, []).append(record.time)
    kept = []
    for record in candidates:
        rank = PRIORITY[record.kind or ""]
        if any(
            (record.trace_id and record.trace_id in traces[better])
            or (record.response_id and record.response_id in responses[better])
            for better in range(rank)
        ):
            continue
        if record.kind == AGENT and _covers(record, moments.get(record.conversation or "", [])):
            continue
        kept.append(record)
    return kept


def _covers(agent: Record, moments: list[datetime]) -> bool:
    start, end = agent.start or agent.end, agent.end or agent.start
    if start is None or end is None:
        return False
    return any(start - TOOL_SLACK <= moment <= end + TOOL_SLACK for moment in moments)


def _prompt_text(records: list[Record]) -> str | None:
    """The last user message of the first captured ``gen_ai.input.messages``."""
    for record in records:
        raw = record.attributes.get("gen_ai.input.messages")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                continue
        if not isinstance(raw, list):
            continue
        for message in reversed(raw):
            if not isinstance(message, dict) or message.get("role") != "user":
                continue
            parts = message.get("parts")
            texts = [
                p.get("content")
                for p in (parts if isinstance(parts, list) else [])
                if isinstance(p, dict) and isinstance(p.get("content"), str)
            ] or [message.get("content")]
            joined = "\n".join(t for t in texts if isinstance(t, str)).strip()
            if joined:
                return joined[:TEXT_LIMIT]
    return None


def _key(record: Record, name: str) -> str:
    if record.span and record.trace_id and record.span_id:
        return f"{record.trace_id}:{record.span_id}"
    if record.response_id:
        return f"response:{record.response_id}"
    if record.trace_id and record.span_id:
        return f"log:{record.trace_id}:{record.span_id}"
    return f"{name}:{record.line}"


def read_file(path: str) -> RawRows:
    """Every request, turn, tool and sub-agent of one export file."""
    rows = RawRows()
    name = os.path.basename(path)
    export = _File(name, _records(path, rows))
    counted = {id(r): usage(r.attributes) for r in export.records if r.kind in PRIORITY}
    candidates = [r for r in export.records if r.kind in PRIORITY and not counted[id(r)].empty]
    calls: list[dict[str, Any]] = []
    chats: list[tuple[Record, dict[str, Any]]] = []
    written = _modified(path)
    for record in _counted(candidates):
        when = record.time or written  # a record without a time: when the file was written
        chain = export.agents(record)  # the turn's span last, a sub-agent's first
        sidechain = len(chain) >= 2
        counts = counted[id(record)]
        key = _key(record, name)
        call = {
            "call_id": key,
            "dedup_key": key,
            "request_id": record.response_id,
            "session_id": export.session(record, chain),
            "agent_id": chain[0].span_id if sidechain else None,
            "is_sidechain": sidechain,
            "ts": when,
            "model": record.model or export.trace_model.get(record.trace_id or ""),
            "input": counts.input,
            "output": counts.output,
            "cache_read": counts.cache_read,
            "cache_write_5m": counts.cache_write,
            "reasoning": counts.reasoning or None,
            "project": first_text(record.attributes, ("github.copilot.git.repository",))
            or "copilot",
            "tools": [],
        }
        calls.append(call)
        if record.kind == CHAT:
            chats.append((record, call))
    _attach_tools(export, chats)
    rows.calls = calls
    rows.prompts, rows.agents = _turns(export)
    return rows


def _attach_tools(export: _File, chats: list[tuple[Record, dict[str, Any]]]) -> None:
    """Each tool to the request that asked for it: the last chat span of its parent (else of its
    trace) that ended before the tool started."""
    by_parent: dict[tuple[str | None, str | None], list[tuple[datetime, dict[str, Any]]]] = {}
    by_trace: dict[str | None, list[tuple[datetime, dict[str, Any]]]] = {}
    for chat, call in chats:
        if chat.time is not None:
            by_parent.setdefault((chat.trace_id, chat.parent_id), []).append((chat.time, call))
            by_trace.setdefault(chat.trace_id, []).append((chat.time, call))
    times: dict[int, list[datetime]] = {}
    for group in (*by_parent.values(), *by_trace.values()):
        group.sort(key=lambda pair: pair[0])
        times[id(group)] = [when for when, _ in group]
    for record in export.records:
        if record.kind != TOOL or record.start is None:
            continue
        found = tool(record)
        if found is None:
            continue
        limit = record.start + TOOL_SLACK
        for group in (
            by_parent.get((record.trace_id, record.parent_id)),
            by_trace.get(record.trace_id),
        ):
            index = bisect_right(times[id(group)], limit) if group else 0
            if group and index:
                group[index - 1][1]["tools"].append(found)
                break


def _turns(export: _File) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    prompts: list[dict[str, Any]] = []
    agents: list[dict[str, Any]] = []
    children: dict[str, list[Record]] = {}
    for record in export.records:
        if record.parent_id:
            children.setdefault(record.parent_id, []).append(record)
    for record in export.records:
        if record.kind != AGENT or record.start is None:
            continue
        around = export.agents(record)
        session = export.session(record, around)
        if len(around) == 1:
            inner = [c for c in children.get(record.span_id or "", []) if c.kind == CHAT]
            prompts.append(
                {
                    "uuid": record.span_id or f"{export.name}:{record.line}",
                    "session_id": session,
                    "ts": record.start,
                    "texts": [_prompt_text([record, *inner]) or NO_PROMPT],
                }
            )
            continue
        starter = export.spans.get(record.parent_id or "")
        agents.append(
            {
                "session_id": session,
                "agent_id": record.span_id,
                "agent_type": text(record.attributes.get("gen_ai.agent.name")),
                "tool_use_id": text(starter.attributes.get("gen_ai.tool.call.id"))
                if starter is not None and starter.kind == TOOL
                else None,
            }
        )
    return prompts, agents


OTEL_FORMAT = StoreFormat(name=paths.OTEL, read=read_file)
