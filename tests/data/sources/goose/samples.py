"""Conformance samples for Goose: a ``sessions.db`` with a session (tools, a prompt), its
sub-agent session and a session that never reached the model, plus a second data directory's
database (``$GOOSE_PATH_ROOT/data``) with a session of a build that keeps the usage ledger."""

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
    other.session("20260601_2", created_at="2026-06-01 10:00:00", **B.accumulated(3300, 90, 3000))
    other.ledger("20260601_2", B.T0 + 86_400 * 4, (1000, 40, 1040, 900, 0))
    other.ledger("20260601_2", B.T0 + 86_400 * 4 + 30, (2300, 50, 2350, 2100, 0))
    other.close()
    # uncached input: 5400-4800-500 = 100, 900-600 = 300, 2000-1500 = 500; 100 and 200
    return Truth(calls=5, input=1200, output=590, cache_read=9900, cache_write=500)


def grow(root: Path) -> Truth:
    """Goose adds another response's usage to the open sessions: to the running sums of the
    first, to the ledger and the sums of the ledgered one."""
    db = B.Sessions(root / "sessions" / "sessions.db", schema="")
    db.connection.execute(
        "UPDATE sessions SET accumulated_input_tokens = accumulated_input_tokens + 1230,"
        " accumulated_output_tokens = accumulated_output_tokens + 45,"
        " accumulated_total_tokens = accumulated_total_tokens + 1275,"
        " accumulated_cache_read_tokens = accumulated_cache_read_tokens + 1200"
        " WHERE id = '20260528_1'"
    )
    db.close()
    ledgered = B.Sessions(root / "data" / "sessions" / "sessions.db", schema="")
    ledgered.ledger("20260601_2", B.T0 + 86_400 * 4 + 90, (2500, 70, 2570, 2400, 20))
    ledgered.connection.execute(
        "UPDATE sessions SET accumulated_input_tokens = accumulated_input_tokens + 2500,"
        " accumulated_output_tokens = accumulated_output_tokens + 70,"
        " accumulated_total_tokens = accumulated_total_tokens + 2570,"
        " accumulated_cache_read_tokens = accumulated_cache_read_tokens + 2400,"
        " accumulated_cache_write_tokens = accumulated_cache_write_tokens + 20"
        " WHERE id = '20260601_2'"
    )
    ledgered.close()
    # the running sums' request: 30 uncached; the ledgered request: 2500-2400-20 = 80
    return Truth(calls=1, input=110, output=115, cache_read=3600, cache_write=20)


def data_files(root: Path) -> list[Path]:
    return [root / "sessions" / "sessions.db", root / "data" / "sessions" / "sessions.db"]
