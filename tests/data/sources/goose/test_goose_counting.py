"""Goose: one session-total call per session — running sums, the cache inside the input, thinking
inside the total, Goose's own cost, sub-agents, tools and labels; older schemas, damaged rows, a
live WAL, where Goose keeps its data and a generated history — against what the test wrote and
the independent reference reader."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.plan import make_plan
from bench.writers import goose as writer
from tests.conftest import days_of, run_cli
from tests.data.sources.documents import calls_in_context, day_tokens, read_untouched
from tests.data.sources.goose import build as B
from tests.data.sources.goose import reference
from tests.data.sources.truth import TOKEN_KINDS, Truth, tokens_by_day, truth_of, truth_of_calls
from tokentree.data.sources import get


def read(root: Path, *extra: str) -> dict[str, Any]:
    return read_untouched("goose", root, *extra)


def reference_truth(root: Path) -> Truth:
    return truth_of_calls(reference.read_calls(root))


def database(root: Path, **kwargs: Any) -> B.Sessions:
    return B.Sessions(root / "sessions" / "sessions.db", **kwargs)


def test_each_session_is_one_call_of_its_running_sums(tmp_path: Path) -> None:
    db = database(tmp_path)
    # running sums (input holds the cache) and, apart, the latest request's counts
    db.session(
        "20260528_1",
        provider_name="anthropic",
        input_tokens=9100,
        output_tokens=60,
        total_tokens=9160,
        cache_read_tokens=9000,
        **B.accumulated(25_300, 880, 21_000, 4_000),
    )
    db.message("20260528_1", "user", B.text("make the uploader resumable"), B.T0 + 3)
    db.message(
        "20260528_1",
        "assistant",
        [
            {"type": "text", "text": "Looking."},
            B.tool("developer__text_editor", "t1", command="view", path="src/up.py"),
            B.tool("developer__shell", "t2", command="git status"),
        ],
        B.T0 + 4,
    )
    db.message("20260528_1", "user", [{"type": "toolResponse", "id": "t2"}], B.T0 + 5)
    db.message(
        "20260528_1",
        "assistant",
        [
            B.tool("text_editor", "t3", command="str_replace", path="src/up.py"),
            B.tool("github__create_issue", "t4", title="resume"),
        ],
        B.T0 + 6,
    )
    db.session("20260528_2", created_at="2026-05-29 08:00:00", **B.accumulated(0, 0))  # unused
    db.close()
    document = read(tmp_path)
    # uncached input 25,300 − 21,000 − 4,000 = 300; the latest request's counts are ignored
    assert truth_of(document["totals"]) == Truth(1, 300, 880, 21_000, 4_000)
    assert reference_truth(tmp_path) == Truth(1, 300, 880, 21_000, 4_000)
    call = calls_in_context(document)["20260528_1"]
    assert call["session_total"] and call["session"] == "20260528_1"
    assert call["start"].startswith("2026-05-28T20:26:40")
    assert call["turn"]["prompt"] == "make the uploader resumable"
    assert [(t["name"], t["detail"]) for t in call["tool_calls"]] == [
        ("Read", "src/up.py"),
        ("Bash", "git status"),
        ("Edit", "src/up.py"),
        ("github__create_issue", None),
    ]


def test_the_ledger_makes_each_request_a_call_when_it_was_made(tmp_path: Path) -> None:
    """Goose's schema 15+ ``usage_ledger``: a row per response (same counters as the session's,
    the input holding the cache), each a call at its own time, across midnight; its prompts
    start turns (not the messages Goose hides from the user), its tools join their request."""
    db = database(tmp_path)
    sid = "20260528_9"
    # r1 100+4,000+900 in, 300 out; r2 20+6,150+30 in, 150 out; r3 a compaction: 7,000 in, 400 out
    requests = [
        (B.T0 + 12_300, (5_000, 300, 5_300, 4_000, 900)),  # 2026-05-28 23:51:40
        (B.T0 + 13_400, (6_200, 150, 6_350, 6_150, 30)),  # 2026-05-29 00:10:00
        (B.T0 + 13_500, (7_000, 400, 7_400, 0, 0)),
    ]
    sums = [sum(column) for column in zip(*(c for _, c in requests), strict=True)]
    db.session(
        sid,
        created_at="2026-05-28 23:50:00",
        provider_name="anthropic",
        **B.accumulated(sums[0], sums[1], sums[3], sums[4], total=sums[2]),
    )
    for n, (at, counters) in enumerate(requests):
        db.ledger(sid, at, counters, is_compaction=int(n == 2))
    db.message(sid, "user", B.text("why does the upload stall?"), B.T0 + 12_250)
    db.message(
        sid, "assistant", [B.tool("developer__shell", "t1", command="pytest")], B.T0 + 12_290
    )
    db.message(sid, "user", [{"type": "toolResponse", "id": "t1"}], B.T0 + 12_301)
    db.message(sid, "user", B.text("now fix it"), B.T0 + 13_350)
    hidden = '{"userVisible":false,"agentVisible":true}'
    db.message(sid, "user", B.text("<turn-context>…</turn-context>"), B.T0 + 13_390, hidden)
    db.message(
        sid,
        "assistant",
        [B.tool("developer__text_editor", "t2", command="view", path="src/up.py")],
        B.T0 + 13_395,
    )
    db.close()
    document = read(tmp_path)
    expected = Truth(3, 100 + 20 + 7_000, 850, 10_150, 930)
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    by_day = {
        day: [node["totals"][k] for k in TOKEN_KINDS] for day, node in days_of(document).items()
    }
    assert by_day == {"2026-05-28": [100, 300, 4_000, 900], "2026-05-29": [7_020, 550, 6_150, 30]}
    found = calls_in_context(document)
    assert sorted(found) == [f"{sid}#1", f"{sid}#2", f"{sid}#3"]
    first, second, third = (found[f"{sid}#{n}"] for n in (1, 2, 3))
    assert not any(c.get("session_total") for c in (first, second, third))
    assert first["start"].startswith("2026-05-28T23:51:40")
    assert first["turn"]["prompt"] == "why does the upload stall?"
    assert second["turn"]["prompt"] == third["turn"]["prompt"] == "now fix it"
    assert [t["detail"] for t in first["tool_calls"]] == ["pytest"]
    assert [t["detail"] for t in second["tool_calls"]] == ["src/up.py"]
    assert third["tool_calls"] == [] and first["unpriced_calls"] == 0
    assert {c["session"] for c in found.values()} == {sid}


def test_usage_from_before_the_ledger_stays_a_session_total(tmp_path: Path) -> None:
    """A session begun before Goose kept its ledger: the first row Goose writes for it carries
    the earlier usage forward (no model); what the running sums hold beyond the ledger rows is a
    session total too. Costs Goose recorded per row are kept."""
    db = database(tmp_path)
    db.session("up", provider_name="anthropic", **B.accumulated(7_000, 300, 5_500, 600))
    carried = (3_000, 100, 3_100, 2_000, 500)
    db.ledger("up", B.T0 + 600, carried, model=None, cost=0.01, cost_source="carried_forward")
    db.ledger("up", B.T0 + 600, (4_000, 200, 4_200, 3_500, 100), cost=0.02, cost_source="x")
    db.session("rest", **B.accumulated(1_000, 50))
    db.ledger("rest", B.T0 + 900, (600, 30, 630, 0, 0))
    db.close()
    document = read(tmp_path)
    # carried 500/100/2,000/500, request 400/200/3,500/100, rest 600/30 and 400/20
    expected = Truth(4, 1_900, 350, 5_500, 600)
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    found = calls_in_context(document)
    assert sorted(found) == ["rest#3", "rest#rest", "up#1", "up#2"]
    assert found["up#1"]["session_total"] and found["rest#rest"]["session_total"]
    assert found["up#1"]["start"].startswith("2026-05-28T20:26:40")  # the session's start
    assert found["up#2"]["start"].startswith("2026-05-28T20:36:40")
    assert [round(found[k]["totals"]["cost_usd"], 6) for k in ("up#1", "up#2")] == [0.01, 0.02]
    assert (
        found["rest#3"]["totals"]["input"] == 600 and found["rest#rest"]["totals"]["input"] == 400
    )


def test_a_ledger_row_whose_session_is_gone_still_counts(tmp_path: Path) -> None:
    db = database(tmp_path)
    db.session("kept", **B.accumulated(40, 4))
    db.ledger("gone", B.T0 + 60, (10, 5, 15, 0, 0))
    db.close()
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(2, 50, 9)
    assert document["skipped_lines"] == 0


def test_thinking_the_total_holds_beyond_output_bills_as_output(tmp_path: Path) -> None:
    """Gemini through Goose: output leaves the thinking out, the total holds it."""
    db = database(tmp_path)
    db.session(
        "s1",
        model="gemini-2.5-pro",
        provider_name="google",
        **B.accumulated(12_000, 700, 9_000, total=12_000 + 700 + 1_900),
    )
    db.close()
    document = read(tmp_path)
    assert (
        truth_of(document["totals"]) == Truth(1, 3_000, 2_600, 9_000) == reference_truth(tmp_path)
    )
    assert calls_in_context(document)["s1"]["reasoning"] == 1_900


def test_a_session_without_running_sums_counts_its_latest_request(tmp_path: Path) -> None:
    """Goose's first database schema (version 5): no cache, provider or model columns."""
    connection = sqlite3.connect(tmp_path / "sessions.db")
    connection.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '',"
        " working_dir TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
        " updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, extension_data TEXT DEFAULT '{}',"
        " total_tokens INTEGER, input_tokens INTEGER, output_tokens INTEGER,"
        " accumulated_total_tokens INTEGER, accumulated_input_tokens INTEGER,"
        " accumulated_output_tokens INTEGER, schedule_id TEXT, recipe_json TEXT)"
    )
    connection.execute(
        "INSERT INTO sessions (id, working_dir, created_at, total_tokens, input_tokens,"
        " output_tokens) VALUES ('20250901_1', '/w', '2025-09-01T10:00:00Z', 1500, 1400, 100)"
    )
    connection.execute(  # a created_at that is not a time: skipped and counted
        "INSERT INTO sessions (id, working_dir, created_at, accumulated_input_tokens)"
        " VALUES ('20250901_2', '/w', 'soon', 5)"
    )
    connection.commit()
    connection.close()
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(1, 1400, 100)
    assert document["skipped_lines"] == 1 and list(days_of(document)) == ["2025-09-01"]
    assert calls_in_context(document)["20250901_1"]["unpriced_calls"] == 1  # no model recorded


