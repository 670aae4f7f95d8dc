"""One OpenCode message (its ``data`` and the parts that matter) → rows of the raw tables.

An assistant message runs one model request per *step* (a tool-calling loop); each step ends
with a ``step-finish`` part holding that request's tokens and cost, while the message's own
``tokens`` keep only the last step's (anomalyco/opencode#21913). So every step is one call:
``call_id`` = ``<message id>#<step>``, its tools are the tool parts of that step. A message with
no ``step-finish`` part (older builds) is one call with the message's tokens.

Forks copy messages with new ids but the same content, and the 1.2 migration left the JSON copy
of every message beside its database row, so a call's ``dedup_key`` is a fingerprint of what it
is (times, model, agent, step, tokens) rather than of where it was found.

A step's time: the database records when its ``step-finish`` part was written; that time is used
when it lies within the message's lifetime (a forked or migrated copy carries the time of the
copy), otherwise — and always for legacy files, which record none — the message's start plus
the step number in microseconds (keeps the order, never changes the day).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tokentree.data.source import RawRows
from tokentree.data.sources.opencode import parts as P
from tokentree.data.sources.opencode.sessions import SessionTree
from tokentree.data.sources.opencode.usage import Usage, billable, cost, epoch_ms, utc

OPEN_MESSAGE_MS = 24 * 3600 * 1000
"""How long after its start a message without ``time.completed`` may still record steps."""
STEP_SLACK_MS = 1000


@dataclass(slots=True)
class Message:
    id: str
    session_id: str
    data: dict[str, Any]
    parts: list[P.Part] = field(default_factory=list)
    created_ms: int | None = None
    """The store's own creation time (fallback when ``data.time.created`` is missing)."""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def model_of(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """(model, provider): ``modelID``/``providerID``, or v2's ``model: {id, providerID}``."""
    model, provider = _text(data.get("modelID")), _text(data.get("providerID"))
    nested = data.get("model")
    if isinstance(nested, dict):
        model = model or _text(nested.get("id")) or _text(nested.get("modelID"))
        provider = provider or _text(nested.get("providerID"))
    return model, provider


def times_of(data: dict[str, Any], fallback: int | None) -> tuple[int | None, int | None]:
    time = data.get("time")
    time = time if isinstance(time, dict) else {}
    return epoch_ms(time.get("created")) or fallback, epoch_ms(time.get("completed"))


def fingerprint(
    created: int,
    completed: int | None,
    provider: str | None,
    model: str | None,
    agent: str | None,
    step: int,
    usage: Usage,
) -> str:
    """What identifies one request in any copy of its message (no ids: forks change them)."""
    key = "|".join(
        str(v)
        for v in (
            created,
            completed,
            provider,
            model,
            agent,
            step,
            usage.input,
            usage.output,
            usage.reasoning,
            usage.cache_read,
            usage.cache_write,
        )
    )
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(slots=True)
class Assembler:
    """Turns messages into rows; drops a call whose fingerprint it has already emitted (a fork
    copy within one store: messages arrive in id order, so the original comes first)."""

    tree: SessionTree
    rows: RawRows = field(default_factory=RawRows)
    seen: set[str] = field(default_factory=set)

    def add(self, message: Message) -> None:
        data = message.data
        role = data.get("role")
        if role == "user":
            self._prompt(message)
        elif role == "assistant" or (role is None and isinstance(data.get("tokens"), dict)):
            self._calls(message)

    # ------------------------------------------------------------------ user messages

    def _prompt(self, message: Message) -> None:
        created, _ = times_of(message.data, message.created_ms)
        if created is None:
            return
        root = self.tree.root(message.session_id)
        texts: list[str] = []
        has_image = compaction = False
        for part in message.parts:
            if part.type == "text":
                text = P.prompt_text(part)
                if text is not None:
                    texts.append(text)
            elif part.type == "file":
                has_image = has_image or P.is_image(part)
            elif part.type == "compaction":
                compaction = True
        self.rows.prompts.append(
            {
                "uuid": message.id,
                "session_id": root,
                "ts": utc(created),
                "is_sidechain": root != message.session_id,
                "is_compact_summary": compaction,
                "texts": texts,
                "has_image": has_image,
                "cwd": self.tree.directory(message.session_id),
            }
        )

    # ------------------------------------------------------------------ assistant messages

    def _calls(self, message: Message) -> None:
        data = message.data
        created, completed = times_of(data, message.created_ms)
        if created is None:
            self.rows.skipped += 1
            return
        model, provider = model_of(data)
        root = self.tree.root(message.session_id)
        path = data.get("path")
        path = path if isinstance(path, dict) else {}
        call = _Call(
            message=message,
            created=created,
            completed=completed,
            model=model,
            provider=provider,
            agent=_text(data.get("agent")) or _text(data.get("mode")),
            root=root,
            cwd=_text(path.get("cwd")) or self.tree.directory(message.session_id),
            project=_text(path.get("root")),
        )
        steps: list[tuple[P.Part, list[P.Tool]]] = []
        pending: list[P.Tool] = []
        for part in message.parts:
            if part.type == "tool":
                tool = P.tool(part)
                if tool is not None:
                    pending.append(tool)
                    if tool.child_session:
                        self.rows.agents.append(
                            {
                                "session_id": root,
                                "agent_id": tool.child_session,
                                "agent_type": tool.agent_type,
                                "tool_use_id": tool.call_id,
                            }
                        )
            elif part.type == "step-finish":
                steps.append((part, pending))
                pending = []
        if not steps:
            usage = billable(data.get("tokens"))
            self._emit(call, message.id, 0, usage, (created, 0), pending, data.get("cost"))
            return
        steps[-1][1].extend(pending)
        latest = (completed or created + OPEN_MESSAGE_MS) + STEP_SLACK_MS
        for number, (part, tools) in enumerate(steps, start=1):
            tokens, stated = part.values
            at = part.time_ms
            when = (at, 0) if at is not None and created <= at <= latest else (created, number - 1)
            usage = billable(tokens)
            self._emit(call, f"{message.id}#{number}", number, usage, when, tools, stated)

    def _emit(
        self,
        call: _Call,
        call_id: str,
        step: int,
        usage: Usage | None,
        when: tuple[int, int],
        tools: list[P.Tool],
        stated: Any,
    ) -> None:
        if usage is None or usage.empty:
            return
        key = fingerprint(
            call.created, call.completed, call.provider, call.model, call.agent, step, usage
        )
        if key in self.seen:
            return
        self.seen.add(key)
        sidechain = call.root != call.message.session_id
        self.rows.calls.append(
            {
                "call_id": call_id,
                "dedup_key": key,
                "session_id": call.root,
                "agent_id": call.message.session_id if sidechain else None,
                "is_sidechain": sidechain,
                "ts": utc(*when),
                "model": call.model,
                "input": usage.input,
                "output": usage.output,
                "cache_read": usage.cache_read,
                "cache_write_5m": usage.cache_write,
                "reasoning": usage.reasoning,
                "cwd": call.cwd,
                "project": call.project,
                "cost_usd": cost(stated),
                "tools": [t.as_row() for t in tools],
            }
        )


@dataclass(frozen=True, slots=True)
class _Call:
    """What every call of one assistant message shares."""

    message: Message
    created: int
    completed: int | None
    model: str | None
    provider: str | None
    agent: str | None
    root: str
    cwd: str | None
    project: str | None
