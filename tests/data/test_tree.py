"""The tree: Week → Day → Session → Turn → Call; every parent is the sum of its children."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import export, walk
from tests.data.sources.claude.lines import assistant, prompt, write

TOKEN_KEYS = ("input", "output", "cache_read", "cache_write", "total", "calls")


def assert_additive(document: dict) -> int:
    """Every parent's totals equal the sum of its children's, exactly (cost too: a reader who
    adds the children's cost_usd in order gets the parent's float bit for bit)."""
    checked = 0
    for node in walk(document):
        children = node.get("children", [])
        if not children:
            continue
        for key in TOKEN_KEYS:
            assert node["totals"][key] == sum(c["totals"][key] for c in children), (
                node.get("id"),
                key,
            )
        assert node["totals"]["cost_usd"] == sum(c["totals"]["cost_usd"] for c in children)
        assert node["unpriced_calls"] == sum(c["unpriced_calls"] for c in children)
        if "child_count" in node:
            assert node["child_count"] == len(children)
        parts = node["totals"]
        assert (
            parts["total"]
            == parts["input"] + parts["output"] + parts["cache_read"] + parts["cache_write"]
        )
        checked += 1
    return checked


def test_samples_tree_is_additive(claude_samples: Path) -> None:
    document, _ = export("--root", str(claude_samples), "--tz", "Europe/Berlin")
    assert assert_additive(document) > 10


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    tz=st.sampled_from(["UTC", "Asia/Kolkata", "America/New_York"]),
)
def test_generated_trees_are_additive(tmp_path_factory, seed: int, tz: str) -> None:
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("gen")
    generate(out, profile="small", seed=seed)
    document, _ = export("--root", str(out / ".claude"), "--tz", tz)
    # a real tree was checked (the small profile gives 40-150 nodes; seed 266 gives 47)
    assert assert_additive(document) > 20
    kinds = {node.get("kind") for node in walk(document)}
    assert {"week", "day", "session", "turn", "call"} <= kinds


def test_level_cuts_the_depth_and_keeps_totals(claude_samples: Path) -> None:
    full, _ = export("--root", str(claude_samples), "--tz", "UTC")
    for level, leaf in (("week", "week"), ("day", "day"), ("session", "session"), ("turn", "turn")):
        cut, _ = export("--root", str(claude_samples), "--tz", "UTC", "--level", level)
        assert cut["totals"] == full["totals"]
        leaves = [n for n in walk(cut) if n.get("kind") and not n["children"]]
        assert {n["kind"] for n in leaves} == {leaf}
        assert all(n["child_count"] > 0 for n in leaves)


def test_ids_and_node_fields_follow_the_contract(claude_samples: Path) -> None:
    document, _ = export("--root", str(claude_samples), "--tz", "UTC")
    assert document["schema"] == "tokentree.export/1"
    assert set(document["totals"]) == {
        "input",
        "output",
        "cache_read",
        "cache_write",
        "total",
        "cost_usd",
        "calls",
        "cache_hit",
    }
    for node in walk(document):
        kind = node.get("kind")
        if kind is None:
            continue
        assert {"kind", "id", "label", "start", "end", "totals", "children"} <= set(node)
        if kind == "week":
            assert len(node["id"]) == 8 and node["id"][4:6] == "-W"
        if kind == "day":
            assert node["label"].startswith(node["id"])
        if kind in ("session", "call"):
            assert node["source"] == "claude"
        if kind == "call":
            assert node["id"].startswith("msg_")
        t = node["totals"]
        denominator = t["input"] + t["cache_read"] + t["cache_write"]
        assert t["cache_hit"] == pytest.approx(
            t["cache_read"] / denominator if denominator else 0, abs=1e-6
        )


def test_a_session_crossing_midnight_appears_under_both_days(tmp_path: Path) -> None:
    lines = [
        prompt("long refactor", "2026-11-20T23:50:00.000Z", uuid="p1"),
        assistant("msg_1", "2026-11-20T23:55:00.000Z", out=10, uuid="a1"),
        assistant("msg_2", "2026-11-21T00:05:00.000Z", out=20, uuid="a2"),
    ]
    write(tmp_path / "projects" / "p" / "s1.jsonl", lines)
    document, _ = export("--root", str(tmp_path), "--tz", "UTC", "--level", "session")
    days = {d["id"]: d for w in document["children"] for d in w["children"]}
    assert set(days) == {"2026-11-20", "2026-11-21"}
    assert [d["children"][0]["id"] for d in days.values()] == ["s1", "s1"]
    assert [d["totals"]["output"] for d in days.values()] == [10, 20]
    # the same instant is one day later in Tokyo
    tokyo, _ = export("--root", str(tmp_path), "--tz", "Asia/Tokyo", "--level", "day")
    assert [d["id"] for w in tokyo["children"] for d in w["children"]] == ["2026-11-21"]


def test_weeks_are_iso_weeks_starting_monday(tmp_path: Path) -> None:
    lines = [
        assistant("msg_1", "2026-12-31T12:00:00.000Z", uuid="a"),  # Thursday of 2026-W53
        assistant("msg_2", "2027-01-03T12:00:00.000Z", uuid="b"),  # Sunday, same ISO week
        assistant("msg_3", "2027-01-04T12:00:00.000Z", uuid="c"),  # Monday of 2027-W01
    ]
    write(tmp_path / "projects" / "p" / "s1.jsonl", lines)
    document, _ = export("--root", str(tmp_path), "--tz", "UTC", "--level", "day")
    weeks = {w["id"]: [d["id"] for d in w["children"]] for w in document["children"]}
    assert weeks == {"2026-W53": ["2026-12-31", "2027-01-03"], "2027-W01": ["2027-01-04"]}


def test_subagent_calls_join_the_turn_that_spawned_them(tmp_path: Path) -> None:
    main = [
        prompt("research the api", "2026-11-20T10:00:00.000Z", uuid="p1"),
        assistant(
            "msg_1",
            "2026-11-20T10:00:05.000Z",
            tool="Task",
            uuid="a1",
            tool_input={"subagent_type": "explorer", "prompt": "look"},
        ),
        prompt("meanwhile, fix the typo", "2026-11-20T10:01:00.000Z", uuid="p2"),
        assistant("msg_2", "2026-11-20T10:01:05.000Z", uuid="a2"),
    ]
    # the subagent starts in turn p1 and keeps running after the second prompt
    agent = [
        assistant("msg_s1", "2026-11-20T10:00:10.000Z", sidechain=True, agent="ab12", uuid="s1"),
        assistant("msg_s2", "2026-11-20T10:02:00.000Z", sidechain=True, agent="ab12", uuid="s2"),
    ]
    write(tmp_path / "projects" / "p" / "s1.jsonl", main)
    write(tmp_path / "projects" / "p" / "s1" / "subagents" / "agent-ab12.jsonl", agent)
    (tmp_path / "projects" / "p" / "s1" / "subagents" / "agent-ab12.meta.json").write_text(
        json.dumps({"agentType": "explorer", "toolUseId": "toolu_a1"})
    )
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    turns = {n["id"]: n for n in walk(document) if n.get("kind") == "turn"}
    assert turns["p1"]["totals"]["calls"] == 3 and turns["p1"]["subagent_calls"] == 2
    assert turns["p2"]["totals"]["calls"] == 1
    (session,) = [n for n in walk(document) if n.get("kind") == "session"]
    assert session["subagents"] == 1
