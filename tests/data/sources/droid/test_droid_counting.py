"""Factory Droid: ccusage's own fixtures (tests/fixtures/droid/ccusage) and a hand-made sessions
directory with every pitfall (tests/fixtures/droid/pitfalls), counted by hand and by the
independent reader. One call per session, labelled as the session's total."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.documents import calls_by_id
from tests.data.sources.droid import reference
from tests.data.sources.truth import Truth, truth_of

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


def _copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name / "sessions"
    shutil.copytree(FIXTURES / "droid" / name, root)
    return root


def test_ccusage_fixtures(tmp_path: Path) -> None:
    root = _copy(tmp_path, "ccusage")
    document, stderr = export("--root", f"droid={root}", "--tz", "UTC", "--level", "call")
    # session-a 100 / 50 + 5 thinking / 10 / 20; session-b 10 / 20; session-c's two copies once
    # (the later, larger one); zero never reached the model
    assert truth_of(document["totals"]) == Truth(3, 210, 275, 10, 20), stderr
    assert sorted(days_of(document)) == ["2026-05-01", "2026-05-02"]
    calls = calls_by_id(document)
    assert calls["session-a"]["model"] == "claude-sonnet-4"
    assert calls["session-b"]["model"] == "claude-opus-4.5-thinking"  # the conversation's line
    assert calls["session-c"]["totals"]["input"] == 100
    assert all(call["session_total"] for call in calls.values())
    assert calls["session-a"]["reasoning"] == 5


def test_every_pitfall_by_hand(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pitfalls")
    document, stderr = export("--root", f"droid={root}", "--tz", "UTC", "--level", "call")
    # 1: 420 / 1800 + 600 / 150000 / 9000 (its inclusiveTokenUsage, which adds its subagent's,
    # is not counted); 2 (its subagent): 30 / 700 / 40000 / 2000;
    # 3: the total says the thinking is inside the output: 420 / 1000 / 5000;
    # 4: the total says the cache reads are inside the input: 6000 - 4000 / 500 + 300 / 4000;
    # 5: 12 / 88 + 20 / 700; 6: cut short, reported
    assert truth_of(document["totals"]) == Truth(5, 2882, 5008, 199700, 11000), stderr
    assert document["unreadable_files"] == 1 and "could not read" in stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(root)
    assert sorted(got) == ["2026-06-10", "2026-06-11"]
    calls = calls_by_id(document)
    main, sub = (
        calls["7b1e2c3d-0001-4a5b-8c9d-000000000001"],
        calls["7b1e2c3d-0002-4a5b-8c9d-000000000002"],
    )
    assert [t["name"] for t in main["tool_calls"]] == ["Bash", "Read", "Task"]
    assert main["tool_calls"][0]["detail"] == "pytest -q tests/test_io.py"
    assert sub["sidechain"] and sub["agent_id"] == "7b1e2c3d-0002-4a5b-8c9d-000000000002"
    assert sub["start"].startswith("2026-06-10T09:02:10")  # epoch milliseconds
    docs = calls["7b1e2c3d-0005-4a5b-8c9d-000000000005"]
    assert docs["start"].startswith("2026-06-11T23:59:00")  # the first message
    assert docs["model"] == "claude-opus-4.5-thinking"
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    assert any('"fix the flaky test"' in s["label"] for s in sessions)  # after the reminder


def test_the_subagent_joins_the_session_that_called_it(tmp_path: Path) -> None:
    root = _copy(tmp_path, "pitfalls")
    document, _ = export("--root", f"droid={root}", "--tz", "UTC", "--level", "session")
    day = days_of(document)["2026-06-10"]
    main = [s for s in day["children"] if "flaky" in s["label"]]
    assert len(main) == 1 and main[0]["totals"]["calls"] == 2


def test_a_reported_session_in_two_folders_counts_once(tmp_path: Path) -> None:
    """The values of a real session (TokenTracker #204's report: one Droid session id in
    ``sessions/<project>/`` and in ``sessions/``), without a ``providerLockTimestamp``: dated by
    the file's time, counted once, its thinking billed as output."""
    root = tmp_path / "sessions"
    real = FIXTURES / "droid" / "tokentracker-204" / "session.settings.json"
    when = datetime(2026, 5, 27, 14, 30, tzinfo=UTC).timestamp()
    for folder in (root / "-Users-me-project", root):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real, folder / "5e2f0c1a.settings.json")
        os.utime(folder / "5e2f0c1a.settings.json", (when, when))
    document, stderr = export("--root", f"droid={root}", "--tz", "UTC", "--level", "call")
    assert truth_of(document["totals"]) == Truth(1, 910888, 21505 + 3089, 4380091, 4831239), stderr
    got = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert got == reference.day_totals(root) and list(got) == ["2026-05-27"]
    (call,) = calls_by_id(document).values()
    assert call["model"] == "gpt-5.5" and call["reasoning"] == 3089
    assert call["totals"]["cost_usd"] > 0 and not call.get("unpriced")  # gpt-5.5 is priced
