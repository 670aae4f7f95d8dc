"""Three real Codex Desktop rollouts (0.104.0-alpha.1, tests/fixtures/codex): tokentree's numbers
against facts read straight from the files and against the independent reference reader."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, checksums, days_of, export, walk
from tests.data.sources.codex.reference import day_totals, read_calls
from tokentree.data.workspace import Options, Workspace

KEYS = ("calls", "input", "output", "cache_read", "cache_write")
SAMPLES = sorted((FIXTURES / "codex").glob("rollout-*.jsonl"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A Codex home holding the real rollouts where Codex puts them (local-date folders)."""
    home = tmp_path / ".codex"
    folder = home / "sessions" / "2026" / "02" / "23"
    folder.mkdir(parents=True)
    for sample in SAMPLES:
        shutil.copy(sample, folder / sample.name)
    return home


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _usage_events(path: Path) -> list[dict]:
    return [
        line["payload"]["info"]
        for line in _lines(path)
        if line["type"] == "event_msg"
        and line["payload"]["type"] == "token_count"
        and line["payload"]["info"] is not None
    ]


def test_the_samples_have_the_quirks_they_are_kept_for() -> None:
    events = [info for sample in SAMPLES for info in _usage_events(sample)]
    totals = [json.dumps(info["total_token_usage"]) for info in events]
    assert len(totals) > len(set(totals))  # re-emitted token counts with unchanged totals
    nulls = [
        line
        for sample in SAMPLES
        for line in _lines(sample)
        if line["payload"].get("type") == "token_count" and line["payload"]["info"] is None
    ]
    assert nulls  # info: null (rate limits only)


def test_totals_are_the_final_cumulative_totals(home: Path) -> None:
    """No resets or forks in these files: what was billed is each thread's final total, and
    every distinct total is one request."""
    expected = {"calls": 0, "input": 0, "output": 0, "cache_read": 0}
    for sample in SAMPLES:
        events = _usage_events(sample)
        final = events[-1]["total_token_usage"]
        expected["input"] += final["input_tokens"] - final["cached_input_tokens"]
        expected["cache_read"] += final["cached_input_tokens"]
        expected["output"] += final["output_tokens"]
        expected["calls"] += len({json.dumps(e["total_token_usage"]) for e in events})
    document, stderr = export("--root", f"codex={home}", "--tz", "UTC")
    totals = document["totals"]
    assert {k: totals[k] for k in expected} == expected, stderr
    assert totals["cache_write"] == 0 and document["skipped_lines"] == 0
    naive = sum(e["last_token_usage"]["total_tokens"] for s in SAMPLES for e in _usage_events(s))
    assert totals["input"] + totals["cache_read"] + totals["output"] < naive


def test_days_match_the_reference_reader(home: Path) -> None:
    before = checksums(home)
    for tz in ("UTC", "Europe/Berlin", "America/Los_Angeles"):
        document, _ = export("--root", f"codex={home}", "--tz", tz)
        days = {
            day: {key: node["totals"][key] for key in KEYS}
            for day, node in days_of(document).items()
        }
        assert days == day_totals(read_calls([home]), tz), tz
    assert checksums(home) == before


def test_sessions_turns_models_and_tools(home: Path) -> None:
    document, _ = export("--root", f"codex={home}", "--tz", "UTC")
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    ids = {_lines(s)[0]["payload"]["id"] for s in SAMPLES}
    assert {n["id"] for n in sessions} == ids
    assert all(n["source"] == "codex" for n in sessions)
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    prompts = sum(
        1 for s in SAMPLES for line in _lines(s) if line["payload"].get("type") == "user_message"
    )
    assert len(turns) == prompts
    calls = [n for n in walk(document) if n.get("kind") == "call"]
    assert {c["model"] for c in calls} == {"gpt-5.3-codex"}
    function_calls = [
        line["payload"]["name"]
        for s in SAMPLES
        for line in _lines(s)
        if line["payload"].get("type") == "function_call"
    ]
    tools = [name for call in calls for name in call["tools"]]
    assert sorted(tools) == sorted(function_calls)


def test_rate_limits_are_kept(home: Path) -> None:
    expected = set()
    for sample in SAMPLES:
        for line in _lines(sample):
            payload = line["payload"]
            if payload.get("type") == "token_count" and payload.get("rate_limits"):
                for window in ("primary", "secondary"):
                    reading = payload["rate_limits"][window]
                    expected.add(
                        (
                            reading["window_minutes"],
                            reading["used_percent"],
                            datetime.fromtimestamp(reading["resets_at"], UTC),
                        )
                    )
    workspace = Workspace(Options(roots=[("codex", home)], tz="UTC"))
    try:
        workspace.refresh()
        rows = (
            workspace.store.cursor()
            .execute(
                "SELECT DISTINCT window_minutes, used_percent, resets_at FROM raw_limits "
                "WHERE source = 'codex'"
            )
            .fetchall()
        )
    finally:
        workspace.close()
    assert {(w, u, r.astimezone(UTC)) for w, u, r in rows} == expected
    assert {w for w, _, _ in expected} == {300, 10080}
