"""Claude Code: a :class:`bench.plan.Plan` written as ``home/.claude/projects/<cwd>/*.jsonl``.

Every quirk of real transcripts that leaves the billed calls unchanged is drawn from ``rng``:
responses split into one line per content block with growing ``output_tokens`` (now and then
byte-identical copies), the three subagent layouts (2.1.x nested with a sidecar, 2.0.x flat,
1.0.x embedded sidechains), ``agent_progress`` copies of subagent lines in the parent (with and
without ``requestId``, and with the subagent's own transcript missing), advisor consultations
(``Call.advisor``) inside the response that made them, ``/btw`` replays, resumed sessions that
copy their history into a new file, ``<synthetic>`` API errors, hooks, summary-only and empty
files, a malformed line, a truncated last line, byte-order marks and whitespace-variant JSON.
Claude Code has no reasoning count: thinking is part of the output, as in the plan.

For a richer Claude-only corpus with its own ground truth (eras, compaction, caches expiring,
realistic tool output and file sizes) see ``bench.corpus``.
"""

from __future__ import annotations

import random
import re
import uuid as uuidlib
from datetime import datetime, timedelta
from pathlib import Path

from bench.plan import Call, Plan, Session
from bench.writers import claude_lines as cl

P_SUBAGENT = 0.35
"""Per turn of three calls or more: some of its calls run in a subagent."""
P_MISSING = 0.3
"""Per subagent of a 2.x session: its own transcript is gone, only the parent's copies remain."""
P_NO_REQUEST_ID = 0.3
"""Per subagent: its copies in the parent carry no requestId (older versions)."""
P_RESUME = 0.2
P_BTW = 0.15
P_IDENTICAL = 0.1
P_SYNTHETIC = 0.1
P_MALFORMED = 0.1
P_TRUNCATED = 0.1
P_BOM = 0.1
P_LOOSE = 0.1
LAYOUTS = {"nested": "2.1.45", "flat": "2.0.64", "embedded": "1.0.108"}
STEP = timedelta(milliseconds=400)
"""Between the lines of one response (the last line, with the final output, is at the call's
time) and from a response to its tool results."""


class _File:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []
        self.broken = False


