"""OpenClaw: real transcripts from a user's published backup (a live file and the reset archive
that continued it, a deleted session), and a hand-made fixture per pitfall."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.pi import entries as e
from tests.data.sources.pi import reference
from tests.data.sources.truth import Truth, truth_of
from tokentree.data.sources.openclaw import paths

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LIVE = "2b3b234e-6291-453f-a086-ca332ab249c4"
TRANSCRIPT = re.compile(r"\.jsonl($|\.reset\.|\.deleted\.)")


def is_transcript(path: Path) -> bool:
    return bool(TRANSCRIPT.search(path.name)) and not path.name.endswith(".trajectory.jsonl")


def day_totals(document: dict) -> dict[str, dict[str, int]]:
    return {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}


def run(root: Path, *extra: str) -> tuple[dict, str]:
    return export("--root", f"openclaw={root}", "--tz", "UTC", "--no-cache", *extra)


@pytest.fixture
def real(tmp_path: Path) -> Path:
    state = tmp_path / ".openclaw"
    shutil.copytree(FIXTURES / "openclaw", state / "agents" / "main" / "sessions")
    return state


def test_the_real_transcripts_equal_the_reference_reader(real: Path) -> None:
    document, stderr = run(real, "--level", "day")
    expected = reference.day_totals(reference.read_calls([real], is_transcript))
    assert day_totals(document) == expected, stderr
    assert document["files"] == 3 and document["skipped_lines"] == 0


def test_a_reset_archive_and_its_live_copy_count_once(real: Path, tmp_path: Path) -> None:
    """The live file is a strict prefix of the reset archive (the session went on, then was
    reset): together they hold exactly the archive's requests."""
    sessions = real / "agents" / "main" / "sessions"
    live = (sessions / f"{LIVE}.jsonl").read_bytes()
    archive = next(sessions.glob(f"{LIVE}.jsonl.reset.*"))
    assert archive.read_bytes().startswith(live)
    alone = tmp_path / "alone" / "agents" / "main" / "sessions"
    alone.mkdir(parents=True)
    shutil.copy(archive, alone)
    shutil.copy(next(sessions.glob("*.deleted.*")), alone)
    both, _ = run(real)
    only_archives, _ = run(tmp_path / "alone")
    assert truth_of(both["totals"]) == truth_of(only_archives["totals"])
    archive_calls = reference.read_calls([alone], lambda p: ".reset." in p.name)
    assert both["totals"]["calls"] == len(archive_calls) + 9  # the deleted session's nine


def test_sessions_are_named_by_their_files(real: Path) -> None:
    document, _ = run(real, "--level", "session")
    sessions = {n["id"]: n for n in walk(document) if n.get("kind") == "session"}
    assert set(sessions) == {LIVE, "83c43e67-df89-4f9a-b721-e45153f42062"}
    assert sessions[LIVE]["models"] == ["minimax-cn/MiniMax-M2.5-highspeed"]
    assert sessions[LIVE]["cwd"] == "/home/admin/.openclaw/workspace"
    assert sessions[LIVE]["project"] == "workspace"  # the agent's workspace


def _write(state: Path, name: str, lines: list[str], agent: str = "main") -> Path:
    return e.write(state / "agents" / agent / "sessions" / name, lines)


def test_only_transcripts_are_read(tmp_path: Path) -> None:
    state = tmp_path / ".openclaw"
    request = e.assistant("a1", T0, input=5, output=6)
    lines = [e.header("s", T0, "/w"), request]
    _write(state, "s.jsonl", lines)
    _write(state, "s.jsonl.bak.2026-11-25T08-00-00.000Z", lines)  # a repair backup
    _write(state, "s.trajectory.jsonl", lines)  # a runtime trace
    _write(state, "s.jsonl.lock", ["{}"])
    e.write(state / "workspace" / "notes" / "sessions" / "x.jsonl", [request])  # user files
    e.write(state / "cron" / "runs" / "job.jsonl", [request])
    other = [e.header("t", T0, "/w"), e.assistant("b1", T0, input=1, output=1)]
    _write(state, "t.jsonl.deleted.2026-11-25T10-00-00.000Z", other, agent="helper")
    document, _ = run(state)
    assert truth_of(document["totals"]) == Truth(2, 6, 7, 0, 0) and document["files"] == 2
    for name, kind in [
        ("a.jsonl", "transcript"),
        ("a.jsonl.reset.2026-03-20T06-34-44.520Z", "transcript"),
        ("a.jsonl.deleted.1700000000000", None),
        ("a.checkpoint.0b0c6fd1-1a2b-4c3d-8e9f-001122334455.jsonl", "transcript"),
        ("a.trajectory.jsonl", None),
        ("a.jsonl.bak.2026-03-20T06-34-44.520Z", None),
    ]:
        assert paths.match(f"/s/agents/main/sessions/{name}") == kind, name
    assert paths.match("/s/agents/main/notes/a.jsonl") is None


