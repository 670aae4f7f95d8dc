"""Conformance samples for Goose: a ``sessions.db`` with a session (tools, a prompt), its
sub-agent session and a session that never reached the model, plus a second data directory's
database (``$GOOSE_PATH_ROOT/data``)."""

from __future__ import annotations

from pathlib import Path

from tests.data.sources.goose import build as B
from tests.data.sources.truth import Truth


def write_sample(root: Path) -> Truth:
    db = B.Sessions(root / "sessions" / "sessions.db")
    db.session("20260528_1", provider_name="anthropic", **B.accumulated(5400, 310, 4800, 500))
    db.message("20260528_1", "user", B.text("why does the upload stall?"), B.T0 + 1)
    db.message(
        "20260528_1", "assistant", [B.tool("developer__shell", command="pytest -q")], B.T0 + 2
    )
    db.session(
        "20260528_2",
        session_type="sub_agent",
        parent_session_id="20260528_1",
        created_at="2026-05-28 20:27:10",
        **B.accumulated(900, 40, 600),
    )
    db.session("20260528_3", model=None)  # opened, never reached the model
    db.close()
    other = B.Sessions(root / "data" / "sessions" / "sessions.db")
    other.session(
        "20260601_1",
        model="gpt-5.1-codex",
        created_at="2026-06-01 09:00:00",
        **B.accumulated(2000, 150, 1500),
    )
    other.close()
    # uncached input: 5400-4800-500 = 100, 900-600 = 300, 2000-1500 = 500
    return Truth(calls=3, input=900, output=500, cache_read=6900, cache_write=500)


def grow(root: Path) -> Truth:
    """Goose adds another response's usage to the open session's running sums."""
    db = B.Sessions(root / "sessions" / "sessions.db", schema="")
    db.connection.execute(
        "UPDATE sessions SET accumulated_input_tokens = accumulated_input_tokens + 1230,"
        " accumulated_output_tokens = accumulated_output_tokens + 45,"
        " accumulated_total_tokens = accumulated_total_tokens + 1275,"
        " accumulated_cache_read_tokens = accumulated_cache_read_tokens + 1200"
        " WHERE id = '20260528_1'"
    )
    db.close()
    return Truth(calls=0, input=30, output=45, cache_read=1200)


def data_files(root: Path) -> list[Path]:
    return [root / "sessions" / "sessions.db", root / "data" / "sessions" / "sessions.db"]
