"""Kimi Code (Kimi CLI's successor): the documented-shape home in tests/fixtures/kimi/code
(hand-made from MoonshotAI/kimi-code's agent-core-v2 with bench/writers/kimi_code.py's line
builders, see tests/fixtures/README.md), counted by hand and by the independent reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.documents import call_list
from tests.data.sources.kimi import reference
from tests.data.sources.truth import Truth, truth_of

CODE = FIXTURES / "kimi" / "code"
FIELDS = ("calls", "input", "output", "cache_read", "cache_write")

# By hand (input / output / cache read / cache write). Session A's main agent: two loop requests
# 1200/340/15000/0 and 800/120/16000/500 (each also repeated by its step.end: not calls; a retried
# request before the first wrote no usage), a compaction 3000/400 (usageScope "session") and a
# record without usageScope 50/10/2000; its subagent agent-0: 300/90/4000. Session B is a fork of
# A: A's lines copied, a `forked` record, then 400/60/17000. Session C, the next day: 10/5. A
# damaged line (reported) and a last line being written (not counted) end A's main log.
TRUTH = Truth(calls=7, input=5760, output=1025, cache_read=54000, cache_write=500)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    target = tmp_path / ".kimi-code"
    shutil.copytree(CODE, target)
    return target


def test_each_request_counts_once_across_forks(home: Path) -> None:
    document, stderr = export("--root", f"kimi={home}", "--tz", "UTC", "--level", "call")
    assert truth_of(document["totals"]) == TRUTH, stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.code_day_totals(home)
    assert got["2026-06-17"] == {"calls": 1, "input": 10, "output": 5, "cache_read": 0,
                                 "cache_write": 0}  # fmt: skip
    assert document["skipped_lines"] == 1 and "malformed" in stderr


def test_models_tools_subagents_and_projects(home: Path) -> None:
    document, _ = export("--root", f"kimi={home}", "--tz", "UTC", "--level", "call")
    calls = {(c["totals"]["input"], c["totals"]["output"]): c for c in call_list(document)}
    assert {c["model"] for c in calls.values()} == {"kimi-k2.6"}  # the request's, not the alias
    assert [t["name"] for t in calls[1200, 340]["tool_calls"]] == ["Bash", "Agent"]
    assert calls[1200, 340]["tool_calls"][0]["detail"] == "pytest -q tests/test_io.py"
    assert [t["name"] for t in calls[800, 120]["tool_calls"]] == ["Read"]
    assert calls[300, 90]["sidechain"] and [t["name"] for t in calls[300, 90]["tool_calls"]] == [
        "Grep"
    ]
    sessions = {n["label"]: n for n in walk(document) if n.get("kind") == "session"}
    assert {label.split(" · ")[0] for label in sessions} == {"atlas", "scratch"}


def test_the_fork_keeps_only_its_own_requests_and_turns(home: Path) -> None:
    document, _ = export("--root", f"kimi={home}", "--tz", "UTC", "--level", "turn")
    day = days_of(document)["2026-06-16"]
    by_label = {s["label"].split(" · ")[1]: s for s in day["children"]}
    fork = by_label['"and the docs"']
    assert fork["totals"]["calls"] == 1 and fork["totals"]["cache_read"] == 17000
    assert [t["label"].split(" · ")[0] for t in fork["children"]] == ['"and the docs"']
    assert by_label['"fix the flaky test"']["totals"]["calls"] == 5


def test_damaged_logs_cost_only_themselves(home: Path) -> None:
    main = next(home.glob("sessions/wd_scratch_*/*/agents/main/wire.jsonl"))
    main.write_bytes(b"\xff\xfe not json at all\n" + main.read_bytes() + b"\x00garbage")
    empty = home / "sessions" / "wd_empty_0123456789ab" / "session_x" / "agents" / "main"
    empty.mkdir(parents=True)
    (empty / "wire.jsonl").write_bytes(b"")
    document, stderr = export("--root", f"kimi={home}", "--tz", "UTC")
    assert document["totals"]["calls"] == 7, stderr
