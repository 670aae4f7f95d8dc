"""pi writer: a :class:`bench.plan.Plan` as pi's session files, with pi's quirks.

Under ``home/.pi/agent/sessions/--<cwd>--/<UTC time>_<session id>.jsonl`` (``home`` plays
``$HOME``), one file per session: the header, a model change and thinking level, then each
turn's user message, assistant messages with their ``toolCall`` blocks and the tool results.
Quirks, none of which changes what was billed:

* ``/fork``: a new file whose header names its parent (``parentSession``; ``branchedFrom``
  before December 2025) copies the parent's entries — requests included — and the session goes
  on there;
* sessions written by pi before December 2025: no entry ids, no ``totalTokens``;
* pi's Gemini API provider logs the prompt count (cache reads included) as ``input`` and the
  API's total as ``totalTokens``;
* requests that failed or were aborted: an assistant message of zero tokens;
* a line is written when the response ends, after ``message.timestamp`` (when the request was
  made): a request made before midnight may be written after it;
* an early build's double flush: a file's first entries written twice;
* compactions, and a last line still being written (a tool result, never billed).
"""

from __future__ import annotations

import random
import uuid as uuidlib
from datetime import timedelta
from pathlib import Path

from bench.plan import Plan, Session, Shape
from bench.writers.pi_lines import TOOL_NAMES, Transcript, iso, provider_of

SHAPE = Shape(
    models=(
        ("claude-opus-4-5", 3),
        ("claude-sonnet-4-5", 3),
        ("gpt-5.1-codex", 2),
        ("gemini-2.5-pro", 2),
    ),
    cache_writes=False,
    reasoning=True,
)
"""A pi history. No cache writes: pi's Gemini API lines (the prompt count as input) carry none,
which is what tells them apart."""
SESSIONS = Path(".pi/agent/sessions")


def _folder(home: Path, session: Session) -> Path:
    return home / SESSIONS / ("--" + session.cwd.strip("/").replace("/", "-") + "--")


def _name(ts_text: str, session_id: str) -> str:
    return f"{ts_text.replace(':', '-').replace('.', '-')}_{session_id}.jsonl"


def _save(path: Path, lines: list[str], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines) + tail, encoding="utf-8")
    return path


def _session(session: Session, home: Path, rng: random.Random) -> list[Path]:
    model = session.turns[0].calls[0].model if session.turns[0].calls else SHAPE.models[0][0]
    provider, _ = provider_of(model)
    gemini_api = provider == "google" and rng.random() < 0.6
    legacy = not gemini_api and rng.random() < 0.12
    fork_at = (
        rng.randrange(1, len(session.turns))
        if len(session.turns) > 1 and rng.random() < 0.3
        else None
    )
    folder = _folder(home, session)
    start = session.start - timedelta(seconds=2)
    transcript = Transcript(rng, legacy=legacy)
    transcript.header(session.id, start, session.cwd)
    transcript.model_change(start, provider if not gemini_api else "google", model)
    transcript.entry("thinking_level_change", start, thinkingLevel="medium")
    path = folder / _name(iso(start), session.id)
    files: list[Path] = []
    starts = [call.ts for turn in session.turns for call in turn.calls]
    starts += [turn.ts for turn in session.turns]
    for index, turn in enumerate(session.turns):
        if index == fork_at:
            files.append(_save(path, transcript.lines))
            fork_id = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
            fork_start = turn.ts - timedelta(milliseconds=250)
            fork = Transcript(rng, legacy=legacy, leaf=transcript.leaf)
            parent = {"branchedFrom" if legacy else "parentSession": str(path)}
            fork.header(fork_id, fork_start, session.cwd, **parent)
            fork.lines += transcript.lines[1:]  # the parent's path, requests included
            transcript, path = fork, folder / _name(iso(fork_start), fork_id)
        transcript.user(turn.ts, turn.prompt)
        for call in turn.calls:
            if rng.random() < 0.04:
                transcript.failed(call.ts - timedelta(milliseconds=800), call.model)
            following = [ts for ts in starts if ts > call.ts]
            room = (min(following) - call.ts).total_seconds() - 0.5 if following else 90
            written = timedelta(seconds=rng.uniform(0.2, min(room, 60)))
            _, calls = transcript.assistant(call, written=written, cache_in_input=gemini_api)
            for call_id, tool in calls:
                done = call.ts + written + timedelta(milliseconds=200)
                transcript.tool_result(done, call_id, tool, TOOL_NAMES)
        if rng.random() < 0.08:
            transcript.entry(
                "compaction",
                turn.ts + timedelta(seconds=1),
                summary="The user asked for a fix; the tests pass now.",
                firstKeptEntryId=transcript.leaf,
                tokensBefore=rng.randrange(50_000, 180_000),
            )
    lines = transcript.lines
    if rng.random() < 0.08 and len(lines) > 4:
        cut = rng.randrange(2, len(lines))
        lines = lines[:cut] + lines  # an early build flushed the first entries twice
    tail = (
        lines[-1][: len(lines[-1]) // 2]
        if rng.random() < 0.1 and '"toolResult"' in lines[-1]
        else ""
    )
    if tail:
        lines = lines[:-1]
    files.append(_save(path, lines, tail))
    return files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan's sessions under ``home``; returns the files written."""
    files: list[Path] = []
    for session in plan.sessions:
        files += _session(session, home, rng)
    return files
