"""What Claude Code's status-line hook tells ``tokentree statusline``, and what is kept of it.

Claude Code runs its ``statusLine`` command with a JSON object on stdin: the session id, the
transcript's path, its own running cost of the session (``cost.total_cost_usd``) and, for
subscribers, the plan's official ``rate_limits`` (5-hour and weekly windows, per-model weekly
buckets). The statusline keeps these in a small file beside the summary (``statusline.json``
in the cache directory), so live mode can show the official windows and Claude Code's session
cost beside tokentree's; it also keeps how far it read the current transcript's tail. The
file is rewritten whole; a damaged one is ignored. Stdlib only.
"""

from __future__ import annotations

import json
import os
from typing import Any, NamedTuple

from tokentree.service.limits import Reading, claude_readings, latest
from tokentree.service.summary import read_text, write_atomically
from tokentree.service.tail import TailCall

VERSION = 1
KEEP_SESSIONS = 32


class HookInput(NamedTuple):
    session_id: str | None
    transcript_path: str | None
    cwd: str | None
    model: str | None
    cost_usd: float | None
    """Claude Code's own running cost of the session."""
    readings: tuple[Reading, ...]
    at: float


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_hook(text: str, now: float) -> HookInput | None:
    """The hook input in ``text`` (None when it is not a JSON object)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    cost = data.get("cost")
    total = cost.get("total_cost_usd") if isinstance(cost, dict) else None
    model = data.get("model")
    workspace = data.get("workspace")
    cwd = _text(data.get("cwd")) or (
        _text(workspace.get("current_dir")) if isinstance(workspace, dict) else None
    )
    return HookInput(
        session_id=_text(data.get("session_id")),
        transcript_path=_text(data.get("transcript_path")),
        cwd=cwd,
        model=(_text(model.get("id")) if isinstance(model, dict) else _text(model)),
        cost_usd=float(total)
        if isinstance(total, int | float) and not isinstance(total, bool)
        else None,
        readings=tuple(claude_readings(data.get("rate_limits"), now)),
        at=now,
    )


class SessionNote(NamedTuple):
    """What the hook last said about one session."""

    cost_usd: float | None
    at: float
    transcript: str | None = None


class TailMemo(NamedTuple):
    """How far the statusline read a transcript past the summary (written at ``base``)."""

    path: str
    base: float
    offset: int
    calls: dict[str, TailCall] = {}  # noqa: RUF012 - never mutated


class Kept(NamedTuple):
    readings: tuple[Reading, ...] = ()
    sessions: dict[str, SessionNote] = {}  # noqa: RUF012 - never mutated
    tail: TailMemo | None = None

    def remember(self, hook: HookInput) -> Kept:
        """With what ``hook`` said (its readings replace older ones of the same buckets)."""
        sessions = dict(self.sessions)
        if hook.session_id:
            sessions[hook.session_id] = SessionNote(hook.cost_usd, hook.at, hook.transcript_path)
            newest = sorted(sessions, key=lambda s: sessions[s].at)[-KEEP_SESSIONS:]
            sessions = {s: sessions[s] for s in newest}
        readings = tuple(latest((*self.readings, *hook.readings), hook.at))
        return self._replace(readings=readings, sessions=sessions)


def dumps(kept: Kept) -> str:
    tail = kept.tail
    return json.dumps(
        {
            "version": VERSION,
            "readings": [r.to_json() for r in kept.readings],
            "sessions": {
                sid: {"cost_usd": n.cost_usd, "at": n.at, "transcript": n.transcript}
                for sid, n in kept.sessions.items()
            },
            "tail": None
            if tail is None
            else {
                "path": tail.path,
                "base": tail.base,
                "offset": tail.offset,
                "calls": [
                    [c.id, c.at, c.model, list(c.counts), c.fast] for c in tail.calls.values()
                ],
            },
        },
        separators=(",", ":"),
    )


def loads(text: str) -> Kept:
    """The kept state in ``text`` (empty when unreadable)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return Kept()
        sessions = {
            str(sid): SessionNote(
                float(n["cost_usd"]) if n.get("cost_usd") is not None else None,
                float(n["at"]),
                _text(n.get("transcript")),
            )
            for sid, n in data["sessions"].items()
        }
        raw = data.get("tail")
        tail = None
        if isinstance(raw, dict):
            calls = {call.id: call for call in map(_tail_call, raw["calls"])}
            tail = TailMemo(str(raw["path"]), float(raw["base"]), int(raw["offset"]), calls)
        readings = tuple(r for v in data["readings"] if (r := Reading.from_json(v)))
        return Kept(readings, sessions, tail)
    except (KeyError, TypeError, ValueError, AttributeError):
        return Kept()


def _tail_call(item: Any) -> TailCall:
    call_id, at, model, counts, fast = item
    inp, out, write_5m, write_1h, read = (int(n) for n in counts)
    return TailCall(
        str(call_id), float(at), _text(model), (inp, out, write_5m, write_1h, read), bool(fast)
    )


def kept_file(cache_dir: str | os.PathLike[str]) -> str:
    return os.path.join(cache_dir, "statusline.json")


def load(path: str | os.PathLike[str]) -> Kept:
    text = read_text(path)
    return Kept() if text is None else loads(text)


def save(kept: Kept, path: str | os.PathLike[str]) -> bool:
    return write_atomically(path, dumps(kept))
