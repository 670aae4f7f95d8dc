"""Conformance samples for Gemini CLI: a home with a streaming session (a message re-appended
as its tokens and tool calls arrive), its subagent's chat, and a legacy pretty-printed session
in a hashed (pre-2026-02) project directory."""

from __future__ import annotations

import json
from pathlib import Path

from tests.data.sources.gemini.chatlines import (
    gemini,
    meta,
    project_hash,
    set_,
    tokens,
    user,
    write_jsonl,
    write_legacy,
)
from tests.data.sources.truth import Truth

T = "2026-11-20T10:{:02d}:00.000Z"
SESSION_A = "aaaaaaaa-1111-4111-8111-111111111111"
SUBAGENT = "cccccccc-3333-4333-8333-333333333333"
SESSION_B = "bbbbbbbb-2222-4222-8222-222222222222"
ROOT_A = "/home/dev/src/atlas"
ROOT_B = "/home/dev/src/billing"


def truth_of(*usages: dict[str, int]) -> Truth:
    """tokentree's additive semantics from Gemini's: cached ⊂ input, tool is input, thoughts
    are output."""
    return Truth(
        calls=len(usages),
        input=sum(u["input"] - u["cached"] + u["tool"] for u in usages),
        output=sum(u["output"] + u["thoughts"] for u in usages),
        cache_read=sum(u["cached"] for u in usages),
    )


def _tmp(root: Path) -> Path:
    return root / ".gemini" / "tmp"


def _session_a(root: Path) -> Path:
    return _tmp(root) / "atlas" / "chats" / "session-2026-11-20T10-00-aaaaaaaa.jsonl"


def write_sample(root: Path) -> Truth:
    gem = root / ".gemini"
    gem.mkdir(parents=True, exist_ok=True)
    (gem / "projects.json").write_text(json.dumps({"projects": {ROOT_A: "atlas"}}))
    (_tmp(root) / "atlas").mkdir(parents=True)
    (_tmp(root) / "atlas" / ".project_root").write_text(ROOT_A)
    g1 = tokens(1000, 50, cached=600, thoughts=20, tool=5)
    g2 = tokens(1200, 30, cached=1000)
    write_jsonl(
        _session_a(root),
        [
            meta(SESSION_A, ROOT_A, T.format(0)),
            user("u1", T.format(0), "fix the parser"),
            set_(lastUpdated=T.format(0)),
            gemini("g1", T.format(1), None),
            gemini("g1", T.format(1), g1),
            gemini("g1", T.format(1), g1, tools=[("read_file", {"file_path": "src/parser.py"})]),
            set_(lastUpdated=T.format(1)),
            gemini("g2", T.format(2), g2, tools=[("run_shell_command", {"command": "pytest -q"})]),
        ],
    )
    s1 = tokens(500, 40, thoughts=10)
    write_jsonl(
        _session_a(root).parent / SESSION_A / f"{SUBAGENT}.jsonl",
        [
            meta(SUBAGENT, ROOT_A, T.format(1), kind="subagent", directories=[ROOT_A]),
            user("su1", T.format(1), "investigate the parser"),
            gemini("s1", T.format(1), s1, model="gemini-2.5-flash"),
        ],
    )
    b1 = tokens(800, 20, thoughts=5)
    b2 = tokens(900, 10, cached=700)
    write_legacy(
        _tmp(root) / project_hash(ROOT_B) / "chats" / "session-2026-11-20T10-10-bbbbbbbb.json",
        meta(SESSION_B, ROOT_B, T.format(10)),
        [
            user("ub1", T.format(10), "add docs"),
            gemini("b1", T.format(11), b1),
            gemini("b2", T.format(12), b2, tools=[("write_file", {"file_path": "docs/a.md"})]),
        ],
    )
    return truth_of(g1, g2, s1, b1, b2)


def grow(root: Path) -> Truth:
    """The CLI appends the next message to the open session."""
    g3 = tokens(300, 5, cached=100)
    write_jsonl(_session_a(root), [gemini("g3", T.format(3), g3)])
    return truth_of(g3)


def data_files(root: Path) -> list[Path]:
    return sorted(p for p in _tmp(root).rglob("*") if p.suffix in (".json", ".jsonl"))
