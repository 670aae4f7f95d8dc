"""Writes a :class:`bench.plan.Plan` as Codex CLI rollouts under ``<home>/.codex`` with Codex's
quirks (formats.md §2, §7), none of which changes what was billed:

* every request logs its ``turn_context`` and a ``token_count`` with the thread's cumulative
  total; about half the requests are followed by a re-emitted copy of the previous one
  (unchanged totals), turns may open with an ``info: null`` event (rate limits only);
* some sessions are forked (the rest of the session continues in a new thread whose rollout
  first copies the parent's, with rewritten or original timestamps, with or without the
  owner's ``session_meta`` repeated after the copy); some requests run in spawned subagents
  (copying the parent's history or not, continuing its counter or restarting at zero, with or
  without a ``trigger_turn`` message); some threads restart their counter (a resume);
* newer sessions log ``token_usage_record`` lines beside ``token_count`` (≥ 0.151) and their
  prompts as ``item_completed`` items (≥ 0.148), sometimes both ways;
* rollouts may be recompressed to ``.jsonl.zst`` (alone, or beside the plain file), archived
  to ``archived_sessions/`` (alone, or with the copy in ``sessions/`` kept);
* file names and date folders are local time (UTC+1), lines UTC.
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import zstandard

from bench.plan import Call, Plan, Session, Tool
from bench.writers import codex_lines as cx
from bench.writers.codex_lines import Usage

LOCAL = timezone(timedelta(hours=1))
AGENTS_MD = "# AGENTS.md\nRun the tests before you commit. Keep functions small.\n" * 30
"""Project instructions repeated in every turn_context, as Codex writes them."""
MS = timedelta(milliseconds=1)


def usage_of(call: Call) -> Usage:
    """A planned call in Codex's semantics (cached and cache writes inside the input)."""
    return Usage(
        input=call.input + call.cache_read + call.cache_write,
        cached=call.cache_read,
        output=call.output,
        reasoning=call.reasoning,
        cache_write=call.cache_write,
    )


@dataclass(slots=True)
class Thread:
    """One rollout being written: its lines, its cumulative counter, its clock."""

    id: str
    cwd: str
    created: datetime
    rng: random.Random
    source: Any = "cli"
    forked_from: str | None = None
    records: bool = False
    items: bool = False
    lines: list[str] = field(default_factory=list)
    counter: Usage = field(default_factory=Usage)
    emitted: tuple[Usage, Usage] | None = None
    """(total, last) of the last token_count written: what a re-emission repeats."""
    clock: datetime | None = None
    used: float = 1.0
    turn_id: str = ""

    def add(self, text: str, ts: datetime) -> None:
        self.lines.append(text)
        self.clock = ts

    def at(self, desired: datetime) -> datetime:
        """``desired``, or just after the last line when that is later (lines stay ordered)."""
        return desired if self.clock is None or desired > self.clock else self.clock + MS

    def meta(self) -> None:
        ts = self.at(self.created)
        self.add(
            cx.session_meta(
                ts,
                self.id,
                self.cwd,
                created=self.created,
                source=self.source,
                forked_from=self.forked_from,
            ),
            ts,
        )

    def context(self) -> None:
        """The injected context every thread starts with (not human prompts)."""
        ts = self.at(self.clock or self.created)
        self.add(cx.message(ts, "developer", "<permissions instructions>"), ts)
        ts = self.at(ts)
        self.add(cx.message(ts, "user", "<environment_context>cwd</environment_context>"), ts)

    def prompt(self, ts: datetime, text: str, index: int) -> None:
        self.turn_id = f"{self.id[:8]}-turn-{index}"
        self.add(cx.event(self.at(ts), "task_started", turn_id=self.turn_id), self.at(ts))
        ts = self.at(ts)
        if self.items:
            self.add(cx.user_item(ts, text, f"item-{self.turn_id}", self.id), ts)
            if self.rng.random() < 0.3:  # the same prompt logged both ways
                self.add(cx.user_message(self.at(ts), text), self.at(ts))
        else:
            self.add(cx.user_message(ts, text), ts)
        self.add(cx.message(self.at(ts), "user", text), self.at(ts))
        if self.rng.random() < 0.5:
            ts = self.at(ts)
            self.add(cx.token_count(ts, None, None, limits=self.limits(ts)), ts)

    def limits(self, ts: datetime) -> dict[str, Any]:
        self.used = min(100.0, self.used + 0.5)
        return cx.rate_limits(ts, self.used)

    def request(self, call: Call, extra: list[tuple[str, Any, str]] | None = None) -> None:
        """One model request: its context, a re-emission of the previous event, reasoning,
        tool calls, its usage, the tools' output."""
        tools = [
            _tool_line(tool, self.rng, f"call_{call.id}_{i}") for i, tool in enumerate(call.tools)
        ]
        tools += extra or []
        pre = 3 + len(tools)
        start = call.ts - pre * 40 * MS
        ts = self.at(start)
        context = cx.turn_context(ts, call.model, self.cwd, self.turn_id, instructions=AGENTS_MD)
        self.add(context, ts)
        if self.emitted is not None and self.rng.random() < 0.5:
            ts = self.at(ts + 10 * MS)
            total, last = self.emitted
            self.add(cx.token_count(ts, total, last, limits=self.limits(ts)), ts)
        ts = self.at(ts + 30 * MS)
        self.add(cx.reasoning(ts, int(self.rng.lognormvariate(7.5, 0.8))), ts)
        for kind, payload, _call_id in tools:
            ts = self.at(ts + 30 * MS)
            self.add(_render(kind, ts, payload), ts)
        usage = usage_of(call)
        self.counter = self.counter + usage
        self.emitted = (self.counter, usage)
        writes = call.cache_write > 0
        if self.records:
            self.add(
                cx.usage_record(
                    call.ts, self.id, self.turn_id, f"resp_{call.id}", usage, self.counter
                ),
                call.ts,
            )
        self.add(
            cx.token_count(
                call.ts, self.counter, usage, limits=self.limits(call.ts), cache_write=writes
            ),
            call.ts,
        )
        ts = call.ts
        for _kind, _payload, call_id in tools:
            ts = ts + 5 * MS
            output = "output line\n" * int(self.rng.lognormvariate(5.5, 1.2))
            self.add(cx.tool_output(ts, call_id, output), ts)

    def close_turn(self) -> None:
        ts = self.at((self.clock or self.created) + 200 * MS)
        self.add(cx.message(ts, "assistant", "Done."), ts)
        ts = self.at(ts)
        self.add(cx.event(ts, "task_complete", turn_id=self.turn_id), ts)

    def copy_from(self, parent: Thread, at: datetime, *, rewrite: bool) -> None:
        """Copy the parent's rollout so far (a fork's inherited history): timestamps rewritten to
        the copy's write time, or kept."""
        ts = at
        for text in parent.lines:
            obj = json.loads(text)
            if obj["type"] == "token_usage_record":
                continue  # Codex drops the parent's usage records from the copy
            if rewrite:
                ts = ts + MS * self.rng.choice((0, 0, 1))
                obj["timestamp"] = cx.stamp(ts)
            self.lines.append(json.dumps(obj, separators=(",", ":"), ensure_ascii=False))
        self.clock = max(ts, at)


