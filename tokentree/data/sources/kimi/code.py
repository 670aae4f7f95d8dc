"""Kimi Code's wire logs: one per agent, ``~/.kimi-code/sessions/<wd>/<session>/agents/<agent>/
wire.jsonl`` (Kimi Code is Kimi CLI's successor; its migration copies old sessions without their
usage, so both stores are read and nothing counts twice).

Each line is ``{"type", …payload, "time": <epoch ms>}`` (the first ``{"type": "metadata",
"protocol_version", "created_at"}``). We read:

* ``usage.record {model, usage {inputOther, output, inputCacheRead, inputCacheCreation},
  usageScope?}`` — one model request (``inputOther`` excludes the cache; ``output`` includes
  thinking), written when its response completes: ``usageScope`` ``turn`` for the agent loop,
  ``session`` (or absent) for other requests (compaction), billed all the same. ``model`` is the
  user's alias (``kimi-for-coding``); the ``llm.request`` line before it names the provider's model.
  ``step.end`` loop events repeat a turn request's usage and are not calls.
* ``context.append_loop_event`` whose ``event.type`` is ``tool.call`` (``name``, ``args``): the
  tools a response asked for, written after its ``usage.record`` (tools run once it completes).
* ``turn.prompt {input, origin}`` with ``origin.kind`` ``user``: a turn of the main agent.
* ``forked``: a forked session's log starts with the source session's lines, copied verbatim,
  then this record; what comes before it is a copy (the call stays in the original session).
* ``config.update`` (``cwd``, ``environmentDisclosure.cwd``): the working directory.

A usage record has no id: the same request is recognised by its agent, time, model and counts.
The file is read whole (each change re-reads it); lines naming none of these types are skipped
unparsed.
"""

from __future__ import annotations

import json
import math
import os
from datetime import UTC, datetime
from typing import Any

from tokentree.data.read.linereader import clean
from tokentree.data.source import RawRows, StoreFormat
from tokentree.data.sources.kimi import paths, tools

USAGE = "usage.record"
REQUEST = "llm.request"
PROMPT = "turn.prompt"
LOOP_EVENT = "context.append_loop_event"
FORKED = "forked"
CONFIG = "config.update"
MARKERS = tuple(f'"{name}"'.encode() for name in (USAGE, REQUEST, PROMPT, FORKED, CONFIG))
TOOL_MARKER = b'"tool.call"'
STATE_NAME = "state.json"
MAIN_AGENT = "main"


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0) if math.isfinite(value) else 0


def _time(value: Any) -> datetime | None:
    """Epoch milliseconds (as Kimi Code writes them), epoch seconds, or an ISO string."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
        if isinstance(value, str) and value.strip():
            found = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return found if found.tzinfo else found.replace(tzinfo=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _state_work_dir(session_dir: str) -> str | None:
    """``state.json``'s ``workDir`` (older Kimi Code versions write it)."""
    try:
        with open(os.path.join(session_dir, STATE_NAME), "rb") as handle:
            state = json.loads(handle.read(4 << 20))
    except (OSError, ValueError, RecursionError):
        return None
    return _text(state.get("workDir")) if isinstance(state, dict) else None


def _config_cwd(line: dict[str, Any]) -> str | None:
    disclosed = line.get("environmentDisclosure")
    nested = disclosed.get("cwd") if isinstance(disclosed, dict) else None
    return _text(line.get("cwd")) or _text(nested)


def _is_user_prompt(line: dict[str, Any]) -> bool:
    origin = line.get("origin")
    return origin == "user" or (isinstance(origin, dict) and origin.get("kind") == "user")


def _prompt_texts(value: Any) -> tuple[list[str], bool]:
    if isinstance(value, str):
        return ([value[: tools.TEXT_LIMIT]] if value.strip() else []), False
    texts: list[str] = []
    image = False
    for part in value if isinstance(value, list) else []:
        if not isinstance(part, dict):
            continue
        if part.get("type") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"][: tools.TEXT_LIMIT])
        image = image or part.get("type") == "image_url"
    return [t for t in (clean(t) for t in texts) if t], image


