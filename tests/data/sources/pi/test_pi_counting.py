"""pi: the real sessions of pi-mono's own test fixtures, and a hand-made fixture per pitfall,
each checked against the independent reference reader or hand-computed totals."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.pi import entries as e
from tests.data.sources.pi import reference
from tests.data.sources.truth import Truth, truth_of

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def day_totals(document: dict) -> dict[str, dict[str, int]]:
    return {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}


def run(root: Path, *extra: str) -> tuple[dict, str]:
    return export("--root", f"pi={root}", "--tz", "UTC", "--no-cache", *extra)


@pytest.fixture
def real(tmp_path: Path) -> Path:
    root = tmp_path / "sessions" / "--Users-badlogic-workspaces-pi-mono--"
    shutil.copytree(FIXTURES / "pi", root)
    return tmp_path / "sessions"


def test_the_real_sessions_equal_the_reference_reader(real: Path) -> None:
    document, stderr = run(real, "--level", "day")
    expected = reference.day_totals(reference.read_calls([real]))
    assert day_totals(document) == expected, stderr
    assert document["skipped_lines"] == 0 and document["unreadable_files"] == 0
    # 453 + 484 assistant messages, of which 14 + 13 aborted or failed with no tokens
    assert document["totals"]["calls"] == 439 + 471
    assert document["unpriced_calls"] == 0  # anthropic/claude-sonnet-4-5, …/claude-opus-4-5


def test_a_request_is_dated_when_it_was_made(real: Path) -> None:
    """before-compaction.jsonl holds a request made at 23:59:57 on 2025-12-08 whose line was
    written after midnight: it belongs to the day it was made (message.timestamp)."""
    document, _ = run(real, "--level", "call")
    calls = [n for n in walk(document) if n.get("kind") == "call"]
    late = [c for c in calls if c["start"].startswith("2025-12-08T23:5")]
    lines = [
        json.loads(line)
        for line in (real / "--Users-badlogic-workspaces-pi-mono--" / "before-compaction.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    crossing = [
        r
        for r in lines
        if r.get("message", {}).get("role") == "assistant"
        and r["timestamp"].startswith("2025-12-09")
        and datetime.fromtimestamp(r["message"]["timestamp"] / 1000, UTC).date().day == 8
    ]
    assert len(crossing) == 1
    made = datetime.fromtimestamp(crossing[0]["message"]["timestamp"] / 1000, UTC)
    assert any(datetime.fromisoformat(c["start"]) == made for c in late)


def test_the_real_fork_names_its_parent_and_keeps_its_session(real: Path) -> None:
    document, _ = run(real, "--level", "session")
    sessions = {n["id"] for n in walk(document) if n.get("kind") == "session"}
    assert sessions == {"large-session", "before-compaction"}
    models = {m for n in walk(document) if n.get("kind") == "session" for m in n["models"]}
    assert models == {"anthropic/claude-sonnet-4-5", "anthropic/claude-opus-4-5"}


def _session(root: Path, name: str, lines: list[str]) -> Path:
    return e.write(root / "--home-dev-atlas--" / name, lines)


def test_a_fork_counts_the_copied_requests_once_in_the_parent_session(tmp_path: Path) -> None:
    parent_id, fork_id = (
        "a" * 8 + "-0000-4000-8000-" + "a" * 12,
        "b" * 8 + "-0000-4000-8000-" + "b" * 12,
    )
    copied = e.assistant("a1", T0 + timedelta(seconds=2), input=10, output=20, cache_write=500)
    prompt = e.user("u1", T0 + timedelta(seconds=1), "hello")
    parent = _session(
        tmp_path, f"2026-11-24T09-00-00-000Z_{parent_id}.jsonl",
        [e.header(parent_id, T0, "/home/dev/atlas"), prompt, copied],
    )  # fmt: skip
    start = T0 + timedelta(minutes=30)
    _session(
        tmp_path, f"2026-11-24T09-30-00-000Z_{fork_id}.jsonl",
        [e.header(fork_id, start, "/home/dev/atlas", parent=str(parent)), prompt, copied,
         e.user("u2", start + timedelta(seconds=1), "again"),
         e.assistant("a2", start + timedelta(seconds=2), input=7, output=9, cache_read=500)],
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "call")
    assert truth_of(document["totals"]) == Truth(2, 17, 29, 500, 500)
    owner = {
        call["start"]: session["id"]
        for session in walk(document)
        if session.get("kind") == "session"
        for call in walk(session)
        if call.get("kind") == "call"
    }
    assert owner[(T0 + timedelta(seconds=2)).isoformat(timespec="milliseconds")] == parent_id
    assert owner[(start + timedelta(seconds=2)).isoformat(timespec="milliseconds")] == fork_id


def test_google_prompt_counts_hold_the_cache_reads(tmp_path: Path) -> None:
    """pi's Gemini API provider logs promptTokenCount (cache reads included) as input and the
    API's total as totalTokens; its Gemini CLI provider logs them apart. Both bill the same."""
    api = e.assistant(
        "a1", T0, input=12_000, output=300, cache_read=10_000, total=12_300,
        provider="google", model="gemini-2.5-pro",
    )  # fmt: skip
    cli = e.assistant(
        "a2", T0 + timedelta(seconds=5), input=2_000, output=300, cache_read=10_000,
        provider="google-gemini-cli", model="gemini-2.5-pro",
    )  # fmt: skip
    _session(tmp_path, "s_1.jsonl", [e.header("1", T0, "/w"), api, cli])
    document, _ = run(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 4_000, 600, 20_000, 0)
    assert reference.day_totals(reference.read_calls([tmp_path]))["2026-11-24"]["input"] == 4_000