def test_cost_is_gooses_own_else_priced(tmp_path: Path) -> None:
    db = database(tmp_path)
    db.session("stated", accumulated_cost=0.25, **B.accumulated(1000, 100))
    db.session("priced", accumulated_cost=0.0, **B.accumulated(1000, 100))
    db.session("local", model="qwen3-coder:30b", provider_name="ollama", **B.accumulated(1000, 100))
    db.close()
    found = calls_in_context(read(tmp_path))
    assert round(found["stated"]["totals"]["cost_usd"], 6) == 0.25
    # nothing stated: tokentree's price (sonnet-4-5: 3 $/M in, 15 $/M out)
    assert round(found["priced"]["totals"]["cost_usd"], 6) == round((1000 * 3 + 100 * 15) / 1e6, 6)
    assert found["local"]["unpriced_calls"] == 1 and found["priced"]["unpriced_calls"] == 0


def test_models_on_cloud_platforms_are_priced_at_list_price(tmp_path: Path) -> None:
    """Goose names Bedrock and Vertex AI ``aws_bedrock`` and ``gcp_vertex_ai``; both bill Claude
    and Gemini at the vendor's list price."""
    db = database(tmp_path)
    bedrock = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    db.session("bedrock", model=bedrock, provider_name="aws_bedrock", **B.accumulated(1000, 100))
    db.session(
        "vertex",
        model="gemini-2.5-flash",
        provider_name="gcp_vertex_ai",
        **B.accumulated(1000, 100),
    )
    db.close()
    found = calls_in_context(read(tmp_path))
    # Sonnet 4.5: 3 $/M in, 15 $/M out; Gemini 2.5 Flash: 0.30 $/M in, 2.50 $/M out
    assert round(found["bedrock"]["totals"]["cost_usd"], 9) == round(4500 / 1e6, 9)
    assert round(found["vertex"]["totals"]["cost_usd"], 9) == round(550 / 1e6, 9)
    assert [found[k]["unpriced_calls"] for k in ("bedrock", "vertex")] == [0, 0]


