"""Codebuff: ccusage's own fixtures (tests/fixtures/codebuff/ccusage) and a hand-made chat with
every spelling and pitfall (tests/fixtures/codebuff/pitfalls), counted by hand and by the
independent reader."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.codebuff import reference
from tests.data.sources.documents import call_list
from tests.data.sources.truth import Truth, truth_of

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / "codebuff" / name, root)
    return root


def test_ccusage_fixtures(tmp_path: Path) -> None:
    root = _copy(tmp_path, "ccusage")
    roots = [("--root", f"codebuff={root / channel}") for channel in ("manicode", "manicode-dev")]
    document, stderr = export(*roots[0], *roots[1], "--tz", "UTC", "--level", "call")
    # the usage message: 100 / 50 / 10 / 20; the run state's OpenAI-style counts: prompt 100 with
    # 10 cached inside it → 90 / 50 / 10
    assert truth_of(document["totals"]) == Truth(2, 190, 100, 20, 20), stderr
    assert list(days_of(document)) == ["2026-01-02"]
    models = sorted(c["model"] for c in call_list(document))
    assert models == ["claude-sonnet-4-20250514", "openai/gpt-5"]
    sessions = {n["id"] for n in walk(document) if n.get("kind") == "session"}
    assert sessions == {
        "manicode/project-a/2026-01-02T03-04-05.000Z",
        "manicode-dev/project-a/2026-01-02T03-04-05.000Z",
    }


def test_every_spelling_and_pitfall_by_hand(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pitfalls") / "manicode" / "projects"
    document, stderr = export("--root", f"codebuff={root}", "--tz", "UTC", "--level", "call")
    # m1 camel 40/600/5000/300; m2 snake 25/200/6000; m3 OpenAI with total 7000-6500/150/6500;
    # m4 OpenAI camel without total 1000-800/100/800; m5 a total only 0/789; a message with no id
    # and a bare "8:03 AM" 10/5; m9 the run state's 70/30. The error and the credits-only message
    # are no calls.
    assert truth_of(document["totals"]) == Truth(7, 845, 1874, 18300, 300), stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(root)
    calls = {c["id"]: c for c in call_list(document)}
    assert calls["m1"]["tool_calls"] == [
        {"id": "call_run_terminal_command", "name": "Bash", "detail": "npm test"}
    ]
    assert calls["m2"]["tool_calls"][0]["detail"] == "src/app.ts"
    assert calls["m2"]["start"].startswith("2026-06-12T08:00:30")  # epoch milliseconds
    assert calls["m9"]["model"] == "x-ai/grok-4-fast"
    assert [t["name"] for t in calls["m9"]["tool_calls"]] == ["Task"]
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert any('"make the tests pass"' in t["label"] for t in turns)
    # a time without a date: the chat's start stands in
    (timeless,) = [c for c in calls.values() if c["totals"]["input"] == 10]
    assert timeless["start"].startswith("2026-06-12T08:00:00")


def test_a_chat_that_is_not_an_array_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pitfalls") / "manicode" / "projects"
    broken = root / "atlas" / "chats" / "2026-06-13T00-00-00.000Z" / "chat-messages.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"messages": []}')
    document, stderr = export("--root", f"codebuff={root}", "--tz", "UTC")
    assert document["unreadable_files"] == 1 and "not a JSON array" in stderr
    assert truth_of(document["totals"]).calls == 7