class _Writer:
    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.paths: list[Path] = []

    def uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    # ------------------------------------------------------------------ sessions

    def session(self, session: Session) -> None:
        rng = self.rng
        project = self.root / re.sub(r"[^a-zA-Z0-9]", "-", session.cwd)
        layout = rng.choice(("nested", "nested", "nested", "flat", "embedded"))
        env = cl.Envelope(session.id, session.cwd, LAYOUTS[layout])
        main = _File(project / f"{session.id}.jsonl")
        resume_at = (
            rng.randrange(1, len(session.turns))
            if len(session.turns) > 1 and rng.random() < P_RESUME
            else None
        )
        parent: str | None = None
        first_file: list[str] | None = None
        for n, turn in enumerate(session.turns):
            if n == resume_at:
                first_file = list(main.lines)
            parent = self.uuid()
            main.lines.append(cl.prompt(env, None, parent, turn.ts, turn.prompt))
            if rng.random() < P_SYNTHETIC:
                error = self.uuid()
                main.lines.append(cl.synthetic(env, parent, error, turn.ts + STEP))
            groups = _with_advisors(turn.calls)
            sub: list[tuple[Call, list[Call]]] = []
            if len(groups) >= 3 and rng.random() < P_SUBAGENT:
                k = rng.randint(1, len(groups) - 2)
                sub, groups = groups[1 : 1 + k], [groups[0], *groups[1 + k :]]
            for i, (call, advisors) in enumerate(groups):
                task = f"toolu_01{call.id}" if i == 0 and sub else None
                written = self.response(main, env, parent, call, advisors, task=task)
                parent = written[-1]
                if task is not None:
                    parent = self.subagent(main, env, parent, layout, sub, task, session)
                parent = self.tool_results(main, env, parent, call, task)
        if layout == "nested" and len(main.lines) > 2 and rng.random() < P_BTW:
            self.btw(project, session, main)
        if rng.random() < P_MALFORMED and len(main.lines) > 1:
            cut = cl.hook(env, None, self.uuid(), session.start)
            main.lines.insert(len(main.lines) // 2, cut[: len(cut) // 2])
            main.broken = True
        if first_file is not None:
            self.save(_File(main.path), first_file)  # the session before --resume
            main.path = project / f"{self.uuid()}.jsonl"  # the resumed file copies it
        truncate = rng.random() < P_TRUNCATED
        self.save(main, main.lines, pending=session.turns[-1].ts if truncate else None)

    def response(
        self,
        f: _File,
        env: cl.Envelope,
        parent: str | None,
        call: Call,
        advisors: list[Call],
        *,
        task: str | None = None,
    ) -> list[str]:
        """One response, one line per content block; returns the uuids of its lines (the last
        one carries the final output and the advisor entries)."""
        rng = self.rng
        blocks = []
        if call.reasoning:
            blocks.append({"type": "thinking", "thinking": "Let me look.", "signature": "c2ln"})
        if not call.tools or rng.random() < 0.5:
            blocks.append({"type": "text", "text": "Here is what I found."})
        blocks += [cl.tool_use(t, f"toolu_{call.id}_{k}") for k, t in enumerate(call.tools)]
        if task is not None:
            tool = {"type": "tool_use", "id": task, "name": "Task"}
            blocks.append(tool | {"input": {"subagent_type": "Explore", "prompt": "Explore"}})
        identical = len(blocks) == 1 and rng.random() < P_IDENTICAL
        if identical:
            blocks *= 2
        early = max(0, min(rng.choice((1, 2, 3, 5, 8, 13)), call.output - 1))
        iterations = cl.advisor_iterations(call, advisors) if advisors else None
        uuids: list[str] = []
        line = ""
        for i, block in enumerate(blocks):
            last = i == len(blocks) - 1
            if not identical or i == 0:
                uid = self.uuid()
                out = call.output if last or identical else early
                consulted = iterations if last or identical else None
                line = cl.assistant(
                    env,
                    uuids[-1] if uuids else parent,
                    uid,
                    call.ts - STEP * (0 if identical else len(blocks) - 1 - i),
                    message_id=f"msg_01{call.id}",
                    request_id=f"req_011C{call.id}",
                    model=call.model,
                    block=block,
                    usage_=cl.usage(call, out, consulted),
                )
                uuids.append(uid)
            f.lines.append(line)
        return uuids

    def tool_results(
        self, f: _File, env: cl.Envelope, parent: str, call: Call, task: str | None
    ) -> str:
        ids = [f"toolu_{call.id}_{k}" for k in range(len(call.tools))]
        for tool_id in [*ids, *([task] if task else [])]:
            uid = self.uuid()
            f.lines.append(cl.tool_result(env, parent, uid, call.ts + STEP, tool_id))
            parent = uid
        return parent

    # ------------------------------------------------------------------ subagents

    def subagent(
        self,
        parent_file: _File,
        env: cl.Envelope,
        parent: str,
        layout: str,
        groups: list[tuple[Call, list[Call]]],
        task: str,
        session: Session,
    ) -> str:
        """The calls of ``groups`` made by a subagent spawned by ``task``; returns the uuid the
        parent's next line follows."""
        rng = self.rng
        agent = (
            f"a{rng.getrandbits(64):016x}" if layout == "nested" else f"{rng.getrandbits(32):08x}"
        )
        project = parent_file.path.parent
        if layout == "embedded":
            own, sub_env = (
                parent_file,
                cl.Envelope(session.id, session.cwd, env.version, sidechain=True),
            )
        else:
            name = f"agent-{agent}.jsonl"
            path = (
                project / session.id / "subagents" / name if layout == "nested" else project / name
            )
            own = _File(path)
            sub_env = cl.Envelope(session.id, session.cwd, env.version, sidechain=True, agent=agent)
        missing = layout != "embedded" and rng.random() < P_MISSING
        with_request_id = rng.random() >= P_NO_REQUEST_ID
        start = len(own.lines)
        sub_parent = self.uuid()
        own.lines.append(
            cl.prompt(sub_env, None, sub_parent, groups[0][0].ts - STEP * 4, "Explore")
        )
        for call, advisors in groups:
            uuids = self.response(own, sub_env, sub_parent, call, advisors)
            sub_parent = self.tool_results(own, sub_env, uuids[-1], call, None)
        if layout == "embedded":
            return sub_parent
        for line in own.lines[start:]:
            if _is_response(line) and (missing or rng.random() < 0.5):
                uid = self.uuid()
                parent_file.lines.append(
                    cl.progress_copy(
                        env,
                        parent,
                        uid,
                        line,
                        agent=agent,
                        tool_id=task,
                        request_id=with_request_id,
                    )
                )
                parent = uid
        if not missing:
            self.save(own, own.lines)
            if layout == "nested":
                meta = {"agentType": "Explore", "description": "Explore", "toolUseId": task}
                meta_path = own.path.with_name(f"agent-{agent}.meta.json")
                meta_path.write_text(cl.enc(meta), encoding="utf-8")
                self.paths.append(meta_path)
        return parent

    def btw(self, project: Path, session: Session, main: _File) -> None:
        """A /btw side question: a sidechain file replaying parent lines with new request ids
        (the replay is not a call)."""
        agent = f"a{self.rng.getrandbits(64):016x}"
        f = _File(project / session.id / "subagents" / f"agent-{agent}.jsonl")
        replayed = [line for line in main.lines if _is_response(line)][-2:]
        for line in replayed:
            replay = line.replace('"isSidechain":false', '"isSidechain":true', 1)
            replay = re.sub(
                r'"requestId":"[^"]*"', f'"requestId":"req_011Cbtw{self.uuid()[:8]}"', replay
            )
            f.lines.append(replay)
        self.save(f, f.lines)

    # ------------------------------------------------------------------ files

    def save(self, f: _File, lines: list[str], *, pending: datetime | None = None) -> None:
        """Write a file; ``pending``: it is still being written, its last line is incomplete."""
        rng = self.rng
        text = "".join(line + "\n" for line in lines)
        if not f.broken and pending is None:
            if rng.random() < P_LOOSE:
                style = rng.choice(sorted(cl.LOOSE_STYLES))
                text = "".join(cl.loose(line, style) + "\n" for line in lines)
            elif rng.random() < P_BOM:
                text = cl.BOM + text
        if pending is not None:
            line = cl.synthetic(cl.Envelope("s", "/", "2.1.45"), None, self.uuid(), pending)
            text += line[: len(line) // 2]
        f.path.parent.mkdir(parents=True, exist_ok=True)
        f.path.write_text(text, encoding="utf-8")
        self.paths.append(f.path)

    def extra_files(self, plan: Plan) -> None:
        """A summary-only file and an empty file beside the first session."""
        if not plan.sessions:
            return
        project = self.root / re.sub(r"[^a-zA-Z0-9]", "-", plan.sessions[0].cwd)
        summary = _File(project / f"{self.uuid()}.jsonl")
        self.save(summary, [cl.summary("Parser refactor", self.uuid())])
        empty = project / f"{self.uuid()}.jsonl"
        empty.write_bytes(b"")
        self.paths.append(empty)


def _is_response(line: str) -> bool:
    """A line of a response (not a copy of one, not an API error placeholder)."""
    return '","type":"assistant","uuid":"' in line and "<synthetic>" not in line


def _with_advisors(calls: list[Call]) -> list[tuple[Call, list[Call]]]:
    """Each call with the advisor consultations that follow it (made inside it)."""
    groups: list[tuple[Call, list[Call]]] = []
    for call in calls:
        if call.advisor and groups:
            groups[-1][1].append(call)
        else:
            groups.append((call, []))
    return groups


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write ``plan`` under ``home/.claude/projects``; returns the files written."""
    writer = _Writer(Path(home) / ".claude" / "projects", rng)
    for session in plan.sessions:
        writer.session(session)
    writer.extra_files(plan)
    return writer.paths