def test_sub_agents_join_the_session_that_started_them(tmp_path: Path) -> None:
    db = database(tmp_path)
    db.session("root", **B.accumulated(10, 5))
    db.message("root", "user", B.text("review the migration"), B.T0 + 1)
    db.session(
        "child",
        session_type="sub_agent",
        parent_session_id="root",
        created_at="2026-05-28 20:30:00",
        **B.accumulated(7, 3),
    )
    db.session(
        "grandchild",
        session_type="sub_agent",
        parent_session_id="child",
        created_at="2026-05-28 20:31:00",
        **B.accumulated(2, 2),
    )
    db.session(
        "forked",
        session_type="user",
        parent_session_id="root",
        created_at="2026-05-28 21:00:00",
        **B.accumulated(1, 1),
    )
    db.close()
    document = read(tmp_path)
    found = calls_in_context(document)
    assert {k: (c["session"], c["sidechain"], c["agent_id"]) for k, c in found.items()} == {
        "root": ("root", False, None),
        "child": ("root", True, "child"),
        "grandchild": ("root", True, "grandchild"),
        "forked": ("forked", False, None),
    }
    assert {c.id: c.session for c in reference.read_calls(tmp_path)} == {
        k: c["session"] for k, c in found.items()
    }
    assert found["child"]["turn"]["prompt"] == "review the migration"