def test_checkpoint_copies_count_once_in_their_session(tmp_path: Path) -> None:
    state = tmp_path / ".openclaw"
    lines = [
        e.header("s1", T0, "/w"),
        e.user("u1", T0, "hi"),
        e.assistant("a1", T0 + timedelta(seconds=1), input=10, output=20, cache_write=300),
    ]
    _write(state, "s1.checkpoint.0b0c6fd1-1a2b-4c3d-8e9f-001122334455.jsonl", lines)
    _write(state, "s1.jsonl", [*lines, e.assistant("a2", T0 + timedelta(seconds=5), input=1,
                                                   output=2, cache_read=310)])  # fmt: skip
    document, _ = run(state, "--level", "session")
    assert truth_of(document["totals"]) == Truth(2, 11, 22, 310, 300)
    assert [n["id"] for n in walk(document) if n.get("kind") == "session"] == ["s1"]


def test_the_model_comes_from_the_last_switch_when_a_message_names_none(tmp_path: Path) -> None:
    state = tmp_path / ".openclaw"
    _write(
        state,
        "s.jsonl",
        [
            e.header("s", T0, "/w"),
            e.model_change("m1", T0, "openai-codex", "gpt-5.2"),
            e.assistant("a1", T0, input=1, output=1, model=None, provider=None),
            e.snapshot("c1", T0 + timedelta(seconds=1), "anthropic", "claude-opus-4-5"),
            e.assistant("a2", T0 + timedelta(seconds=2), input=1, output=1, model=None,
                        provider=None),
        ],
    )  # fmt: skip
    document, _ = run(state, "--level", "call")
    models = [n["model"] for n in walk(document) if n.get("kind") == "call"]
    assert models == ["openai-codex/gpt-5.2", "anthropic/claude-opus-4-5"]


def test_error_turns_of_zero_tokens_are_not_requests(tmp_path: Path) -> None:
    state = tmp_path / ".openclaw"
    _write(
        state,
        "s.jsonl",
        [
            e.header("s", T0, "/w"),
            e.user("u1", T0, "hello"),
            *[
                e.assistant(f"x{n}", T0 + timedelta(seconds=n), input=0, output=0,
                            provider="ollama", model="qwen3.5:9b", stop="error")
                for n in range(4)
            ],
            e.assistant("a1", T0 + timedelta(seconds=9), input=787, output=267,
                        cache_read=13952, provider="openai-codex", model="gpt-5.4"),
        ],
    )  # fmt: skip
    document, _ = run(state)
    assert truth_of(document["totals"]) == Truth(1, 787, 267, 13952, 0)


def test_a_request_without_a_time_is_dated_by_its_file(tmp_path: Path) -> None:
    """No message time, no line time, no header: the file's modification time (as ccusage's
    OpenClaw reader does); a line without a type is still a message."""
    import os

    state = tmp_path / ".openclaw"
    timeless = e.dump(
        {"message": {"role": "assistant", "model": "gpt-5", "usage": {"input": 50, "output": 60}}}
    )
    untyped = e.dump(
        {"message": {"role": "assistant", "model": "gpt-5", "usage": {"input": 5, "output": 6}},
         "timestamp": "2026-01-02T00:00:00.000Z"}
    )  # fmt: skip
    path = _write(state, "b.jsonl", [timeless, untyped])
    modified = datetime(2026, 3, 3, 12, 0, tzinfo=UTC).timestamp()
    os.utime(path, (modified, modified))
    document, _ = run(state, "--level", "day")
    assert {day: node["totals"]["input"] for day, node in days_of(document).items()} == {
        "2026-01-02": 5,
        "2026-03-03": 50,
    }


def test_state_directories(tmp_path: Path) -> None:
    home = tmp_path
    (home / ".openclaw-work").mkdir()
    (home / ".openclaw-dev").mkdir()
    assert paths.state_dirs({"HOME": str(home)}) == [
        home / ".openclaw",
        home / ".openclaw-dev",
        home / ".openclaw-work",
    ]  # the former names only where they exist
    (home / ".moltbot").mkdir()
    (home / ".clawdbot").mkdir()
    assert paths.state_dirs({"HOME": str(home)})[3:] == [home / ".clawdbot", home / ".moltbot"]
    env = {"HOME": str(home), "OPENCLAW_DIR": "/x,/y", "OPENCLAW_STATE_DIR": "/srv/claw"}
    assert paths.state_dirs(env)[:3] == [Path("/x"), Path("/y"), Path("/srv/claw")]
    assert paths.session_id("/s/abc.jsonl.reset.2026-03-20T06-34-44.520Z") == "abc"
    assert paths.session_id("/s/abc.checkpoint.0b0c6fd1-1a2b-4c3d-8e9f-001122334455.jsonl") == "abc"
    assert paths.session_id("/s/abc-topic-42.jsonl") == "abc-topic-42"
    assert paths.agent_id("/h/.openclaw/agents/coder/sessions/a.jsonl") == "coder"
