"""Conformance samples for Claude Code: a config dir with two sessions, one of them with a
split response (two lines of one call) and a subagent transcript with its sidecar."""

from __future__ import annotations

import json
from pathlib import Path

from tests.data.sources.claude.lines import assistant, prompt, write
from tests.data.sources.truth import Truth

T = "2026-11-20T10:{:02d}:00.000Z"
SESSION_A = "11111111-1111-4111-8111-111111111111"
SESSION_B = "22222222-2222-4222-8222-222222222222"


def _project(root: Path) -> Path:
    return root / "projects" / "-home-dev-src-atlas"


def write_sample(root: Path) -> Truth:
    project = _project(root)
    write(
        project / f"{SESSION_A}.jsonl",
        [
            prompt("fix the bug", T.format(0), session=SESSION_A, uuid="pa"),
            assistant("msg_a1", T.format(1), session=SESSION_A, inp=10, out=3, read=100, uuid="a1"),
            assistant(
                "msg_a1", T.format(1), session=SESSION_A, inp=10, out=40, read=100, uuid="a2"
            ),
            assistant(
                "msg_a2",
                T.format(2),
                session=SESSION_A,
                inp=5,
                out=7,
                write5=50,
                uuid="a3",
                tool="Task",
                tool_input={"subagent_type": "Explore"},
            ),
        ],
    )
    write(
        project / SESSION_A / "subagents" / "agent-abc1234.jsonl",
        [
            assistant(
                "msg_s1",
                T.format(3),
                session=SESSION_A,
                inp=20,
                out=9,
                read=300,
                sidechain=True,
                agent="abc1234",
                uuid="s1",
            )
        ],
    )
    (project / SESSION_A / "subagents" / "agent-abc1234.meta.json").write_text(
        json.dumps({"agentType": "Explore", "toolUseId": "toolu_a3"}), encoding="utf-8"
    )
    write(
        project / f"{SESSION_B}.jsonl",
        [
            prompt("add docs", T.format(10), session=SESSION_B, uuid="pb"),
            assistant("msg_b1", T.format(11), session=SESSION_B, inp=30, out=11, uuid="b1"),
        ],
    )
    return Truth(calls=4, input=65, output=67, cache_read=400, cache_write=50)


def grow(root: Path) -> Truth:
    """Claude Code appends a line to the open session."""
    path = _project(root) / f"{SESSION_B}.jsonl"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_b2", T.format(12), session=SESSION_B, inp=4, out=2, uuid="b2"))
        handle.write("\n")
    return Truth(calls=1, input=4, output=2)


def data_files(root: Path) -> list[Path]:
    return sorted(_project(root).rglob("*.jsonl"))
