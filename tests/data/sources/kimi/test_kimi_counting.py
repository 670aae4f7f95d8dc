"""Kimi CLI: the documented-shape share directory in tests/fixtures/kimi/share (hand-made from
kimi-cli's sources, see tests/fixtures/README.md) and ccusage's own fixture, counted by hand and by
the independent reader; every pitfall of the wire log is in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.documents import calls_by_id
from tests.data.sources.kimi import reference
from tests.data.sources.truth import Truth, truth_of

SHARE = FIXTURES / "kimi" / "share"
CCUSAGE = FIXTURES / "kimi" / "ccusage"
FIELDS = ("calls", "input", "output", "cache_read", "cache_write")

# The five steps of the share directory, by hand (message id: input, output, cache read, write):
# chatcmpl-1 1200/340/15000/0, chatcmpl-2 300/80/16000/0, chatcmpl-sub-1 (the subagent's, in its
# own log and relayed in the parent's) 500/60/2000/0, the step without a message id 90/20/17000/0,
# chatcmpl-3 400/150/18000/500. The fork copies the first turn, the import the whole session.
SHARE_TRUTH = Truth(calls=5, input=2490, output=650, cache_read=68000, cache_write=500)


@pytest.fixture
def share(tmp_path: Path) -> Path:
    target = tmp_path / ".kimi"
    shutil.copytree(SHARE, target)
    return target


def test_each_step_counts_once_across_relays_forks_and_imports(share: Path) -> None:
    document, stderr = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "call")
    assert truth_of(document["totals"]) == SHARE_TRUTH, stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(share)
    # the line cut in the middle of a status update, in the session and in its import
    assert document["skipped_lines"] == 2


def test_the_model_and_the_working_directory_come_from_the_share_directory(share: Path) -> None:
    document, _ = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "call")
    calls = calls_by_id(document)
    assert {c["model"] for c in calls.values()} == {"kimi-k2.5"}  # config.toml's models.main
    assert document["unpriced_calls"] == 0
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    assert {s["source"] for s in sessions} == {"kimi"}
    assert any("atlas" in s["label"] for s in sessions)  # kimi.json maps the md5 folder to cwd


def test_tools_belong_to_the_step_that_called_them(share: Path) -> None:
    document, _ = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "call")
    calls = calls_by_id(document)
    tools = {cid: [(t["name"], t["detail"]) for t in c["tool_calls"]] for cid, c in calls.items()}
    assert tools["chatcmpl-1"] == [("Bash", "pytest -q tests/test_io.py"), ("Read", "src/io.py")]
    assert tools["chatcmpl-2"] == [("Agent", "find where the test is flaky")]
    assert tools["chatcmpl-sub-1"] == [("Grep", "tests")]  # its path before its pattern
    assert tools["chatcmpl-3"] == [("Write", "docs/io.md")]
    assert calls["chatcmpl-sub-1"]["sidechain"] and calls["chatcmpl-sub-1"]["agent_id"] == "agent-7"


def test_turns_are_the_users_turn_begins(share: Path) -> None:
    document, _ = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "turn")
    turns = {n["label"].split(" · ")[0] for n in walk(document) if n.get("kind") == "turn"}
    assert '"fix the flaky test in tests/test_io.py"' in turns
    assert '"now update the docs"' in turns
    assert not any("find where" in label for label in turns)  # the subagent's task


def test_ccusage_fixture_with_a_legacy_config_json(tmp_path: Path) -> None:
    """ccusage's own fixture (loader.rs test): ``config.json`` with a top-level model, compact
    lines, no final newline."""
    share = tmp_path / "kimi-home"
    shutil.copytree(CCUSAGE, share)
    document, stderr = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "call")
    assert truth_of(document["totals"]) == Truth(1, 100, 50, 10, 20), stderr
    assert {c["model"] for c in calls_by_id(document).values()} == {"kimi-k2"}
    assert list(days_of(document)) == ["2026-02-13"]


def test_without_a_config_the_model_is_kimi_for_coding(share: Path) -> None:
    (share / "config.toml").unlink()
    document, _ = export("--root", f"kimi={share}", "--tz", "UTC", "--level", "call")
    assert {c["model"] for c in calls_by_id(document).values()} == {"kimi-for-coding"}
    assert truth_of(document["totals"]) == SHARE_TRUTH


def test_a_broken_config_is_not_an_error(share: Path) -> None:
    (share / "config.toml").write_text("default_model = [unclosed", encoding="utf-8")
    (share / "kimi.json").write_text("{not json", encoding="utf-8")
    document, stderr = export("--root", f"kimi={share}", "--tz", "UTC")
    assert truth_of(document["totals"]) == SHARE_TRUTH
    assert document["unreadable_files"] == 0, stderr


def test_invalid_utf8_and_a_line_being_written(share: Path) -> None:
    wire = next((share / "sessions").glob("*/5f0c*/wire.jsonl"))
    data = wire.read_bytes()
    cut = data.index(b'"TurnBegin"')
    wire.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:] + b'{"timestamp": 1781600100.0, "mes')
    document, stderr = export("--root", f"kimi={share}", "--tz", "UTC")
    # the damaged TurnBegin line is skipped, not a call; the fork and the import still hold every
    # step of the session, so nothing is lost
    assert truth_of(document["totals"]) == SHARE_TRUTH, stderr
    assert document["unreadable_files"] == 0
