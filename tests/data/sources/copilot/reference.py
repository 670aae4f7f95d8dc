"""An independent, plain reader of Copilot CLI OpenTelemetry exports (no tokentree imports):
every line parsed with ``json``; a request is a ``chat`` span; a log record describing a request
counts only when no chat span shares its trace or response id; an ``invoke_agent`` total only
when neither a chat span nor a log record does; the same span in two files once. Input holds the
cache, output the reasoning; a sub-agent's requests belong to the turn's conversation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CACHE_READ = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens")
CACHE_WRITE = (
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "gen_ai.usage.cache_write.input_tokens",
)


@dataclass
class Call:
    key: str
    session: str
    ts: datetime
    input: int
    output: int
    cache_read: int
    cache_write: int


def _n(value: Any) -> int:
    try:
        return max(int(float(value)), 0)
    except (TypeError, ValueError):
        return 0


def _pick(attributes: dict, keys: tuple[str, ...]) -> int:
    return next((_n(attributes[k]) for k in keys if _n(attributes.get(k))), 0)


def _kind(record: dict) -> str | None:
    attributes = record["attributes"]
    operation = attributes.get("gen_ai.operation.name")
    if record.get("type") == "span":
        return {"chat": "chat", "invoke_agent": "agent"}.get(operation)
    if attributes.get("event.name") == "gen_ai.client.inference.operation.details":
        return "log"
    return None


def _time(record: dict) -> datetime:
    seconds, nanos = record.get("endTime") or record.get("hrTime")
    return datetime.fromtimestamp(seconds + nanos / 1e9, tz=UTC)


def read_calls(root: Path) -> list[Call]:
    found: dict[str, Call] = {}
    for path in sorted(root.rglob("*.jsonl")):
        records = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("attributes"), dict):
                records.append(record)
        spans = {r["spanId"]: r for r in records if r.get("type") == "span" and r.get("spanId")}
        with_usage = [
            r
            for r in records
            if _kind(r)
            and (
                _n(r["attributes"].get("gen_ai.usage.input_tokens"))
                or _n(r["attributes"].get("gen_ai.usage.output_tokens"))
            )
        ]
        chat_traces = {r.get("traceId") for r in with_usage if _kind(r) == "chat"}
        chat_responses = {
            r["attributes"].get("gen_ai.response.id") for r in with_usage if _kind(r) == "chat"
        }
        log_traces = {r.get("traceId") for r in with_usage if _kind(r) == "log"}
        direct = [
            (r["attributes"].get("gen_ai.conversation.id"), _time(r))
            for r in with_usage
            if _kind(r) in ("chat", "log")
        ]
        for record in with_usage:
            kind, attributes = _kind(record), record["attributes"]
            trace, response = record.get("traceId"), attributes.get("gen_ai.response.id")
            if kind == "log" and (
                trace in chat_traces or (response and response in chat_responses)
            ):
                continue
            if kind == "agent" and (trace in chat_traces or trace in log_traces):
                continue
            if kind == "agent":
                conversation = attributes.get("gen_ai.conversation.id")
                start = datetime.fromtimestamp(
                    record["startTime"][0] + record["startTime"][1] / 1e9 - 1, tz=UTC
                )
                end = _time(record).timestamp() + 1
                if any(
                    c == conversation and start.timestamp() <= t.timestamp() <= end
                    for c, t in direct
                ):
                    continue
            top = record
            parent = record.get("parentSpanId")
            while parent in spans:
                if spans[parent]["attributes"].get("gen_ai.operation.name") == "invoke_agent":
                    top = spans[parent]
                parent = spans[parent].get("parentSpanId")
            session = top["attributes"].get("gen_ai.conversation.id") or trace
            inp = _n(attributes.get("gen_ai.usage.input_tokens"))
            out = _n(attributes.get("gen_ai.usage.output_tokens"))
            read, write = _pick(attributes, CACHE_READ), _pick(attributes, CACHE_WRITE)
            key = f"{trace}:{record.get('spanId')}" if kind != "log" else f"response:{response}"
            found[key] = Call(key, session, _time(record), inp - read - write, out, read, write)
    return list(found.values())


def day_totals(calls: list[Call]) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = days.setdefault(
            call.ts.date().isoformat(),
            {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0},
        )
        for name in day:
            day[name] += getattr(call, name)
    return dict(sorted(days.items()))
