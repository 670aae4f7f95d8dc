"""One line of Copilot's OpenTelemetry file export, taken apart.

The file exporter writes spans (``{"type": "span", "traceId", "spanId", "parentSpanId",
"name", "startTime": [s, ns], "endTime": [s, ns], "attributes": {...}, "resource": {...}}``),
metrics (``"type": "metric"``, aggregates: never read) and, in some builds, log records
(``hrTime``/``timeUnixNano``, ``attributes``, ``body``). Attributes follow the OpenTelemetry
GenAI conventions: ``gen_ai.operation.name`` (``invoke_agent`` for a turn or a sub-agent,
``chat`` for one model request, ``execute_tool``), ``gen_ai.usage.*`` token counts,
``gen_ai.response.model``, ``gen_ai.conversation.id``; Copilot's own under ``github.copilot.*``.

Token attributes have several spellings across versions: the conventions' dotted
``gen_ai.usage.cache_read.input_tokens`` and Copilot CLI 1.0.6x's
``gen_ai.usage.cache_read_input_tokens``; cache writes as ``cache_creation`` or ``cache_write``;
reasoning as ``reasoning.output_tokens`` or the older ``reasoning_tokens``; numbers may be
strings (a redacted export writes ``"[REDACTED]"``: no number).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

CHAT = "chat"
INFERENCE = "inference"
AGENT_TURN = "agent_turn"
AGENT = "invoke_agent"
TOOL = "execute_tool"

PRIORITY = {CHAT: 0, INFERENCE: 1, AGENT_TURN: 2, AGENT: 3}
"""Records that can carry one request's usage, most direct first: a request is counted from
the most direct record that has it (:mod:`.otel`)."""

INPUT = ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")
OUTPUT = ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")
CACHE_READ = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens")
CACHE_WRITE = (
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.cache_write_input_tokens",
)
REASONING = ("gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens")
TOTAL = ("gen_ai.usage.total_tokens",)
MODEL = ("gen_ai.response.model", "gen_ai.request.model")
CONVERSATION = (
    "gen_ai.conversation.id",
    "github.copilot.conversation.id",
    "copilot_chat.chat_session_id",
    "copilot_chat.session_id",
    "session.id",
)
INFERENCE_EVENTS = frozenset({"gen_ai.client.inference.operation.details"})
AGENT_TURN_EVENTS = frozenset({"copilot_chat.agent.turn", "github.copilot.agent.turn"})
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def number(value: Any) -> int:
    """A token count (numbers or numeric strings; anything else, ``[REDACTED]`` too, is 0)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and math.isfinite(value):
        return max(int(value), 0)
    return 0


def first(attributes: dict[str, Any], keys: tuple[str, ...]) -> int:
    for key in keys:
        value = number(attributes.get(key))
        if value:
            return value
    return 0


