"""OpenClaw writer: a :class:`bench.plan.Plan` as OpenClaw's agent transcripts, with their quirks.

Under ``home/.openclaw/agents/<agent>/sessions/`` (some agents still under the former name
``~/.clawdbot``; ``home`` plays ``$HOME``): ``<session id>.jsonl`` in pi's session format —
the header, a model change, thinking level and ``model-snapshot``, each turn's user message
(wrapped in the channel's metadata), assistant messages and tool results — and the
``sessions.json`` index. Quirks, none of which changes what was billed:

* a reset session's transcript renamed ``<id>.jsonl.reset.<time>`` (sometimes its live file is
  left too, a prefix of it: a backup put it back), a deleted one ``<id>.jsonl.deleted.<time>``;
* ``<id>.checkpoint.<uuid>.jsonl``: a copy of the transcript taken before a compaction;
* repair backups ``<id>.jsonl.bak.<time>``, runtime traces ``<id>.trajectory.jsonl`` and lock
  files beside the transcripts (not transcripts);
* a local model that could not be reached first: error messages of zero tokens, the model
  switched back by a ``model-snapshot``;
* assistant messages that do not name their model (the last snapshot does);
* a line written twice.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from bench.plan import Plan, Session, Shape
from bench.writers.pi_lines import Transcript, dump, iso, ms, provider_of

SHAPE = Shape(
    models=(("claude-sonnet-4-5", 4), ("claude-opus-4-5", 2), ("gpt-5.4", 2), ("MiniMax-M2.5", 2)),
    cache_writes=True,
    reasoning=True,
)
"""An OpenClaw history: Anthropic-style cache writes."""
AGENTS = (("main", ".openclaw", 6), ("coder", ".openclaw", 2), ("main", ".clawdbot", 1))
TOOL_NAMES = {"shell": "exec", "read_file": "read", "apply_patch": "edit", "write_file": "write"}
WRAPPER = 'Sender (untrusted metadata):\n```json\n{"label": "openclaw-tui"}\n```\n\n'


def _stamp(text: str) -> str:
    return text.replace(":", "-")


def _snapshot(transcript: Transcript, ts: datetime, provider: str, model: str) -> str:
    data = {"timestamp": ms(ts), "provider": provider, "modelApi": "x", "modelId": model}
    return transcript.entry("custom", ts, customType="model-snapshot", data=data)


def _save(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _session(session: Session, home: Path, rng: random.Random, index: dict) -> list[Path]:
    agents, dirs, weights = zip(*AGENTS, strict=True)
    pick = rng.choices(range(len(AGENTS)), weights)[0]
    folder = home / dirs[pick] / "agents" / agents[pick] / "sessions"
    model = session.turns[0].calls[0].model if session.turns[0].calls else SHAPE.models[0][0]
    provider, _ = provider_of(model)
    start = session.start - timedelta(seconds=2)
    transcript = Transcript(rng)
    transcript.header(session.id, start, f"/home/dev/.openclaw/workspace-{agents[pick]}")
    transcript.model_change(start, provider, model)
    transcript.entry("thinking_level_change", start, thinkingLevel="low")
    _snapshot(transcript, start, provider, model)
    unnamed = rng.random() < 0.2
    checkpoint: list[str] | None = None
    for turn in session.turns:
        if rng.random() < 0.1:  # the local model first, unreachable
            ts = turn.ts - timedelta(seconds=3)
            _snapshot(transcript, ts, "ollama", "qwen3.5:9b")
            transcript.user(ts, WRAPPER + turn.prompt)
            for attempt in range(rng.randint(1, 4)):
                transcript.failed(ts + timedelta(milliseconds=500 * (attempt + 1)), "qwen3.5:9b",
                                  reason="error")  # fmt: skip
            _snapshot(transcript, turn.ts - timedelta(milliseconds=20), provider, model)
        transcript.user(turn.ts, WRAPPER + turn.prompt)
        for call in turn.calls:
            written = timedelta(seconds=rng.uniform(1, 60))
            line, calls = transcript.assistant(
                call, written=written, name_model=not unnamed, tool_names=TOOL_NAMES
            )
            if rng.random() < 0.03:
                transcript.lines.append(line)  # written twice
            for call_id, tool in calls:
                done = call.ts + written + timedelta(milliseconds=200)
                transcript.tool_result(done, call_id, tool, TOOL_NAMES)
        if checkpoint is None and rng.random() < 0.15:
            checkpoint = transcript.lines[:]  # copied before compacting
            transcript.entry("compaction", turn.ts + timedelta(seconds=2), summary="…",
                             firstKeptEntryId=transcript.leaf, tokensBefore=120_000)  # fmt: skip
    lines = transcript.lines
    live = folder / f"{session.id}.jsonl"
    end = session.turns[-1].ts + timedelta(hours=1)
    files: list[Path] = []
    fate = rng.random()
    if fate < 0.2:
        files.append(_save(folder / f"{session.id}.jsonl.reset.{_stamp(iso(end))}", lines))
        if rng.random() < 0.5:
            files.append(_save(live, lines[: rng.randrange(2, len(lines) + 1)]))
    elif fate < 0.3:
        files.append(_save(folder / f"{session.id}.jsonl.deleted.{_stamp(iso(end))}", lines))
    else:
        files.append(_save(live, lines))
        index[f"agent:{agents[pick]}:{session.id[:8]}"] = {
            "sessionId": session.id,
            "updatedAt": ms(end),
        }
    if checkpoint is not None:
        copy = f"{session.id}.checkpoint.{session.id[:8]}-0000-4000-8000-000000000000.jsonl"
        files.append(_save(folder / copy, checkpoint))
    if rng.random() < 0.1:
        files.append(_save(folder / f"{session.id}.jsonl.bak.{_stamp(iso(start))}", lines))
    if rng.random() < 0.1:
        trace = {
            "traceSchema": "openclaw-trajectory",
            "schemaVersion": 1,
            "type": "model.completed",
            "ts": iso(end),
            "sessionId": session.id,
            "data": {"usage": {"input": 1}},
        }
        files.append(_save(folder / f"{session.id}.trajectory.jsonl", [dump(trace)]))
    return files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan's sessions under ``home``; returns the files written."""
    files: list[Path] = []
    index: dict[str, dict] = {}
    for session in plan.sessions:
        files += _session(session, home, rng, index)
    for agent, state, _ in AGENTS:
        folder = home / state / "agents" / agent / "sessions"
        if folder.is_dir():
            (folder / "sessions.json").write_text(json.dumps(index, indent=2), encoding="utf-8")
            (folder / "sessions.json.lock").write_text("{}", encoding="utf-8")
    return files
