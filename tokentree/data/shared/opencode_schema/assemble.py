"""One OpenCode message (its fields and the parts that matter) → rows of the raw tables.

An assistant message runs one model request per *step* (a tool-calling loop); each step ends
with a ``step-finish`` part holding that request's tokens and cost, while the message's own
``tokens`` keep only the last step's (anomalyco/opencode#21913). So every step is one call:
``call_id`` = ``<message id>#<step>``, its tools are the tool parts of that step. A message with
no ``step-finish`` part (older builds) is one call with the message's tokens.

Forks copy messages with new ids but the same content, and the 1.2 migration left the JSON copy
of every message beside its database row, so a call's ``dedup_key`` is a fingerprint of what it
is (times, model, agent, step, tokens) rather than of where it was found. The last step is keyed
like the message's own tokens, so a copy of a message whose parts are gone still matches it.

A step's time: the database records when its ``step-finish`` part was written; that time is used
when it lies within the message's lifetime (a forked or migrated copy carries the time of the
copy), otherwise — and always for legacy files, which record none — the message's start plus
the step number in microseconds (keeps the order, never changes the day).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tokentree.data.pricing.prices import qualified_model
from tokentree.data.shared.opencode_schema import parts as P
from tokentree.data.shared.opencode_schema.sessions import SessionTree
from tokentree.data.shared.opencode_schema.usage import Usage, billable, cost, epoch_ms, utc
from tokentree.data.source import RawRows

OPEN_MESSAGE_MS = 24 * 3600 * 1000
"""How long after its start a message without ``time.completed`` may still record steps."""
STEP_SLACK_MS = 1000
LAST = "last"
_TOKENS = slice(P.TOKENS, P.TOKENS + 6)


@dataclass(slots=True)
class Message:
    id: str
    session_id: str
    values: tuple[Any, ...]
    """The message's fields at :data:`parts.MESSAGE_PATHS`."""
    parts: list[P.Part] = field(default_factory=list)
    created: Any = None
    """The store's own creation time (fallback when ``time.created`` is missing)."""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def fingerprint(
    created: int,
    completed: int | None,
    provider: str | None,
    model: str | None,
    agent: str | None,
    step: int | str,
    usage: Usage,
) -> str:
    """What identifies one request in any copy of its message (no ids: forks change them).
    ``step`` is the step's number, or ``last`` for the last step — which is also what a copy of
    the message without its parts holds (its own ``tokens``), so such a copy matches it."""
    key = (
        f"{created}|{completed}|{provider}|{model}|{agent}|{step}|{usage.input}|{usage.output}"
        f"|{usage.reasoning}|{usage.cache_read}|{usage.cache_write}"
    )
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


CALL_COLUMNS = (
    "call_id",
    "dedup_key",
    "session_id",
    "agent_id",
    "is_sidechain",
    "ts",
    "model",
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "reasoning",
    "cwd",
    "project",
    "cost_usd",
    "tools",
)
"""The ``raw_calls`` columns a call sets, in the order :meth:`Assembler._emit` fills them."""


