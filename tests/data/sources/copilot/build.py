"""Hand-made Copilot CLI OpenTelemetry exports for tests, in the shape the CLI's file exporter
writes (one JSON object per line; the envelope of Copilot CLI 1.0.70's spans: ``type``,
``traceId``, ``spanId``, ``parentSpanId``, ``name``, ``kind``, ``startTime``/``endTime`` as
``[seconds, nanoseconds]``, ``attributes``, ``status``, ``events``, ``resource``,
``instrumentationScope``; metric lines; log records with ``hrTime`` and ``body``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

T0 = 1_780_000_000
"""2026-05-28T20:26:40Z in epoch seconds."""
TRACE = "3d38e764af7148db9df452343179feb4"
VERSION = "1.0.84"


def _time(seconds: float) -> list[int]:
    whole = int(seconds)
    return [whole, round((seconds - whole) * 1e9)]


def tokens(
    inp: int, out: int, read: int = 0, write: int = 0, reasoning: int = 0, *, dotted: bool = True
) -> dict[str, int]:
    """Usage attributes as Copilot writes them: input holds the cache, output the reasoning;
    ``dotted`` is the GenAI conventions' spelling, else Copilot CLI 1.0.6x's underscores."""
    attributes = {"gen_ai.usage.input_tokens": inp, "gen_ai.usage.output_tokens": out}
    if read:
        key = "cache_read.input_tokens" if dotted else "cache_read_input_tokens"
        attributes[f"gen_ai.usage.{key}"] = read
    if write:
        key = "cache_creation.input_tokens" if dotted else "cache_creation_input_tokens"
        attributes[f"gen_ai.usage.{key}"] = write
    if reasoning:
        attributes["gen_ai.usage.reasoning.output_tokens"] = reasoning
    return attributes


def span(
    name: str,
    span_id: str,
    parent: str | None,
    start: float,
    end: float,
    attributes: dict[str, Any],
    *,
    trace: str = TRACE,
    version: str = VERSION,
) -> dict[str, Any]:
    return {
        "type": "span",
        "traceId": trace,
        "spanId": span_id,
        "parentSpanId": parent,
        "name": name,
        "kind": 2 if name.startswith("chat") else 0,
        "startTime": _time(start),
        "endTime": _time(end),
        "attributes": {"gen_ai.provider.name": "github", **attributes},
        "status": {"code": 0},
        "events": [],
        "resource": {
            "attributes": {"service.name": "github-copilot", "service.version": version},
            "schemaUrl": "https://opentelemetry.io/schemas/1.44.0",
        },
        "instrumentationScope": {"name": "github.copilot", "version": version},
    }


def chat(
    span_id: str,
    parent: str,
    start: float,
    end: float,
    model: str,
    usage: dict[str, int],
    conversation: str = "76a49557-6eb7-480f-8a57-a74810293b0b",
    trace: str = TRACE,
    **extra: Any,
) -> dict[str, Any]:
    attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "gen_ai.conversation.id": conversation,
        "gen_ai.request.stream": True,
        "gen_ai.response.finish_reasons": ["stop"],
        **usage,
        **extra,
    }
    return span(f"chat {model}", span_id, parent, start, end, attributes, trace=trace)


def agent(
    span_id: str,
    parent: str | None,
    start: float,
    end: float,
    name: str = "GitHub Copilot",
    usage: dict[str, int] | None = None,
    conversation: str = "76a49557-6eb7-480f-8a57-a74810293b0b",
    trace: str = TRACE,
    **extra: Any,
) -> dict[str, Any]:
    attributes = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": name,
        "gen_ai.conversation.id": conversation,
        **(usage or {}),
        **extra,
    }
    title = "invoke_agent" if parent is None else f"invoke_agent {name}"
    return span(title, span_id, parent, start, end, attributes, trace=trace)


def tool(
    span_id: str,
    parent: str,
    start: float,
    name: str,
    call_id: str,
    trace: str = TRACE,
    **parameters: str,
) -> dict[str, Any]:
    attributes = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": name,
        "gen_ai.tool.call.id": call_id,
        "gen_ai.tool.type": "function",
        **{f"github.copilot.tool.parameters.{k}": v for k, v in parameters.items()},
    }
    return span(
        f"execute_tool {name}", span_id, parent, start, start + 0.5, attributes, trace=trace
    )


def inference_log(
    at: float, model: str, usage: dict[str, int], response_id: str, **extra: Any
) -> dict:
    """The log record some builds write beside a chat span (same request, same tokens)."""
    return {
        "hrTime": _time(at),
        "attributes": {
            "event.name": "gen_ai.client.inference.operation.details",
            "gen_ai.response.model": model,
            "gen_ai.response.id": response_id,
            **usage,
            **extra,
        },
        "_body": f"GenAI inference: {model}",
    }


def metric(name: str = "gen_ai.client.token.usage") -> dict[str, Any]:
    return {
        "type": "metric",
        "name": name,
        "unit": "{token}",
        "dataPoints": [
            {"attributes": {"gen_ai.token.type": "input"}, "value": {"count": 1, "sum": 9}}
        ],
    }


def write(path: Path, records: list[dict[str, Any]], *, tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, separators=(",", ":")) for r in records]
    path.write_text("".join(line + "\n" for line in lines) + tail, encoding="utf-8")
    return path
