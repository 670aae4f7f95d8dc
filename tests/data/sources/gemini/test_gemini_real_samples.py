"""The real Gemini CLI recordings in tests/fixtures/gemini/ (see its README): tokentree's numbers
equal an independent reader's, and what the files say about turns and tools comes through."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.gemini import reference

JSONL = "session-jsonl-format.jsonl"
LEGACY = "session-legacy-format.json"


@pytest.fixture
def chats(tmp_path: Path) -> Path:
    """A project temp dir holding copies of both recordings (a ``chats`` directory)."""
    target = tmp_path / "tmp" / "discordbot" / "chats"
    shutil.copytree(FIXTURES / "gemini", target)
    return tmp_path / "tmp"


def _records(name: str) -> list[dict]:
    text = (FIXTURES / "gemini" / name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        return json.loads(text)["messages"]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _gemini(name: str) -> list[dict]:
    return [r for r in _records(name) if r.get("type") == "gemini"]


def test_daily_totals_equal_the_reference_reader(chats: Path) -> None:
    document, stderr = export("--root", f"gemini={chats}", "--tz", "UTC")
    expected = reference.day_totals(reference.read_calls([chats]))
    got = {
        day: {
            k: node["totals"][k] for k in ("calls", "input", "output", "cache_read", "cache_write")
        }
        for day, node in days_of(document).items()
    }
    assert got == expected and len(expected) == 2
    assert document["skipped_lines"] == 0 and document["unreadable_files"] == 0, stderr
    assert document["unpriced_calls"] == 0  # gemini-3.1-pro-preview-customtools is priced


def test_each_re_appended_message_counts_once(chats: Path) -> None:
    records = _gemini(JSONL)
    last = {r["id"]: r for r in records}
    assert len(records) > len(last)  # the file re-appends messages (11 records, 6 ids)
    naive = sum(r["tokens"]["total"] for r in records)
    once = sum(r["tokens"]["total"] for r in last.values())
    document, _ = export("--root", f"gemini={chats}", "--tz", "UTC")
    day = days_of(document)[records[0]["timestamp"][:10]]
    assert day["totals"]["calls"] == len(last)
    # Gemini's total = input + output + thoughts + tool = tokentree's input + output + cache read
    assert day["totals"]["total"] == once < naive


def test_tool_calls_are_the_union_over_a_messages_copies(chats: Path) -> None:
    expected: dict[str, set[tuple[str, str, str | None]]] = {}
    for record in _gemini(JSONL) + _gemini(LEGACY):
        for tool in record.get("toolCalls", []):
            detail = tool["args"].get("file_path") or tool["args"].get("command")
            expected.setdefault(record["id"], set()).add((tool["id"], tool["name"], detail))
    document, _ = export("--root", f"gemini={chats}", "--tz", "UTC")
    calls = {n["id"]: n for n in walk(document) if n.get("kind") == "call"}
    got = {
        cid: {(t["id"], t["name"], t["detail"]) for t in call["tool_calls"]}
        for cid, call in calls.items()
        if call["tool_calls"]
    }
    assert got == expected


def test_turns_start_at_what_the_user_typed(chats: Path) -> None:
    """``/init`` (displayContent) is a command turn; a user record whose displayContent is a
    tool response ("System: Please continue.") is not a turn; the plain prompt is."""
    document, _ = export("--root", f"gemini={chats}", "--tz", "UTC")
    session_id = _records(JSONL)[0]["sessionId"]
    session = next(n for n in walk(document) if n.get("id") == session_id)
    turns = [(t["prompt_kind"], t["prompt"]) for t in session["children"]]
    shown = [
        r.get("displayContent", r["content"]) for r in _records(JSONL) if r.get("type") == "user"
    ]
    typed = [parts[0]["text"] for parts in shown if "text" in parts[0]]
    assert len(typed) < len(shown)  # the tool response sent on the user's behalf
    assert [text for _, text in turns] == typed
    assert turns[0] == ("command", "/init") and turns[1][0] == "prompt"


def test_the_legacy_session_is_one_session_labelled_by_its_project(chats: Path) -> None:
    document, _ = export("--root", f"gemini={chats}", "--tz", "UTC")
    head = json.loads((FIXTURES / "gemini" / LEGACY).read_text(encoding="utf-8"))
    session = next(n for n in walk(document) if n.get("id") == head["sessionId"])
    assert session["project"] == "discordbot" and session["source"] == "gemini"
    assert session["totals"]["calls"] == len(_gemini(LEGACY))
    assert session["models"] == ["gemini-3.1-pro-preview-customtools"]


def test_the_streaming_chat_is_read_by_duckdb_in_place(chats: Path) -> None:
    """The bulk scan reads a clean chat itself; the tolerant reader is only the exception."""
    from tokentree.data.read.scan import Scanner, ScanTarget
    from tokentree.data.store.store import UsageStore

    path = next(chats.rglob("*.jsonl"))
    target = ScanTarget(str(path), path.stat().st_size, path.stat().st_mtime_ns, "gemini", "chat")
    store = UsageStore()
    (state,) = Scanner(store.cursor()).scan([target])
    assert state.via == "duckdb" and state.error is None and state.skipped == 0
    assert store.scalar("SELECT count(*) FROM raw_calls") == len({r["id"] for r in _gemini(JSONL)})
    store.close()