def test_a_usage_with_only_a_total_bills_it_as_output(tmp_path: Path) -> None:
    line = json.loads(e.assistant("a1", T0, input=0, output=0))
    line["message"]["usage"] = {"totalTokens": 333}
    bigger = e.assistant("a2", T0 + timedelta(seconds=1), input=10, output=5, total=40)
    _session(tmp_path, "s_1.jsonl", [e.header("1", T0, "/w"), e.dump(line), bigger])
    document, _ = run(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 10, 333 + 30, 0, 0)


def test_a_request_without_a_model_takes_the_last_switch(tmp_path: Path) -> None:
    _session(
        tmp_path,
        "s_1.jsonl",
        [
            e.header("1", T0, "/w"),
            e.model_change("m1", T0, "anthropic", "claude-sonnet-4-5"),
            e.assistant("a1", T0 + timedelta(seconds=1), input=1, output=1, model=None,
                        provider=None),
            e.model_change("m2", T0 + timedelta(seconds=2), "openai", "gpt-5.1-codex"),
            e.assistant("a2", T0 + timedelta(seconds=3), input=1, output=1, model=None,
                        provider=None),
            e.assistant("a3", T0 + timedelta(seconds=4), input=1, output=1, model="gpt-5",
                        provider=None),
        ],
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "call")
    models = [n["model"] for n in walk(document) if n.get("kind") == "call"]
    assert models == ["anthropic/claude-sonnet-4-5", "openai/gpt-5.1-codex", "openai/gpt-5"]
    assert document["unpriced_calls"] == 0


def test_a_file_written_twice_over_counts_once(tmp_path: Path) -> None:
    """Old pi builds could flush a session's entries again after the first (a duplicated
    header and prefix); the same request twice in a file is one request."""
    lines = [
        e.header("1", T0, "/w"),
        e.user("u1", T0, "go"),
        e.assistant("a1", T0 + timedelta(seconds=1), input=4, output=8, cache_write=100),
    ]
    _session(tmp_path, "s_1.jsonl", lines + lines)
    document, _ = run(tmp_path)
    assert truth_of(document["totals"]) == Truth(1, 4, 8, 0, 100)


def test_a_rewritten_file_is_read_again_without_double_counting(tmp_path: Path) -> None:
    """pi rewrites a whole file when it migrates a session (new entry ids): the requests of the
    old and the new text are the same requests."""
    old = [e.header("1", T0, "/w"), e.assistant("x1", T0, input=3, output=4)]
    path = _session(tmp_path, "s_1.jsonl", old)
    from tokentree.data.workspace import Options, Workspace

    workspace = Workspace(Options(roots=[("pi", tmp_path)], tz="UTC"))
    try:
        workspace.refresh()
        migrated = [line.replace('"x1"', '"9f2c01ab"') for line in old]
        path.write_text("\n".join([*migrated, e.assistant("x2", T0, input=1, output=1)]) + "\n")
        workspace.refresh()
        workspace.store.build(workspace.view)
        total = workspace.store.scalar("SELECT [count(*), sum(input), sum(output)] FROM calls")
        assert list(total) == [2, 4, 5]
    finally:
        workspace.close()


