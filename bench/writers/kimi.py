"""Kimi CLI writer: a :class:`bench.plan.Plan` as Kimi CLI's wire logs, with their quirks.

Under ``home/.kimi`` (``home`` plays ``$HOME``): ``config.toml`` names the model (the wire log
names none, so a history has one model: draw the plan with :data:`SHAPE`), ``kimi.json`` lists
the working directories, and each session is ``sessions/<md5(cwd)>/<session>/wire.jsonl``,
written as Python's ``json.dumps`` writes it (``", "`` / ``": "``). Per turn a ``TurnBegin``;
per call ``StepBegin``, content parts, ``ToolCall`` lines, then the step's ``StatusUpdate`` with
``token_usage`` and ``message_id``, then the tool results. Quirks, none of which changes what was
billed:

* status updates without usage (plan mode toggles, MCP progress, the context after
  ``/compact``: ``token_usage: null``);
* some calls run in a subagent: its own ``subagents/<agent>/wire.jsonl`` records the step, and the
  parent's log relays the same events in ``SubagentEvent`` lines (the same step twice);
* some sessions are forked (``/fork``, ``/undo``): a new session whose wire log copies the
  original's lines verbatim (the same steps in two sessions); some are also imported
  (``imported_sessions/<session>/wire.jsonl``, another copy);
* some steps carry no ``message_id`` (providers that return none);
* now and then a malformed line, and sometimes a last line still being written.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape, Tool

MODEL = "kimi-k2.5"
SHAPE = Shape(models=((MODEL, 1),), cache_writes=False, reasoning=True)
"""A Kimi CLI history: one model (named by the config), no cache writes."""

TOOLS = {
    "shell": ("Shell", "command"),
    "read_file": ("ReadFile", "path"),
    "apply_patch": ("StrReplaceFile", "path"),
    "write_file": ("WriteFile", "path"),
    "update_plan": ("SetTodoList", None),
}


def folder(cwd: str) -> str:
    """The session folder of a working directory (Kimi CLI's ``md5(path)``)."""
    return hashlib.md5(cwd.encode("utf-8")).hexdigest()


def dumps(value: Any) -> str:
    """A line as Kimi CLI writes it (``json.dumps`` defaults, ``ensure_ascii=False``)."""
    return json.dumps(value, ensure_ascii=False)


def record(ts: float, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": ts, "message": {"type": kind, "payload": payload}}


def metadata() -> dict[str, Any]:
    return {"type": "metadata", "protocol_version": "1.3"}


def usage(inp: int, out: int, read: int = 0, write: int = 0) -> dict[str, int]:
    return {
        "input_other": inp,
        "output": out,
        "input_cache_read": read,
        "input_cache_creation": write,
    }


def status(ts: float, token_usage: dict[str, int] | None, message_id: str | None) -> dict[str, Any]:
    """A ``StatusUpdate`` as the soul sends it after a step (field order as the model dumps)."""
    return record(
        ts,
        "StatusUpdate",
        {
            "context_usage": 0.12 if token_usage else None,
            "context_tokens": 12000 if token_usage else None,
            "max_context_tokens": 262144 if token_usage else None,
            "token_usage": token_usage,
            "message_id": message_id,
            "plan_mode": False,
            "mcp_status": None,
        },
    )


def tool_call(ts: float, call_id: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return record(
        ts,
        "ToolCall",
        {
            "type": "function",
            "id": call_id,
            "function": {"name": name, "arguments": json.dumps(arguments)},
            "extras": None,
        },
    )


def turn_begin(ts: float, text: str) -> dict[str, Any]:
    return record(ts, "TurnBegin", {"user_input": text})


def relay(line: dict[str, Any], agent_id: str, tool_call_id: str) -> dict[str, Any]:
    """A subagent's event as its parent's log relays it."""
    event = {"type": line["message"]["type"], "payload": line["message"]["payload"]}
    return record(
        line["timestamp"],
        "SubagentEvent",
        {
            "parent_tool_call_id": tool_call_id,
            "agent_id": agent_id,
            "subagent_type": "coder",
            "event": event,
        },
    )


def write_config(share: Path, model: str) -> Path:
    share.mkdir(parents=True, exist_ok=True)
    path = share / "config.toml"
    path.write_text(
        f'default_model = "main"\n\n[providers.moonshot]\ntype = "kimi"\n'
        f'base_url = "https://api.moonshot.ai/v1"\napi_key = ""\n\n'
        f'[models.main]\nprovider = "moonshot"\nmodel = "{model}"\nmax_context_size = 262144\n',
        encoding="utf-8",
    )
    return path


def write_metadata(share: Path, cwds: list[str]) -> Path:
    share.mkdir(parents=True, exist_ok=True)
    path = share / "kimi.json"
    entries = [{"path": cwd, "kaos": "local", "last_session_id": None} for cwd in cwds]
    path.write_text(json.dumps({"work_dirs": entries, "thinking": False}), encoding="utf-8")
    return path


def write_lines(path: Path, lines: list[dict[str, Any] | str], *, torn: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join((line if isinstance(line, str) else dumps(line)) + "\n" for line in lines)
    if torn:
        text += dumps(status(1.0, usage(1, 1), "torn"))[:40]
    path.write_text(text, encoding="utf-8")
    return path


def _seconds(ts: datetime) -> float:
    return round(ts.timestamp(), 6)


def tool_arguments(
    tool: Tool, names: dict[str, tuple[str, str | None]] = TOOLS
) -> tuple[str, dict[str, Any]]:
    """A planned tool as Kimi logs it: its name there (``names``: the plan's name → Kimi's name
    and the argument that holds the detail) and its arguments."""
    name, key = names.get(tool.name, (tool.name, None))
    return name, ({key: tool.detail} if key and tool.detail else {})


def check_plan(plan: Plan, model: str, error: str) -> None:
    """Raise ``error`` unless every call is ``model``'s without cache writes (Kimi's logs name
    one model and count no cache writes)."""
    for call in plan.calls():
        if call.model != model or call.cache_write:
            raise ValueError(error)


def random_uuid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        check_plan(plan, MODEL, "Kimi CLI logs one model and no cache writes: use kimi.SHAPE")
        self.plan = plan
        self.share = home / ".kimi"
        self.rng = rng
        self.files: list[Path] = []

    def _step(self, call: Call, lines: list[dict[str, Any]]) -> None:
        """One model step: its parts, tool calls, status update and tool results."""
        ts = _seconds(call.ts)
        lines.append(record(ts, "StepBegin", {"n": 1}))
        lines.append(record(ts, "ContentPart", {"type": "text", "text": "Working on it."}))
        ids = []
        for tool in call.tools:
            name, arguments = tool_arguments(tool)
            ids.append(f"tool_{self.rng.getrandbits(40):010x}")
            lines.append(tool_call(ts, ids[-1], name, arguments))
        message_id = None if self.rng.random() < 0.1 else f"chatcmpl-{call.id}"
        lines.append(status(ts, usage(call.input, call.output, call.cache_read), message_id))
        for tool_id in ids:
            lines.append(
                record(
                    ts, "ToolResult", {"tool_call_id": tool_id, "return_value": {"output": "ok"}}
                )
            )

    def session(self, planned: Session) -> list[dict[str, Any] | str]:
        lines: list[dict[str, Any] | str] = [metadata()]
        session_dir = self.share / "sessions" / folder(planned.cwd) / planned.id
        for turn in planned.turns:
            lines.append(turn_begin(_seconds(turn.ts), turn.prompt))
            if self.rng.random() < 0.2:
                lines.append(status(_seconds(turn.ts), None, None))
            delegated = turn.calls[-1:] if len(turn.calls) > 1 and self.rng.random() < 0.3 else []
            for call in turn.calls:
                if call in delegated:
                    self._subagent(session_dir, call, lines)
                else:
                    self._step(call, lines)
            lines.append(record(_seconds(turn.calls[-1].ts), "TurnEnd", {}))
            if self.rng.random() < 0.03:
                lines.append('{"timestamp": 1.0, "message": {"type": "StatusUpdate", "payl')
        return lines

    def _subagent(self, session_dir: Path, call: Call, parent: list[dict[str, Any] | str]) -> None:
        """A step run by a subagent: its own log, and the relay in the parent's log."""
        agent = f"agent-{self.rng.getrandbits(32):08x}"
        task_id = f"tool_{self.rng.getrandbits(40):010x}"
        ts = _seconds(call.ts)
        parent.append(tool_call(ts, task_id, "Agent", {"description": "investigate"}))
        parent.append(status(ts, usage(0, 0), None))
        own: list[dict[str, Any]] = []
        own.append(turn_begin(ts, "investigate the failure"))
        self._step(call, own)
        for line in own:
            parent.append(relay(line, agent, task_id))
        path = session_dir / "subagents" / agent / "wire.jsonl"
        self.files.append(write_lines(path, [metadata(), *own]))

    def write(self) -> list[Path]:
        cwds = sorted({s.cwd for s in self.plan.sessions})
        self.files += [write_config(self.share, MODEL), write_metadata(self.share, cwds)]
        for planned in self.plan.sessions:
            lines = self.session(planned)
            base = self.share / "sessions" / folder(planned.cwd)
            torn = self.rng.random() < 0.05
            self.files.append(write_lines(base / planned.id / "wire.jsonl", lines, torn=torn))
            if self.rng.random() < 0.15:  # /fork: a new session copies the lines
                self.files.append(write_lines(base / random_uuid(self.rng) / "wire.jsonl", lines))
            if self.rng.random() < 0.1:  # kimi vis import of the same session
                path = self.share / "imported_sessions" / planned.id / "wire.jsonl"
                self.files.append(write_lines(path, lines))
        return self.files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan as Kimi CLI's share directory under ``home``; returns the files written."""
    return _Writer(plan, home, rng).write()
