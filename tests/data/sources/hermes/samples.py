"""Conformance samples for Hermes: ``state.db`` with a session and its delegate subagent, and a
named profile's database with one more session."""

from __future__ import annotations

from pathlib import Path

from tests.data.sources.hermes import build as B
from tests.data.sources.truth import Truth


def write_sample(root: Path) -> Truth:
    state = B.State(root / "state.db")
    state.session(
        "s_main",
        model="claude-sonnet-4-5",
        input_tokens=120,
        output_tokens=40,
        cache_read_tokens=3000,
        cache_write_tokens=200,
        reasoning_tokens=0,
        estimated_cost_usd=0.02,
    )
    state.message("s_main", "user", B.STARTED + 1, "fix the flaky test")
    state.message(
        "s_main", "assistant", B.STARTED + 2, None, [B.call("terminal", command="pytest")]
    )
    state.session(
        "s_sub",
        source="subagent",
        parent_session_id="s_main",
        model_config='{"_delegate_from": "s_main"}',
        started_at=B.STARTED + 30,
        model="claude-sonnet-4-5",
        input_tokens=15,
        output_tokens=9,
        cache_read_tokens=500,
    )
    state.close()
    profile = B.State(root / "profiles" / "work" / "state.db")
    profile.session(
        "s_work",
        model="gpt-5.1-codex",
        started_at=B.STARTED + 3600,
        input_tokens=70,
        output_tokens=30,
        reasoning_tokens=12,  # inside output_tokens
        actual_cost_usd=0.01,
    )
    profile.close()
    return Truth(calls=3, input=205, output=79, cache_read=3500, cache_write=200)


def grow(root: Path) -> Truth:
    """Hermes adds another API call's usage to the open session's counters."""
    state = B.State(root / "state.db", schema="")
    state.connection.execute(
        "UPDATE sessions SET input_tokens = input_tokens + 11, output_tokens = output_tokens + 4,"
        " cache_read_tokens = cache_read_tokens + 300 WHERE id = 's_main'"
    )
    state.close()
    return Truth(calls=0, input=11, output=4, cache_read=300)


def data_files(root: Path) -> list[Path]:
    return [root / "state.db", root / "profiles" / "work" / "state.db"]
