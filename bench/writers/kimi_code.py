"""Kimi Code writer (source ``kimi``): a :class:`bench.plan.Plan` as Kimi Code's wire logs, with
their quirks.

Under ``home/.kimi-code`` (``home`` plays ``$HOME``): each session is
``sessions/wd_<slug>_<sha256(cwd)[:12]>/session_<uuid>/`` with ``state.json`` and one
``agents/<agent>/wire.jsonl`` per agent (compact ``JSON.stringify`` lines, ``time`` in epoch
milliseconds), as MoonshotAI/kimi-code's agent-core-v2 writes them. Per turn a ``turn.prompt``;
per call an ``llm.request`` (the provider's model and the user's alias), the loop's ``step.begin``
/ ``content.part`` / ``step.end`` (which repeats the usage), the ``usage.record`` (the alias, the
counts, ``usageScope``), then the ``tool.call`` / ``tool.result`` events of the tools it asked for.
Quirks, none of which changes what was billed:

* a retried request: an ``llm.request`` with ``attempt`` and no usage before the one that answered;
* some calls are a compaction (``llm.request`` ``kind: compaction``, ``usageScope: session``);
* some calls run in a subagent: its own ``agents/agent-<n>/wire.jsonl`` (the parent's log has none
  of its usage);
* some sessions are forked: a new session whose logs copy the original's lines verbatim, then a
  ``forked`` record;
* sometimes a last line still being written, and a metadata line per file.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape
from bench.writers.kimi import check_plan, random_uuid, tool_arguments

MODEL = "kimi-k2.6"
ALIAS = "kimi-for-coding"
SHAPE = Shape(models=((MODEL, 1),), cache_writes=False, reasoning=True)
"""A Kimi Code history: one model behind the user's alias, no cache writes."""

TOOLS = {
    "shell": ("Bash", "command"),
    "read_file": ("Read", "path"),
    "apply_patch": ("Edit", "path"),
    "write_file": ("Write", "path"),
    "update_plan": ("TodoWrite", None),
}


def work_dir_key(cwd: str) -> str:
    """The session folder of a working directory (Kimi Code's ``encodeWorkDirKey``)."""
    normalized = cwd.replace("\\", "/").rstrip("/")
    base = normalized.split("/")[-1] or normalized
    slug = re.sub(r"[^a-z0-9._-]+", "-", base.lower()).strip("-")[:40].strip("-") or "workspace"
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:12]
    return f"wd_{slug}_{digest}"


def ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