def test_broken_lines_are_reported_and_the_rest_counted(tmp_path: Path) -> None:
    good = e.assistant("a1", T0, input=2, output=3)
    path = _session(tmp_path, "s_1.jsonl", [e.header("1", T0, "/w"), good])
    with open(path, "ab") as handle:
        handle.write(b'{"type":"message","message":{"role":"assistant","usage":{"input":5\n')
        invalid = e.assistant("a2", T0, input=7, output=1).encode()
        handle.write(invalid.replace(b"working on it", b"caf\xff") + b"\n")
        surrogate = e.assistant("a3", T0 + timedelta(seconds=9), input=11, output=1)
        handle.write(surrogate.replace("working on it", "\\ud800 lone").encode() + b"\n")
        handle.write(b'{"type":"message","message":{"role":"assistant","usage":{"inp')
    document, stderr = run(tmp_path)
    assert document["totals"]["input"] == 2 + 7 + 11, stderr
    assert document["skipped_lines"] == 1  # the cut line in the middle (the last is in writing)


def test_whitespace_variants_are_read(tmp_path: Path) -> None:
    spaced = json.dumps(json.loads(e.assistant("a1", T0, input=6, output=2)))
    prompt = json.dumps(json.loads(e.user("u1", T0, "spaced out")))
    _session(tmp_path, "s_1.jsonl", [e.header("1", T0, "/w"), prompt, spaced])
    document, _ = run(tmp_path, "--level", "turn")
    assert truth_of(document["totals"]) == Truth(1, 6, 2, 0, 0)
    assert [n["prompt"] for n in walk(document) if n.get("kind") == "turn"] == ["spaced out"]


def test_tools_prompts_and_the_working_directory(tmp_path: Path) -> None:
    _session(
        tmp_path,
        "2026-11-24T09-00-00-000Z_77.jsonl",
        [
            e.header("77", T0, "/home/dev/atlas"),
            e.user("u1", T0, "run the tests"),
            e.assistant("a1", T0 + timedelta(seconds=1), input=1, output=1,
                        tools=[("bash", {"command": "pytest -q"}),
                               ("read", {"path": "src/app.py"})]),
            e.user("u2", T0 + timedelta(minutes=1), "now commit"),
            e.assistant("a2", T0 + timedelta(minutes=1, seconds=1), input=1, output=1,
                        tools=[("bash", {"command": "git commit -am fix"})]),
        ],
    )  # fmt: skip
    document, _ = run(tmp_path, "--level", "call", "--annotate")
    session = next(n for n in walk(document) if n.get("kind") == "session")
    assert session["id"] == "77" and session["cwd"] == "/home/dev/atlas"
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert [t["prompt"] for t in turns] == ["run the tests", "now commit"]
    tools = [t for n in walk(document) if n.get("kind") == "call" for t in n["tool_calls"]]
    assert [(t["name"], t["detail"]) for t in tools] == [
        ("bash", "pytest -q"),
        ("read", "src/app.py"),
        ("bash", "git commit -am fix"),
    ]
    assert {"testing", "reading", "git"} <= set(document["activity"])


def test_roots_follow_pi_and_ccusage(tmp_path: Path) -> None:
    from tokentree.data.sources.pi import paths

    home = tmp_path
    assert paths.default_roots({"HOME": str(home)}) == [home / ".pi" / "agent" / "sessions"]
    env = {"HOME": str(home), "PI_CODING_AGENT_DIR": "~/agent2", "PI_AGENT_DIR": "/a, /b"}
    assert paths.default_roots(env) == [Path("/a"), Path("/b"), home / "agent2" / "sessions"]
    (home / ".pi" / "agent" / "sessions").mkdir(parents=True)
    assert paths.root_for(home) == home / ".pi" / "agent" / "sessions"
    assert paths.claims(home / ".pi") and paths.claims(home / ".pi" / "agent" / "sessions")
    assert paths.session_id("/x/2026-01-02T03-04-05-678Z_abc-def.jsonl") == "abc-def"
