"""A source-neutral plan of a usage history — sessions → turns → calls — with its exact truth.

The corpus generator draws a :class:`Plan` once and hands it to one writer per source
(``bench/writers/<source>.py``), which writes the plan in that tool's on-disk format with the
tool's quirks (split responses, re-emitted events, replays, re-appended records …). Quirks never
change what was billed, so the plan itself is the ground truth for every writer: tests and the
benchmark compare tokentree (and ccusage) with :meth:`Plan.day_totals`.

Token semantics are tokentree's (additive): ``input`` excludes cache reads and writes, ``output``
includes ``reasoning``. A writer converts to its tool's own semantics (Codex and Gemini count
cached tokens inside the input, Gemini reports thoughts apart from output …).
"""

from __future__ import annotations

import random
import uuid as uuidlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

TOKEN_FIELDS = ("input", "output", "cache_read", "cache_write")


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    detail: str | None = None
    """The command line, file path or pattern the tool was called with."""


@dataclass(slots=True)
class Call:
    """One billed model request."""

    id: str
    ts: datetime
    model: str
    input: int
    output: int
    cache_read: int = 0
    cache_write: int = 0
    """Cache writes (5-minute TTL; sources without cache writes plan 0)."""
    reasoning: int = 0
    """The part of ``output`` that was reasoning/thinking."""
    tools: list[Tool] = field(default_factory=list)
    advisor: bool = False
    """A consultation of another model made inside the call before it (same turn, same time):
    Claude Code logs it inside that call's response (an ``advisor_message`` iteration); a writer
    whose tool has no such thing writes it as a call like any other."""


@dataclass(slots=True)
class Turn:
    ts: datetime
    prompt: str
    calls: list[Call] = field(default_factory=list)


@dataclass(slots=True)
class Session:
    id: str
    project: str
    cwd: str
    turns: list[Turn] = field(default_factory=list)

    def calls(self) -> Iterator[Call]:
        for turn in self.turns:
            yield from turn.calls

    @property
    def start(self) -> datetime:
        return self.turns[0].ts


@dataclass(slots=True)
class Plan:
    sessions: list[Session] = field(default_factory=list)

    def calls(self) -> Iterator[Call]:
        for session in self.sessions:
            yield from session.calls()

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(("calls", *TOKEN_FIELDS), 0)
        for call in self.calls():
            totals["calls"] += 1
            for name in TOKEN_FIELDS:
                totals[name] += getattr(call, name)
        return totals

    def day_totals(self, tz: str = "UTC") -> dict[str, dict[str, int]]:
        """Exact totals per local day (ISO date → calls and token kinds)."""
        zone = ZoneInfo(tz)
        days: dict[str, dict[str, int]] = {}
        for call in self.calls():
            day = call.ts.astimezone(zone).date().isoformat()
            totals = days.setdefault(day, dict.fromkeys(("calls", *TOKEN_FIELDS), 0))
            totals["calls"] += 1
            for name in TOKEN_FIELDS:
                totals[name] += getattr(call, name)
        return dict(sorted(days.items()))


PROJECTS = ("atlas-api", "web-dashboard", "cli-tools", "ml-pipeline", "docs-site", "infra")
PROMPTS = (
    "fix the failing test in the parser",
    "add a --json flag to the export command",
    "why is the dashboard slow on large accounts?",
    "refactor the auth middleware into its own module",
    "write docs for the new endpoint",
    "bump the dependencies and fix what breaks",
    "review this diff for race conditions",
    "add retries to the uploader",
)
TOOLS = (
    Tool("shell", "pytest -q tests/test_parser.py"),
    Tool("shell", "git status"),
    Tool("shell", "rg -n 'def export' src"),
    Tool("read_file", "src/app/main.py"),
    Tool("read_file", "README.md"),
    Tool("apply_patch", "src/app/export.py"),
    Tool("write_file", "docs/endpoint.md"),
    Tool("update_plan", None),
)


@dataclass(frozen=True, slots=True)
class Shape:
    """How a source's history looks: models with weights, and whether it writes caches."""

    models: Sequence[tuple[str, int]]
    cache_writes: bool = False
    reasoning: bool = True
    turns: tuple[int, int] = (1, 8)
    calls_per_turn: tuple[int, int] = (1, 12)
    advisors: Sequence[tuple[str, int]] = ()
    """Models an advisor may consult, with weights (Claude Code's advisor tool)."""
    p_advisor: float = 0.0
    """Per call: followed by an advisor consultation (``Call.advisor``). At 0 (the default) no
    random number is drawn for it, so plans without advisors are unchanged."""


def _advisor(rng: random.Random, shape: Shape, call: Call, context: int) -> Call:
    """An advisor consultation inside ``call``: the advisor reads the whole context uncached."""
    names, weights = zip(*shape.advisors, strict=True)
    return Call(
        id=f"{call.id}a",
        ts=call.ts,
        model=rng.choices(names, weights)[0],
        input=context + rng.randrange(200, 2_000),
        output=rng.randrange(200, 6_000),
        advisor=True,
    )


def make_plan(
    rng: random.Random,
    shape: Shape,
    *,
    sessions: int,
    start: date,
    days: int,
) -> Plan:
    """Draw ``sessions`` sessions spread over ``days`` days from ``start`` (UTC), each a few
    turns of a few calls whose context grows and is mostly read from the cache."""
    models, weights = zip(*shape.models, strict=True)
    plan = Plan()
    for _ in range(sessions):
        project = rng.choice(PROJECTS)
        day = start + timedelta(days=rng.randrange(days))
        t = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(6 * 3600, 23 * 3600)
        )
        session = Session(
            str(uuidlib.UUID(int=rng.getrandbits(128), version=4)),
            project,
            f"/home/dev/src/{project}",
        )
        model = rng.choices(models, weights)[0]
        context = rng.randrange(8_000, 20_000)
        for _turn in range(rng.randint(*shape.turns)):
            turn = Turn(t, rng.choice(PROMPTS))
            t += timedelta(seconds=rng.uniform(1, 5))
            for _call in range(rng.randint(*shape.calls_per_turn)):
                new = rng.randrange(50, 4_000)
                output = rng.randrange(20, 1_500)
                reasoning = rng.randrange(0, output) if shape.reasoning else 0
                write = new if shape.cache_writes else 0
                call = Call(
                    id=f"c{rng.getrandbits(64):016x}",
                    ts=t,
                    model=model,
                    input=rng.randrange(1, 40) if shape.cache_writes else new,
                    output=output,
                    cache_read=context,
                    cache_write=write,
                    reasoning=reasoning,
                    tools=[rng.choice(TOOLS) for _ in range(rng.choice((0, 1, 1, 2)))],
                )
                turn.calls.append(call)
                if shape.p_advisor and rng.random() < shape.p_advisor:
                    turn.calls.append(_advisor(rng, shape, call, context + new))
                context += new + output
                t += timedelta(seconds=rng.uniform(2, 40))
            session.turns.append(turn)
            t += timedelta(seconds=rng.uniform(20, 900))
        plan.sessions.append(session)
    plan.sessions.sort(key=lambda s: s.start)
    return plan