def _tool_line(tool: Tool, rng: random.Random, call_id: str) -> tuple[str, Any, str]:
    """A planned tool as one of Codex's call shapes."""
    detail = tool.detail or ""
    if tool.name == "shell":
        shape = rng.choice(("exec_command", "shell", "shell_command", "local_shell"))
        if shape == "exec_command":
            return "function", ("exec_command", {"cmd": detail, "workdir": "."}, call_id), call_id
        if shape == "shell":
            argv = ["bash", "-lc", detail]
            return "function", ("shell", {"command": argv, "workdir": "."}, call_id), call_id
        if shape == "shell_command":
            return "function", ("shell_command", {"command": detail}, call_id), call_id
        return "local", (["bash", "-lc", detail], call_id), call_id
    if tool.name == "apply_patch":
        patch = f"*** Begin Patch\n*** Update File: {detail}\n@@\n-old\n+new\n*** End Patch\n"
        return "custom", ("apply_patch", patch, call_id), call_id
    if tool.name == "update_plan":
        plan = {"plan": [{"step": "do it", "status": "in_progress"}]}
        return "function", ("update_plan", plan, call_id), call_id
    return "function", (tool.name, {"path": detail}, call_id), call_id


def _render(kind: str, ts: datetime, payload: Any) -> str:
    if kind == "function":
        name, arguments, call_id = payload
        return cx.function_call(ts, name, arguments, call_id)
    if kind == "custom":
        name, text, call_id = payload
        return cx.custom_tool_call(ts, name, text, call_id)
    argv, call_id = payload
    return cx.local_shell_call(ts, argv, call_id)


@dataclass(slots=True)
class Quirks:
    """What happens to one planned session."""

    fork_at: int | None = None
    fork_rewrite: bool = True
    fork_marker: bool = True
    spawn: tuple[int, int] | None = None
    """(turn, call): that call and the rest of its turn run in a subagent."""
    spawn_style: str = "fork"
    reset_at: int | None = None
    records: bool = False
    items: bool = False


def _quirks(session: Session, rng: random.Random) -> Quirks:
    quirks = Quirks(records=rng.random() < 0.25, items=rng.random() < 0.3)
    turns = session.turns
    if len(turns) >= 2 and rng.random() < 0.3:
        quirks.fork_at = rng.randrange(1, len(turns))
        quirks.fork_rewrite = rng.random() < 0.6
        quirks.fork_marker = rng.random() < 0.5
    candidates = [(t, c) for t, turn in enumerate(turns) for c in range(1, len(turn.calls))]
    if candidates and rng.random() < 0.35:
        quirks.spawn = rng.choice(candidates)
        quirks.spawn_style = rng.choice(
            ("fork", "fork-original", "fork-restart", "fresh", "fresh-silent")
        )
    if len(turns) >= 2 and rng.random() < 0.2:
        quirks.reset_at = rng.randrange(1, len(turns))
    return quirks


