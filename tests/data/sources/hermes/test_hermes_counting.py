"""Hermes: one session-total call per session, its cost, its subagents, its tools; damaged, live
and older databases; a generated history — against what the test wrote and the independent
reference reader."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from bench.plan import make_plan
from bench.writers import hermes as writer
from tests.conftest import days_of, run_cli
from tests.data.sources.documents import calls_in_context, day_tokens, read_untouched
from tests.data.sources.hermes import build as B
from tests.data.sources.hermes import reference
from tests.data.sources.truth import Truth, tokens_by_day, truth_of, truth_of_calls
from tokentree.data.sources import get


def read(home: Path, *extra: str) -> dict[str, Any]:
    return read_untouched("hermes", home, *extra, annotate=True)


def reference_truth(home: Path) -> Truth:
    return truth_of_calls(reference.read_calls(home))


def test_each_session_is_one_call_labelled_as_its_total(tmp_path: Path) -> None:
    state = B.State(tmp_path / "state.db")
    state.session(
        "s1",
        model="claude-sonnet-4-5",
        input_tokens=10,
        output_tokens=20,
        cache_read_tokens=300,
        cache_write_tokens=40,
    )
    state.session(
        "s2",
        model="gpt-5.1-codex",
        started_at=B.STARTED + 86_400,
        input_tokens=7,
        output_tokens=100,
        reasoning_tokens=40,
    )
    state.session("s3", model="claude-sonnet-4-5", started_at=B.STARTED + 5)  # never billed
    state.close()
    document = read(tmp_path, "--no-annotate")
    assert truth_of(document["totals"]) == Truth(2, 17, 120, 300, 40) == reference_truth(tmp_path)
    found = calls_in_context(document)
    assert set(found) == {"s1", "s2"}
    assert all(c["session_total"] and c["session"] == c["id"] for c in found.values())
    # Hermes' output already holds the reasoning (it prices output only)
    assert found["s2"]["totals"]["output"] == 100 and found["s2"]["reasoning"] == 40
    assert found["s1"]["start"].startswith("2026-05-28T20:26:40.5")
    assert sorted(days_of(document)) == ["2026-05-28", "2026-05-29"]


def test_cost_is_actual_else_estimated_else_priced(tmp_path: Path) -> None:
    state = B.State(tmp_path / "state.db")
    tokens = {"input_tokens": 1000, "output_tokens": 100}
    state.session(
        "actual", model="claude-sonnet-4-5", actual_cost_usd=0.5, estimated_cost_usd=0.3, **tokens
    )
    state.session("estimated", model="claude-sonnet-4-5", estimated_cost_usd=0.25, **tokens)
    state.session(
        "included", model="claude-sonnet-4-5", estimated_cost_usd=0.0, actual_cost_usd=0.0, **tokens
    )
    state.session("unknown", model="hermes-local-7b", estimated_cost_usd=0.0, **tokens)
    state.close()
    found = calls_in_context(read(tmp_path, "--no-annotate"))
    cost = {k: round(c["totals"]["cost_usd"], 6) for k, c in found.items()}
    assert cost["actual"] == 0.5 and cost["estimated"] == 0.25
    # nothing stated: tokentree's price for the tokens (sonnet-4-5: 3 $/M in, 15 $/M out)
    assert cost["included"] == round((1000 * 3 + 100 * 15) / 1e6, 6)
    assert found["unknown"]["unpriced_calls"] == 1 and found["included"]["unpriced_calls"] == 0


def test_a_session_total_is_priced_at_base_rates_whatever_its_size(tmp_path: Path) -> None:
    """A long-context tier applies per request; a session's total is many requests, so its
    size says nothing about any one of them."""
    state = B.State(tmp_path / "state.db")
    state.session(
        "long", model="claude-sonnet-4-20250514", input_tokens=300_000, output_tokens=1_000
    )
    state.close()
    document = read(tmp_path, "--annotate")
    [call] = calls_in_context(document).values()
    # sonnet-4: 3 $/M in, 15 $/M out up to 200k prompt tokens (6 and 22.5 above)
    base = (300_000 * 3 + 1_000 * 15) / 1e6
    assert round(call["totals"]["cost_usd"], 9) == round(base, 9)
    assert round(document["totals"]["cost_usd"], 9) == round(base, 9)
    # the activity split of the cost (same tier rule) sums to the same base-rate cost
    split = sum(part["cost_usd"] for part in call["activity"].values())
    assert round(split, 9) == round(base, 9)


def test_subagents_join_the_session_that_started_them(tmp_path: Path) -> None:
    state = B.State(tmp_path / "state.db")
    state.session("root", model="claude-sonnet-4-5", input_tokens=5, output_tokens=5)
    state.message("root", "user", B.STARTED + 1, "review the migration")
    state.message(
        "root",
        "assistant",
        B.STARTED + 2,
        None,
        [
            B.call("delegate_task", goal="check the schema"),
            B.call("terminal", command="git diff --stat"),
            B.call("read_file", path="db/schema.sql"),
            B.call("patch", path="db/schema.sql", old_string="a", new_string="b"),
        ],
    )
    state.session(
        "child",
        source="subagent",
        parent_session_id="root",
        started_at=B.STARTED + 3,
        model_config='{"_delegate_from": "root"}',
        model="claude-sonnet-4-5",
        input_tokens=3,
        output_tokens=3,
    )
    state.session(
        "grandchild",
        source="cli",
        parent_session_id="child",
        started_at=B.STARTED + 4,
        model_config='{"_delegate_from": "child"}',
        model="claude-sonnet-4-5",
        input_tokens=2,
        output_tokens=2,
    )
    state.session(
        "continued",
        parent_session_id="root",
        started_at=B.STARTED + 3600,
        model="claude-sonnet-4-5",
        input_tokens=1,
        output_tokens=1,
    )  # compression
    state.message(
        "continued",
        "user",
        B.STARTED + 3601,
        '\x00json:[{"type": "text", "text": "go on"}, {"type": "image_url"}]',
    )
    state.close()
    document = read(tmp_path, "--no-annotate")
    found = calls_in_context(document)
    assert {k: (c["session"], c["sidechain"], c["agent_id"]) for k, c in found.items()} == {
        "root": ("root", False, None),
        "child": ("root", True, "child"),
        "grandchild": ("root", True, "grandchild"),
        "continued": ("continued", False, None),
    }
    assert {c.id: c.session for c in reference.read_calls(tmp_path)} == {
        k: c["session"] for k, c in found.items()
    }
    assert [(t["name"], t["detail"]) for t in found["root"]["tool_calls"]] == [
        ("Task", "check the schema"),
        ("Bash", "git diff --stat"),
        ("read_file", "db/schema.sql"),
        ("Edit", "db/schema.sql"),
    ]
    assert found["root"]["turn"]["prompt"] == "review the migration"
    assert found["child"]["turn"]["prompt"] == "review the migration"
    assert found["continued"]["turn"]["prompt"] == "go on"


def test_an_older_schema_is_read_for_what_it_holds(tmp_path: Path) -> None:
    """ccusage's test schema: no messages table, no cwd, no model_config, no cost status."""
    connection = sqlite3.connect(tmp_path / "state.db")
    connection.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT NOT NULL, model TEXT,"
        " started_at REAL NOT NULL, message_count INTEGER DEFAULT 0, input_tokens INTEGER,"
        " output_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,"
        " reasoning_tokens INTEGER, billing_provider TEXT, estimated_cost_usd REAL,"
        " actual_cost_usd REAL)"
    )
    connection.execute(
        "INSERT INTO sessions VALUES ('s1', 'cli', 'claude-sonnet-4-20250514', 1750000000.25, 42,"
        " 1200, 300, 50, 20, 10, 'anthropic', 0.12, 0.34)"
    )
    connection.execute(  # a started_at that is not a time: skipped and counted
        "INSERT INTO sessions VALUES ('s2', 'cli', 'x', 'soon', 1, 5, 5, 0, 0, 0, NULL, NULL, NULL)"
    )
    connection.commit()
    connection.close()
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(1, 1200, 300, 50, 20)
    assert round(document["totals"]["cost_usd"], 6) == 0.34
    assert document["skipped_lines"] == 1 and list(days_of(document)) == ["2025-06-15"]