def dumps(value: Any) -> str:
    """A line as Kimi Code writes it (``JSON.stringify``: compact)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def metadata(created: int) -> dict[str, Any]:
    return {"type": "metadata", "protocol_version": "1.5", "created_at": created}


def config_update(time: int, cwd: str) -> dict[str, Any]:
    return {
        "type": "config.update",
        "modelAlias": ALIAS,
        "profileName": "agent",
        "environmentDisclosure": {"cwd": cwd, "date": {"disclosed": False}},
        "time": time,
    }


def prompt(time: int, text: str, kind: str = "user") -> dict[str, Any]:
    return {
        "type": "turn.prompt",
        "input": [{"type": "text", "text": text}],
        "origin": {"kind": kind},
        "time": time,
    }


def request(
    time: int, turn_step: str, kind: str = "loop", attempt: str | None = None
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "type": "llm.request",
        "kind": kind,
        "provider": "kimi",
        "model": MODEL,
        "modelAlias": ALIAS,
        "maxTokens": 32000,
        "toolSelect": True,
        "systemPromptHash": "9f2c",
        "toolsHash": "41ab",
        "messageCount": 4,
        "turnStep": turn_step,
        "time": time,
    }
    if attempt is not None:
        line["attempt"] = attempt
    return line


def counts(inp: int, out: int, read: int = 0, write: int = 0) -> dict[str, int]:
    return {"inputOther": inp, "output": out, "inputCacheRead": read, "inputCacheCreation": write}


def usage_record(time: int, usage: dict[str, int], scope: str | None = "turn") -> dict[str, Any]:
    line: dict[str, Any] = {"type": "usage.record", "model": ALIAS, "usage": usage}
    if scope is not None:
        line["usageScope"] = scope
    line["time"] = time
    return line


def loop_event(time: int, event: dict[str, Any]) -> dict[str, Any]:
    return {"type": "context.append_loop_event", "event": event, "time": time}


def tool_call(time: int, step_uuid: str, call_id: str, name: str, args: dict) -> dict[str, Any]:
    event = {"type": "tool.call", "stepUuid": step_uuid, "toolCallId": call_id, "name": name,
             "args": args}  # fmt: skip
    return loop_event(time, event)


def write_lines(path: Path, lines: list[dict[str, Any] | str], *, torn: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join((line if isinstance(line, str) else dumps(line)) + "\n" for line in lines)
    if torn:
        text += dumps(usage_record(1, counts(1, 1)))[:50]
    path.write_text(text, encoding="utf-8")
    return path


def write_state(session_dir: Path, agents: list[str], title: str) -> Path:
    session_dir.mkdir(parents=True, exist_ok=True)
    path = session_dir / "state.json"
    entries = {
        agent: {"homedir": "/home/dev", "type": "main" if agent == "main" else "sub",
                "parentAgentId": None if agent == "main" else "main"}
        for agent in agents
    }  # fmt: skip
    state = {"title": title, "isCustomTitle": False, "agents": entries, "custom": {}}
    path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return path


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        check_plan(plan, MODEL, "Kimi Code logs one model and no cache writes: use SHAPE")
        self.plan = plan
        self.home = home / ".kimi-code"
        self.rng = rng
        self.files: list[Path] = []

    def _step(self, call: Call, turn_step: str, lines: list[dict[str, Any] | str]) -> None:
        """One model request: its request line(s), loop events, usage and tools."""
        time = ms(call.ts)
        compaction = not call.tools and self.rng.random() < 0.08
        if self.rng.random() < 0.05:  # a retried request: no usage
            lines.append(request(time, turn_step, attempt="1"))
        lines.append(request(time, turn_step, "compaction" if compaction else "loop"))
        usage = counts(call.input, call.output, call.cache_read)
        step = random_uuid(self.rng)
        if not compaction:
            lines.append(loop_event(time, {"type": "step.begin", "uuid": step, "step": 1}))
            part = {"type": "text", "text": "Working on it."}
            lines.append(loop_event(time, {"type": "content.part", "stepUuid": step, "part": part}))
            end = {"type": "step.end", "uuid": step, "step": 1, "usage": usage,
                   "finishReason": "tool_calls" if call.tools else "end_turn"}  # fmt: skip
            lines.append(loop_event(time, end))
        lines.append(usage_record(time, usage, "session" if compaction else "turn"))
        for tool in call.tools:
            name, args = tool_arguments(tool, TOOLS)
            call_id = f"tool_{self.rng.getrandbits(40):010x}"
            lines.append(tool_call(time, step, call_id, name, args))
            result = {"type": "tool.result", "toolCallId": call_id, "result": {"output": "ok"}}
            lines.append(loop_event(time, result))

    def session(self, planned: Session, session_dir: Path) -> dict[str, list[dict[str, Any] | str]]:
        """Each agent's lines."""
        start = ms(planned.turns[0].ts)
        main: list[dict[str, Any] | str] = [metadata(start), config_update(start, planned.cwd)]
        agents = {"main": main}
        for number, turn in enumerate(planned.turns, 1):
            main.append(prompt(ms(turn.ts), turn.prompt))
            delegated = turn.calls[-1:] if len(turn.calls) > 1 and self.rng.random() < 0.3 else []
            for index, call in enumerate(turn.calls, 1):
                if call in delegated:
                    agent = f"agent-{len(agents) - 1}"
                    own = agents.setdefault(agent, [metadata(ms(call.ts))])
                    own.append(prompt(ms(call.ts), "investigate the failure", "task"))
                    self._step(call, f"{number}.{index}", own)
                else:
                    self._step(call, f"{number}.{index}", main)
            main.append({"type": "turn.ended", "time": ms(turn.calls[-1].ts)})
        return agents

    def write(self) -> list[Path]:
        for planned in self.plan.sessions:
            base = self.home / "sessions" / work_dir_key(planned.cwd)
            session_dir = base / f"session_{planned.id}"
            agents = self.session(planned, session_dir)
            self.files.append(write_state(session_dir, list(agents), planned.turns[0].prompt))
            torn = self.rng.random() < 0.05
            for agent, lines in agents.items():
                path = session_dir / "agents" / agent / "wire.jsonl"
                self.files.append(write_lines(path, lines, torn=torn and agent == "main"))
            if self.rng.random() < 0.15:  # a fork: the logs copied, then a `forked` record
                fork = base / f"session_{random_uuid(self.rng)}"
                self.files.append(write_state(fork, list(agents), "Fork"))
                for agent, lines in agents.items():
                    marker = {"type": "forked", "time": ms(planned.turns[-1].calls[-1].ts) + 1}
                    path = fork / "agents" / agent / "wire.jsonl"
                    self.files.append(write_lines(path, [*lines, marker]))
        return self.files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan as Kimi Code's home under ``home``; returns the files written."""
    return _Writer(plan, home, rng).write()