def test_malformed_json_columns_never_hide_a_session(tmp_path: Path) -> None:
    db = database(tmp_path)
    db.session("s1", model=None, model_config_json="{not json", **B.accumulated(40, 4))
    db.message("s1", "user", '[{"type":"text","text":"cut', B.T0)
    db.message("s1", "user", B.text("second try"), B.T0 + 1)
    db.message("s1", "assistant", '[{"type":"toolRequest","toolCall":', B.T0 + 2)
    db.message("s1", "assistant", [B.tool("developer__shell", command="ls")], B.T0 + 3)
    db.close()
    call = calls_in_context(read(tmp_path))["s1"]
    assert call["totals"]["input"] == 40 and call["turn"]["prompt"] == "second try"
    assert call["tool_calls"] == [{"id": "toolu_1", "name": "Bash", "detail": "ls"}]


def test_a_live_wal_and_a_damaged_database(tmp_path: Path) -> None:
    db = database(tmp_path, wal=True)
    db.connection.execute("PRAGMA wal_autocheckpoint = 0")
    db.session("s1", **B.accumulated(100, 10))
    db.connection.commit()
    db.connection.execute("UPDATE sessions SET accumulated_input_tokens = 180 WHERE id = 's1'")
    db.connection.commit()  # the update lives in the WAL while Goose runs
    broken = tmp_path / "data" / "sessions" / "sessions.db"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    try:
        code, out, err = run_cli("export", "--json", "--root", f"goose={tmp_path}", "--tz", "UTC")
        assert code == 0 and "data/sessions/sessions.db" in err and "could not read" in err
        document = json.loads(out)
        assert (
            truth_of(document["totals"]) == Truth(1, 180, 10) and document["unreadable_files"] == 1
        )
    finally:
        db.close()


def test_a_database_under_an_exclusive_lock_is_still_read(tmp_path: Path) -> None:
    """A Goose holding its database in exclusive locking mode: a read-only connection cannot
    open it, the rows are read all the same (and nothing of Goose's is modified)."""
    db = database(tmp_path, wal=True)
    db.connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    db.session("s1", **B.accumulated(300, 30, 200))
    db.connection.commit()  # committed, and the lock is kept while the connection lives
    path = tmp_path / "sessions" / "sessions.db"
    try:
        with pytest.raises(sqlite3.OperationalError):
            sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute(
                "SELECT count(*) FROM sessions"
            ).fetchone()
        document = read(tmp_path)
        assert truth_of(document["totals"]) == Truth(1, 100, 30, 200)
        assert document["unreadable_files"] == 0
    finally:
        db.close()


def test_where_goose_keeps_its_sessions(tmp_path: Path) -> None:
    source = get("goose")
    home = {"HOME": str(tmp_path)}
    assert source.default_roots(home, None) == [tmp_path / ".local" / "share" / "goose"]
    assert source.default_roots({**home, "XDG_DATA_HOME": "/x"}, None) == [Path("/x/goose")]
    # the locations other builds used, where they exist
    (tmp_path / "Library" / "Application Support" / "goose").mkdir(parents=True)
    (tmp_path / "AppData" / "Block" / "goose" / "data").mkdir(parents=True)
    windows = {**home, "APPDATA": str(tmp_path / "AppData")}
    assert source.default_roots(windows, None) == [
        tmp_path / ".local" / "share" / "goose",
        tmp_path / "Library" / "Application Support" / "goose",
        tmp_path / "AppData" / "Block" / "goose" / "data",
    ]
    assert source.default_roots({**home, "GOOSE_PATH_ROOT": "/srv/goose"}, None) == [
        Path("/srv/goose/data")
    ]
    # Goose ignores a relative GOOSE_PATH_ROOT, and so does tokentree
    assert source.default_roots({**home, "GOOSE_PATH_ROOT": "goose"}, None)[0] == (
        tmp_path / ".local" / "share" / "goose"
    )
    assert source.match("/d/sessions/sessions.db") == "sessions"
    assert source.match("/d/sessions/backups/backup_20260101_120000.db") is None
    assert source.descend("/d/sessions") and not source.descend("/d/sessions/backups")
    assert not source.descend("/d/logs")
    (tmp_path / "data" / "sessions").mkdir(parents=True)
    (tmp_path / "data" / "sessions" / "sessions.db").write_bytes(b"")
    assert source.claims(tmp_path) and source.root_for(tmp_path) == tmp_path / "data"


def test_a_generated_history_is_counted_exactly(tmp_path: Path) -> None:
    rng = random.Random(23)
    plan = make_plan(rng, writer.SHAPE, sessions=24, start=date(2026, 4, 1), days=5)
    writer.write(plan, tmp_path, rng)
    root = tmp_path / ".local" / "share" / "goose"
    document = read(root, "--level", "day")
    tokens = day_tokens(document)
    planned = tokens_by_day(plan.day_totals())
    assert tokens == planned == reference.day_totals(reference.read_calls(root))
    assert document["totals"]["calls"] == len(reference.read_calls(root))