def _new_id(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _spawn(parent: Thread, spawn_call: str, style: str, rng: random.Random) -> Thread:
    """A subagent thread created by the parent's ``spawn_agent`` call (just written)."""
    at = parent.at((parent.clock or parent.created) + 300 * MS)
    forked = style.startswith("fork")
    child = Thread(
        _new_id(rng),
        parent.cwd,
        at,
        rng,
        source=cx.spawned(parent.id, call_id=spawn_call),
        forked_from=parent.id if forked else None,
        records=parent.records,
        items=parent.items,
    )
    child.meta()
    if forked:
        child.copy_from(parent, child.at(at), rewrite=style != "fork-original")
        if style != "fork-restart":
            child.counter, child.emitted = parent.counter, parent.emitted
    child.context()
    if style != "fresh-silent":
        ts = child.at(child.clock or at)
        child.add(cx.trigger(ts, "/root", "/root/worker", "take over"), ts)
    child.turn_id = f"{child.id[:8]}-task"
    return child


def _fork(parent: Thread, quirks: Quirks, rng: random.Random) -> Thread:
    """An ordinary fork: the session goes on in a new thread that copied the parent's."""
    at = parent.at((parent.clock or parent.created) + timedelta(seconds=3))
    child = Thread(
        _new_id(rng),
        parent.cwd,
        at,
        rng,
        source=parent.source,
        forked_from=parent.id,
        records=parent.records,
        items=parent.items,
    )
    child.meta()
    child.copy_from(parent, child.at(at), rewrite=quirks.fork_rewrite)
    if quirks.fork_marker:
        child.meta()
    child.counter, child.emitted, child.used = parent.counter, parent.emitted, parent.used
    return child


def _threads(session: Session, rng: random.Random) -> list[Thread]:
    quirks = _quirks(session, rng)
    current = Thread(
        session.id,
        session.cwd,
        session.start - timedelta(seconds=2),
        rng,
        source=rng.choice(("cli", "vscode", "exec")),
        records=quirks.records,
        items=quirks.items,
    )
    current.meta()
    current.context()
    done: list[Thread] = []
    for index, turn in enumerate(session.turns):
        if quirks.fork_at == index:
            done.append(current)
            current = _fork(current, quirks, rng)
        if quirks.reset_at == index:
            current.counter = Usage()  # a resumed process restarts the cumulative count
        current.prompt(turn.ts, turn.prompt, index)
        split = quirks.spawn[1] if quirks.spawn and quirks.spawn[0] == index else None
        for position, call in enumerate(turn.calls):
            if split is not None and position == split - 1:
                spawn_call = f"call_spawn_{call.id}"
                arguments = {"message": "take over", "agent_type": "worker"}
                current.request(
                    call, extra=[("function", ("spawn_agent", arguments, spawn_call), spawn_call)]
                )
                child = _spawn(current, spawn_call, quirks.spawn_style, rng)
                for own in turn.calls[split:]:
                    child.request(own)
                done.append(child)
                break
            current.request(call)
        current.close_turn()
    done.append(current)
    return done


def _placements(rng: random.Random) -> tuple[str, str]:
    """(where, compression): where is sessions / archived / both, compression plain / zst /
    twin (plain and .zst side by side)."""
    where = rng.choices(("sessions", "archived", "both"), (8, 1, 1))[0]
    compression = rng.choices(("plain", "zst", "twin"), (8, 1, 1))[0]
    return where, compression


def _save(thread: Thread, codex: Path, rng: random.Random) -> list[Path]:
    local = thread.created.astimezone(LOCAL)
    name = f"rollout-{local:%Y-%m-%dT%H-%M-%S}-{thread.id}.jsonl"
    dated = codex / "sessions" / f"{local:%Y}" / f"{local:%m}" / f"{local:%d}"
    where, compression = _placements(rng)
    folders = {
        "sessions": [dated],
        "archived": [codex / "archived_sessions"],
        "both": [dated, codex / "archived_sessions"],
    }[where]
    data = ("\n".join(thread.lines) + "\n").encode()
    written = []
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if compression in ("plain", "twin"):
            (folder / name).write_bytes(data)
            written.append(folder / name)
        if compression in ("zst", "twin"):
            packed = folder / (name + ".zst")
            packed.write_bytes(zstandard.ZstdCompressor().compress(data))
            written.append(packed)
    return written


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write every planned session under ``home/.codex``; the files written."""
    codex = home / ".codex"
    written: list[Path] = []
    for session in plan.sessions:
        for thread in _threads(session, rng):
            written += _save(thread, codex, rng)
    return written
