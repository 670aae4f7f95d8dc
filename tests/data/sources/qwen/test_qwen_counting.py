"""Qwen Code: the capture kept in agentsview's tests and its hand-made sessions
(tests/fixtures/qwen/agentsview), and a hand-made file per pitfall (tests/fixtures/qwen/pitfalls),
counted by hand and by the independent reader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.documents import calls_by_id
from tests.data.sources.qwen import reference
from tests.data.sources.truth import Truth, truth_of

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")
CAPTURE = (
    "agentsview/-Users-alice-code-sample-project/chats/adc026b4-c620-43e4-8cc4-295593889d18.jsonl"
)


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name / "projects"
    shutil.copytree(FIXTURES / "qwen" / name, root)
    return root


def test_the_capture_keeps_thoughts_inside_the_candidates(tmp_path: Path) -> None:
    """Its totalTokenCount (18056) is prompt (18009) + candidates (47): the 36 thought tokens are
    already in the 47, and the 12 cached tokens in the 18009."""
    record = json.loads((FIXTURES / "qwen" / CAPTURE).read_text().splitlines()[2])
    meta = record["usageMetadata"]
    assert meta["totalTokenCount"] == meta["promptTokenCount"] + meta["candidatesTokenCount"]
    root = _copy(tmp_path, "agentsview")
    document, _ = export("--root", f"qwen={root}", "--tz", "UTC", "--level", "call")
    (call,) = [c for c in walk(document) if (c.get("model") or "").startswith("cleanunicorn/")]
    assert (call["totals"]["input"], call["totals"]["output"], call["totals"]["cache_read"]) == (
        18009 - 12,
        47,
        12,
    )
    assert call["reasoning"] == 36 and call["model"] == "cleanunicorn/qwen3-coder-30b-a3b-instruct"
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert any('"Calculate .089 * 7.85788"' in t["label"] for t in turns)


def test_agentsview_sessions_by_hand(tmp_path: Path) -> None:
    root = _copy(tmp_path, "agentsview")
    document, stderr = export("--root", f"qwen={root}", "--tz", "UTC")
    # capture 17997/47/12; coalesce (100,10,0) (200,20,50) (300,15,80); trail (50,5,0) (80,7,10);
    # tools (100,5,10) (150,7,20) — prompt counts include the cached ones
    assert truth_of(document["totals"]) == Truth(8, 18807, 116, 182), stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(root)
    assert document["skipped_lines"] == 0 and document["unreadable_files"] == 0


def test_every_pitfall_by_hand(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pitfalls")
    document, stderr = export("--root", f"qwen={root}", "--tz", "UTC", "--level", "call")
    # a1: OpenAI-client counts, thoughts inside: 12000-9000 / 400 / 9000
    # a2: Gemini API counts, thoughts apart, re-appended and copied by /branch: 1000 / 400 / 12000
    # a3: a subagent's: 5000 / 200; a4: a total only: 0 / 321
    assert truth_of(document["totals"]) == Truth(4, 9000, 1321, 21000), stderr
    assert document["skipped_lines"] == 1  # the cut record
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(root)
    calls = calls_by_id(document)
    a1 = calls["7171547f-3333-4c42-a085-fde5bc42a859"]
    assert a1["tool_calls"] == [
        {"id": "call_1", "name": "run_shell_command", "detail": "pytest -q"}
    ]
    a3 = calls["4d5e6f70-7777-4086-a4c9-3129f086cd93"]
    assert a3["sidechain"] and a3["agent_id"] == "explore-7f3c"
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    # the branch holds only copies: every call stays in the original session
    assert len(sessions) == 1 and "atlas" in sessions[0]["label"]


@pytest.mark.parametrize("damage", [b"\xff\xfe", b"\x00"])
def test_a_damaged_line_costs_only_itself(tmp_path: Path, damage: bytes) -> None:
    root = _copy(tmp_path, "pitfalls")
    path = next(root.glob("*/chats/3f6c*.jsonl"))
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3][:20] + damage + lines[3][20:]  # the tool result, not a call
    path.write_bytes(b"\n".join(lines))
    document, stderr = export("--root", f"qwen={root}", "--tz", "UTC")
    assert truth_of(document["totals"]) == Truth(4, 9000, 1321, 21000), stderr