def test_malformed_json_in_columns_never_hides_a_session(tmp_path: Path) -> None:
    state = B.State(tmp_path / "state.db")
    state.session(
        "s1",
        parent_session_id="s0",
        model_config="{not json",
        model="m",
        input_tokens=4,
        output_tokens=4,
    )
    for ts, raw in enumerate(
        (
            '[{"function": {"name": "terminal", "arguments": "{\\"comm',  # cut short
            '[{"function": {"name": "terminal", "arguments": "{oops"}}]',
            json.dumps([B.call("web_search", query="duckdb wal")]),
        )
    ):
        state.connection.execute(
            "INSERT INTO messages (session_id, role, tool_calls, timestamp)"
            " VALUES ('s1', 'assistant', ?, ?)",
            (raw, ts),
        )
    state.close()
    found = calls_in_context(read(tmp_path, "--no-annotate"))
    assert found["s1"]["session"] == "s1" and not found["s1"]["sidechain"]
    assert found["s1"]["tool_calls"] == [
        {"id": None, "name": "Bash", "detail": None},
        {"id": "call_web_search", "name": "WebSearch", "detail": "duckdb wal"},
    ]


def test_a_live_wal_and_a_damaged_profile(tmp_path: Path) -> None:
    state = B.State(tmp_path / "state.db", wal=True)
    state.connection.execute("PRAGMA wal_autocheckpoint = 0")
    state.session("s1", model="claude-sonnet-4-5", input_tokens=1, output_tokens=1)
    state.connection.commit()
    state.connection.execute("UPDATE sessions SET input_tokens = 9 WHERE id = 's1'")
    state.connection.commit()  # the update lives in the WAL while Hermes runs
    broken = tmp_path / "profiles" / "work" / "state.db"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    try:
        code, out, err = run_cli("export", "--json", "--root", f"hermes={tmp_path}", "--tz", "UTC")
        assert code == 0 and "profiles/work/state.db" in err and "could not read" in err
        document = json.loads(out)
        assert truth_of(document["totals"]) == Truth(1, 9, 1) and document["unreadable_files"] == 1
    finally:
        state.close()


def test_default_roots_follow_hermes_home() -> None:
    source = get("hermes")
    assert source.default_roots({"HOME": "/home/u"}, None) == [Path("/home/u/.hermes")]
    assert source.default_roots({"HOME": "/home/u", "HERMES_HOME": "/a, /b"}, None) == [
        Path("/a"),
        Path("/b"),
    ]
    assert source.match("/a/profiles/work/state.db") == "state"
    assert not source.descend("/a/hermes-agent") and source.descend("/a/profiles/work")


def test_a_generated_history_is_counted_exactly(tmp_path: Path) -> None:
    rng = random.Random(17)
    plan = make_plan(rng, writer.SHAPE, sessions=20, start=date(2026, 4, 1), days=5)
    writer.write(plan, tmp_path, rng)
    home = tmp_path / ".hermes"
    document = read(home, "--level", "day", "--no-annotate")
    tokens = day_tokens(document)
    planned = tokens_by_day(plan.day_totals())
    assert tokens == planned == reference.day_totals(reference.read_calls(home))
    assert document["totals"]["calls"] == len(reference.read_calls(home))