def _tool(event: dict[str, Any]) -> dict[str, str | None] | None:
    name = _text(event.get("name"))
    if name is None:
        return None
    args = event.get("args")
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            args = None
    detail = None
    if isinstance(args, dict):
        detail = next(
            (args[k] for k in tools.DETAIL_KEYS if isinstance(args.get(k), str) and args[k]), None
        )
    return {
        "id": _text(event.get("toolCallId")),
        "name": tools.TOOL_NAMES.get(name, name),
        "detail": clean(detail[: tools.DETAIL_LIMIT]) if detail else None,
    }


def _lines(path: str) -> list[tuple[bytes, bool]]:
    """The file's lines, each with whether it is complete (a last line without its newline is
    still being written)."""
    with open(path, "rb") as handle:
        parts = handle.read().split(b"\n")
    last = parts.pop()
    found = [(part, True) for part in parts]
    return [*found, (last, False)] if last.strip() else found


def read_code_wire(path: str) -> RawRows:
    """The calls and turns of one agent's wire log."""
    rows = RawRows()
    where = paths.code_place(path)
    if where is None:
        return rows
    session_dir = os.path.dirname(os.path.dirname(os.path.dirname(path)))
    sidechain = where.agent != MAIN_AGENT
    cwd: str | None = None
    last_time: datetime | None = None
    models: dict[str, str] = {}
    last_model: str | None = None
    waiting: list[dict[str, str | None]] = []
    copied_calls = copied_prompts = 0
    lines = _lines(path)
    rows.records = len(lines)
    for raw, complete in lines:
        is_tool = TOOL_MARKER in raw
        if not is_tool and not any(marker in raw for marker in MARKERS):
            continue
        try:
            line = json.loads(raw)
        except (ValueError, RecursionError):
            if complete and b'"usage.record"' in raw:
                rows.skipped += 1  # a damaged line that may have carried usage
            continue
        if not isinstance(line, dict):
            continue
        kind = line.get("type")
        when = _time(line.get("time"))
        last_time = when or last_time
        if kind == CONFIG:
            cwd = _config_cwd(line) or cwd
        elif kind == REQUEST:
            model = _text(line.get("model"))
            if model:
                last_model = model
                models[_text(line.get("modelAlias")) or model] = model
        elif kind == FORKED:
            copied_calls, copied_prompts = len(rows.calls), len(rows.prompts)
        elif kind == LOOP_EVENT and isinstance(line.get("event"), dict) and is_tool:
            event = line["event"]
            found = _tool(event) if event.get("type") == "tool.call" else None
            if found is not None and rows.calls:
                rows.calls[-1]["tools"].append(found)
            elif found is not None:
                waiting.append(found)
        elif kind == USAGE and isinstance(line.get("usage"), dict):
            usage = line["usage"]
            counts = [
                _count(usage.get(key))
                for key in ("inputOther", "output", "inputCacheRead", "inputCacheCreation")
            ]
            if not any(counts):
                continue
            stamp = when or last_time
            if stamp is None:
                rows.skipped += 1
                continue
            alias = _text(line.get("model"))
            moment = json.dumps(line.get("time")) if when else stamp.isoformat()
            key = "|".join([where.agent, moment, alias or "", *map(str, counts)])
            rows.calls.append(
                {
                    "call_id": key,
                    "dedup_key": key,
                    "session_id": where.session,
                    "agent_id": where.agent if sidechain else None,
                    "is_sidechain": sidechain,
                    "ts": stamp,
                    "model": models.get(alias or "") or last_model or alias,
                    "input": counts[0],
                    "output": counts[1],
                    "cache_read": counts[2],
                    "cache_write_5m": counts[3],
                    "tools": waiting,
                }
            )
            waiting = []
        elif kind == PROMPT and not sidechain and when is not None and _is_user_prompt(line):
            texts, image = _prompt_texts(line.get("input"))
            rows.prompts.append(
                {
                    "uuid": f"kimi-code:{where.session}:{int(when.timestamp() * 1000)}",
                    "session_id": where.session,
                    "ts": when,
                    "texts": texts,
                    "has_image": image,
                }
            )
    cwd = cwd or _state_work_dir(session_dir)
    project = os.path.basename(cwd.rstrip("/\\")) if cwd else paths.code_project(where.work_dir)
    for index, call in enumerate(rows.calls):
        call.update(cwd=cwd, project=clean(project), is_copy=index < copied_calls)
    del rows.prompts[:copied_prompts]
    for prompt in rows.prompts:
        prompt["cwd"] = cwd
    return rows


CODE_FORMAT = StoreFormat(name=paths.CODE, read=read_code_wire)