@dataclass(slots=True)
class Assembler:
    """Turns messages into rows; drops a call whose fingerprint it has already emitted (a fork
    copy within one store: messages arrive in id order, so the original comes first). Calls are
    kept and handed over as columns (:meth:`finish`): a database holds many."""

    tree: SessionTree
    rows: RawRows = field(default_factory=RawRows)
    seen: set[str] = field(default_factory=set)
    calls: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in CALL_COLUMNS})
    prompts: list[dict[str, Any]] = field(default_factory=list)
    agents: list[dict[str, Any]] = field(default_factory=list)

    def finish(self) -> RawRows:
        """The rows read (calls as columns); ``rows.records``/``skipped`` are the caller's."""
        self.rows.calls, self.rows.prompts, self.rows.agents = self.calls, self.prompts, self.agents
        return self.rows

    def add(self, message: Message) -> None:
        values = message.values
        role = values[P.ROLE]
        if role == "user":
            self._prompt(message)
        elif role == "assistant" or (role is None and any(v is not None for v in values[_TOKENS])):
            self._calls(message)

    # ------------------------------------------------------------------ user messages

    def _prompt(self, message: Message) -> None:
        created = epoch_ms(message.values[P.CREATED]) or epoch_ms(message.created)
        if created is None:
            return
        root = self.tree.root(message.session_id)
        texts: list[str] = []
        has_image = compaction = False
        for kind, values, _ in message.parts:
            if kind == "text":
                text = P.prompt_text(values)
                if text is not None:
                    texts.append(text)
            elif kind == "file":
                has_image = has_image or P.is_image(values)
            elif kind == "compaction":
                compaction = True
        self.prompts.append(
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
        values = message.values
        created = epoch_ms(values[P.CREATED]) or epoch_ms(message.created)
        if created is None:
            self.rows.skipped += 1
            return
        session = message.session_id
        root = self.tree.root(session)
        shared = (
            created,
            epoch_ms(values[P.COMPLETED]),
            _text(values[P.PROVIDER_ID]) or _text(values[P.NESTED_PROVIDER]),
            _text(values[P.MODEL_ID]) or _text(values[P.NESTED_MODEL]),
            _text(values[P.AGENT]) or _text(values[P.MODE]),
            root,
            session if root != session else None,
            _text(values[P.CWD]) or self.tree.directory(session),
            _text(values[P.ROOT]),
        )
        steps: list[tuple[tuple[Any, ...], Any, list[P.Tool]]] = []
        pending: list[P.Tool] = []
        for kind, part, time in message.parts:
            if kind == "step-finish":
                steps.append((part, time, pending))
                pending = []
            elif kind == "tool":
                tool = P.tool(part)
                if tool is not None:
                    pending.append(tool)
                    if tool[3]:
                        self.agents.append(
                            {
                                "session_id": root,
                                "agent_id": tool[3],
                                "agent_type": tool[4],
                                "tool_use_id": tool[0],
                            }
                        )
        if not steps:
            usage = billable(*values[_TOKENS])
            stated = values[P.TOKENS + 6]
            self._emit(shared, message.id, LAST, usage, created, 0, pending, stated)
            return
        steps[-1][2].extend(pending)
        completed = shared[1]
        latest = (completed or created + OPEN_MESSAGE_MS) + STEP_SLACK_MS
        for number, (part, time, tools) in enumerate(steps, start=1):
            at = epoch_ms(time) if time is not None else None
            usage = billable(*part[:6])
            call_id = f"{message.id}#{number}"
            step = LAST if number == len(steps) else number
            if at is not None and created <= at <= latest:
                self._emit(shared, call_id, step, usage, at, 0, tools, part[6])
            else:
                self._emit(shared, call_id, step, usage, created, number - 1, tools, part[6])

    def _emit(
        self,
        shared: tuple[Any, ...],
        call_id: str,
        step: int | str,
        usage: Usage | None,
        ms: int,
        micros: int,
        tools: list[P.Tool],
        stated: Any,
    ) -> None:
        if usage is None or usage.empty:
            return
        created, completed, provider, model, agent, root, agent_id, cwd, project = shared
        key = fingerprint(created, completed, provider, model, agent, step, usage)
        if key in self.seen:
            return
        self.seen.add(key)
        values = (
            call_id,
            key,
            root,
            agent_id,
            agent_id is not None,
            utc(ms, micros),
            qualified_model(provider, model) if model else model,
            usage.input,
            usage.output,
            usage.cache_read,
            usage.cache_write,
            usage.reasoning,
            cwd,
            project,
            cost(stated),
            [{"id": t[0], "name": t[1], "detail": t[2]} for t in tools],
        )
        for column, value in zip(self.calls.values(), values, strict=True):
            column.append(value)
