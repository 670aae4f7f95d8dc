"""Writes a :class:`bench.plan.Plan` as GitHub Copilot CLI OpenTelemetry exports under
``home/.copilot/otel`` (one file per session, as users name them after the session's start), with
the exporter's quirks (docs/counting.md, "GitHub Copilot CLI"):

* a turn is a trace: an ``invoke_agent`` span around it carrying the *sum* of its requests'
  usage, a ``chat`` span per request (dated by its end), an ``execute_tool`` span per tool;
* input counts the cache (read and creation are parts of it), output the reasoning;
* two builds: Copilot CLI 1.0.62 spells the cache ``gen_ai.usage.cache_read_input_tokens`` /
  ``cache_creation_input_tokens`` and writes no reasoning count; 1.0.84 uses the conventions'
  ``cache_read.input_tokens`` / ``cache_creation.input_tokens`` and
  ``reasoning.output_tokens``;
* some sessions also write an inference-details log record per request (same tokens, same
  ``gen_ai.response.id``); in one the span exporter fails and writes ``{}`` for every span
  (microsoft/vscode#319993 shows the failure), so only the log records — which carry no trace
  id — hold the requests;
* the last calls of some turns run in a sub-agent: an ``execute_tool task`` span with a nested
  ``invoke_agent`` span (its own total) and its own chat spans;
* metric lines (histograms of the same tokens) between the spans.

Per-day totals equal the plan's exactly (the plan is the truth).
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Shape, Tool

SHAPE = Shape(
    models=(("claude-sonnet-4.6", 6), ("gpt-5.4-mini", 3), ("claude-opus-4.6", 1)),
    cache_writes=True,
    reasoning=True,
)

TOOLS = {
    "shell": ("bash", "command"),
    "read_file": ("view", "path"),
    "apply_patch": ("edit", "path"),
    "write_file": ("create", "path"),
    "update_plan": ("update_todo", None),
}
OLD, NEW = "1.0.62", "1.0.84"


def _hr(ts: float) -> list[int]:
    whole = int(ts)
    return [whole, round((ts - whole) * 1e6) * 1000]


def _usage(calls: list[Call], version: str) -> dict[str, int]:
    inp = sum(c.input + c.cache_read + c.cache_write for c in calls)
    attributes = {
        "gen_ai.usage.input_tokens": inp,
        "gen_ai.usage.output_tokens": sum(c.output for c in calls),
    }
    read, write = sum(c.cache_read for c in calls), sum(c.cache_write for c in calls)
    if version == OLD:
        if read:
            attributes["gen_ai.usage.cache_read_input_tokens"] = read
        if write:
            attributes["gen_ai.usage.cache_creation_input_tokens"] = write
    else:
        if read:
            attributes["gen_ai.usage.cache_read.input_tokens"] = read
        if write:
            attributes["gen_ai.usage.cache_creation.input_tokens"] = write
        reasoning = sum(c.reasoning for c in calls)
        if reasoning:
            attributes["gen_ai.usage.reasoning.output_tokens"] = reasoning
    return attributes


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        self.plan = plan
        self.root = home / ".copilot" / "otel"
        self.rng = rng

    def _id(self, bits: int = 64) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def _span(
        self,
        name: str,
        trace: str,
        span_id: str,
        parent: str | None,
        start: float,
        end: float,
        attributes: dict[str, Any],
        version: str,
    ) -> dict[str, Any]:
        return {
            "type": "span",
            "traceId": trace,
            "spanId": span_id,
            "parentSpanId": parent,
            "name": name,
            "kind": 2 if name.startswith("chat") else 0,
            "startTime": _hr(start),
            "endTime": _hr(end),
            "attributes": {"gen_ai.provider.name": "github", **attributes},
            "status": {"code": 0},
            "events": [],
            "resource": {
                "attributes": {"service.name": "github-copilot", "service.version": version},
                "schemaUrl": "https://opentelemetry.io/schemas/1.44.0",
            },
            "instrumentationScope": {"name": "github.copilot", "version": version},
        }

    def _tool(self, tool: Tool, trace: str, parent: str, at: float, version: str) -> dict:
        name, key = TOOLS.get(tool.name, (tool.name, None))
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": name,
            "gen_ai.tool.call.id": f"call_{self._id(48)}",
            "gen_ai.tool.type": "function",
        }
        if key and tool.detail and version == NEW:
            attributes[f"github.copilot.tool.parameters.{key}"] = tool.detail
        return self._span(
            f"execute_tool {name}", trace, self._id(), parent, at, at + 0.3, attributes, version
        )

    def _chats(
        self,
        calls: list[Call],
        trace: str,
        parent: str,
        conversation: str,
        version: str,
        mode: str,
    ) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
        for call in calls:
            end = call.ts.timestamp()
            usage = _usage([call], version)
            response = f"resp_{self._id()}"
            attributes = {
                "gen_ai.operation.name": "chat",
                "gen_ai.request.model": call.model,
                "gen_ai.response.model": call.model,
                "gen_ai.conversation.id": conversation,
                "gen_ai.response.id": response,
                "gen_ai.response.finish_reasons": ["tool_calls" if call.tools else "stop"],
                **usage,
            }
            lines.append(
                self._span(
                    f"chat {call.model}",
                    trace,
                    self._id(),
                    parent,
                    end - 2,
                    end,
                    attributes,
                    version,
                )
            )
            if mode in ("logs", "broken"):
                lines.append(
                    {
                        "hrTime": _hr(end),
                        "traceId": trace if mode == "logs" else None,
                        "attributes": {
                            "event.name": "gen_ai.client.inference.operation.details",
                            "gen_ai.response.model": call.model,
                            "gen_ai.response.id": response,
                            "gen_ai.conversation.id": conversation,
                            **usage,
                        },
                        "_body": f"GenAI inference: {call.model}",
                    }
                )
            for n, tool in enumerate(call.tools):
                lines.append(self._tool(tool, trace, parent, end + 0.1 + n * 0.4, version))
        return lines

    def _session(self, index: int) -> tuple[Path, list[dict[str, Any]]]:
        planned = self.plan.sessions[index]
        version = OLD if index % 2 == 0 else NEW
        mode = "broken" if index == 3 else "logs" if index % 3 == 1 else "spans"
        conversation = planned.id
        lines: list[dict[str, Any]] = []
        for turn_number, turn in enumerate(planned.turns):
            calls = list(turn.calls)
            trace = self._id(128)
            turn_span = self._id()
            delegated: list[Call] = []
            if len(calls) >= 3 and self.rng.random() < 0.25:
                cut = self.rng.randrange(1, len(calls) - 1)
                calls, delegated = calls[:cut], calls[cut:]
            lines += self._chats(calls, trace, turn_span, conversation, version, mode)
            if delegated:
                task, child = self._id(), self._id()
                lines += self._chats(delegated, trace, child, f"{conversation}-sub", version, mode)
                first, last = delegated[0].ts.timestamp(), delegated[-1].ts.timestamp()
                child_attributes = {
                    "gen_ai.operation.name": "invoke_agent",
                    "gen_ai.agent.name": "explore",
                    "gen_ai.agent.id": "builtin:explore",
                    "gen_ai.request.model": delegated[0].model,
                    **_usage(delegated, version),
                }
                lines.append(
                    self._span(
                        "invoke_agent explore",
                        trace,
                        child,
                        task,
                        first - 3,
                        last + 0.5,
                        child_attributes,
                        version,
                    )
                )
                task_attributes = {
                    "gen_ai.operation.name": "execute_tool",
                    "gen_ai.tool.name": "task",
                    "gen_ai.tool.call.id": f"toolu_{self._id(48)}",
                    "gen_ai.tool.type": "function",
                }
                lines.append(
                    self._span(
                        "execute_tool task",
                        trace,
                        task,
                        turn_span,
                        first - 3.5,
                        last + 1,
                        task_attributes,
                        version,
                    )
                )
            every = list(turn.calls)
            end = max(c.ts.timestamp() for c in every) + 1.5 if every else turn.ts.timestamp() + 1
            agent_attributes = {
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.agent.name": "GitHub Copilot",
                "gen_ai.conversation.id": conversation,
                "github.copilot.git.repository": f"acme/{planned.project}",
                **_usage(every, version),
            }
            lines.append(
                self._span(
                    "invoke_agent",
                    trace,
                    turn_span,
                    None,
                    turn.ts.timestamp(),
                    end,
                    agent_attributes,
                    version,
                )
            )
            if turn_number % 2 == 1:
                lines.append(
                    {
                        "type": "metric",
                        "name": "gen_ai.client.token.usage",
                        "unit": "{token}",
                        "dataPoints": [
                            {"attributes": {"gen_ai.token.type": "input"}, "value": {"sum": 1}}
                        ],
                    }
                )
        if mode == "broken":  # the span exporter's failure: an empty object per span
            lines = [{} if line.get("type") == "span" else line for line in lines]
        start: datetime = planned.start
        return self.root / f"copilot-otel-{start:%Y%m%d-%H%M%S}-{index:03d}.jsonl", lines

    def write(self) -> list[Path]:
        written = []
        for index in range(len(self.plan.sessions)):
            path, lines = self._session(index)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
            )
            written.append(path)
        return written


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write ``plan`` as Copilot CLI telemetry under ``home`` (plays ``$HOME``); returns the
    files."""
    return _Writer(plan, home, rng).write()