def text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def first_text(attributes: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = text(attributes.get(key))
        if value is not None:
            return value
    return None


def otel_time(value: Any) -> datetime | None:
    """An OpenTelemetry time: ``[seconds, nanoseconds]`` (the JS SDK's HrTime), epoch nanos,
    micros, millis or seconds (told apart by size), or an ISO 8601 text."""
    if isinstance(value, list | tuple) and len(value) == 2:
        seconds, nanos = number(value[0]), number(value[1])
        return EPOCH + timedelta(seconds=seconds, microseconds=nanos // 1000) if seconds else None
    if isinstance(value, str) and not value.strip().isdigit():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raw = number(value)
    if not raw:
        return None
    if raw >= 10**17:
        return EPOCH + timedelta(microseconds=raw // 1000)  # nanoseconds
    if raw >= 10**14:
        return EPOCH + timedelta(microseconds=raw)
    if raw >= 10**11:
        return EPOCH + timedelta(milliseconds=raw)
    return EPOCH + timedelta(seconds=raw)


@dataclass(slots=True)
class Record:
    kind: str | None
    """One of CHAT, INFERENCE, AGENT_TURN, AGENT, TOOL, or None (nothing we read)."""
    span: bool
    trace_id: str | None
    span_id: str | None
    parent_id: str | None
    name: str | None
    attributes: dict[str, Any]
    start: datetime | None
    end: datetime | None
    line: int

    @property
    def time(self) -> datetime | None:
        """When the request completed (a span's end; a log record's own time)."""
        return self.end or self.start

    @property
    def response_id(self) -> str | None:
        return text(self.attributes.get("gen_ai.response.id"))

    @property
    def conversation(self) -> str | None:
        return first_text(self.attributes, CONVERSATION)

    @property
    def model(self) -> str | None:
        model = first_text(self.attributes, MODEL)
        if model is None and self.kind == CHAT and self.name and self.name.startswith("chat "):
            model = text(self.name[5:])
        return model


def _kind(span: bool, name: str | None, attributes: dict[str, Any], body: str | None) -> str | None:
    operation = text(attributes.get("gen_ai.operation.name"))
    if span:
        if operation == "chat" or (name or "").startswith("chat "):
            return CHAT
        if operation == "invoke_agent" or (name or "").startswith("invoke_agent"):
            return AGENT
        if operation == "execute_tool" or (name or "").startswith("execute_tool"):
            return TOOL
        return None
    event = text(attributes.get("event.name"))
    if event in INFERENCE_EVENTS or (body or "").startswith("GenAI inference:"):
        return INFERENCE
    if event in AGENT_TURN_EVENTS or (body or "").startswith("copilot_chat.agent.turn"):
        return AGENT_TURN
    return None


def _is_span(obj: dict[str, Any]) -> bool:
    kind = obj.get("type")
    if isinstance(kind, str):
        return kind == "span"
    return isinstance(obj.get("name"), str) and any(
        k in obj for k in ("spanId", "traceId", "startTime", "endTime")
    )


def parse(obj: Any, line: int) -> Record | None:
    """The record of a parsed line (None: not an object with attributes, or a metric)."""
    if not isinstance(obj, dict) or obj.get("type") == "metric":
        return None
    attributes = obj.get("attributes")
    if not isinstance(attributes, dict):
        return None
    span = _is_span(obj)
    context = obj.get("spanContext") if isinstance(obj.get("spanContext"), dict) else {}
    name = text(obj.get("name"))
    body = text(obj.get("body")) or text(obj.get("_body"))
    start = otel_time(obj.get("startTime"))
    end = otel_time(obj.get("endTime"))
    if not span:
        for key in ("hrTime", "_hrTime", "timeUnixNano", "time", "timestamp", "observedTimestamp"):
            end = otel_time(obj.get(key))
            if end is not None:
                break
    return Record(
        kind=_kind(span, name, attributes, body),
        span=span,
        trace_id=text(obj.get("traceId")) or text(context.get("traceId")),
        span_id=text(obj.get("spanId")) or text(context.get("spanId")),
        parent_id=text(obj.get("parentSpanId")) or text(obj.get("parentId")),
        name=name,
        attributes=attributes,
        start=start,
        end=end,
        line=line,
    )


@dataclass(frozen=True, slots=True)
class Usage:
    input: int
    output: int
    cache_read: int
    cache_write: int
    reasoning: int

    @property
    def empty(self) -> bool:
        return not (self.input or self.output or self.cache_read or self.cache_write)


def usage(attributes: dict[str, Any]) -> Usage:
    """The record's tokens in additive semantics. The GenAI conventions count cached tokens
    inside ``input_tokens`` (Copilot's requests report ``prompt_tokens`` with
    ``prompt_tokens_details.cached_tokens``/``cache_creation_input_tokens`` as parts of it) and
    reasoning inside ``output_tokens`` (a sub-breakdown, as OpenAI's ``reasoning_tokens``)."""
    inp, out = first(attributes, INPUT), first(attributes, OUTPUT)
    read, write = first(attributes, CACHE_READ), first(attributes, CACHE_WRITE)
    reasoning, total = first(attributes, REASONING), first(attributes, TOTAL)
    inclusive = read + write <= inp
    prompt = inp if inclusive else inp + read + write
    if not out and total > prompt:
        out = total - prompt
    if reasoning > out:
        out += reasoning  # a record whose output leaves the reasoning out
    return Usage(inp - read - write if inclusive else inp, out, read, write, reasoning)
