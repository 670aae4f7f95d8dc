"""Insights (docs/attribution.md): fixtures whose numbers are known by construction, the shape
and severity rules on a generated corpus, and the text rendering."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.data.test_activity import BASE, Transcript, bash, open_workspace, read
from tokentree.data.activity.query import activity_for_level, activity_for_node
from tokentree.data.insights import (
    DAYS_PER_MONTH,
    TRIVIAL_TOKENS,
    InsightSet,
    compute_insights,
    insights_for_node,
    render_insights_text,
)
from tokentree.data.store.store import View
from tokentree.data.workspace import Workspace
from tokentree.model.tree import Kind

PICO = 10**12
M = 10**6
WEEK, DAY = "2026-W47", "2026-11-16"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("insights")
    # Context grows; the best split is before turn 2 (sonnet-4-5: read $0.30, 5m write $3.75).
    grow = Transcript(root, "grow")
    grow.prompt("set up the project")
    grow.call([read("/r/setup.py")], inp=0, write=10_000)  # baseline 10k
    grow.call([("Edit", {"file_path": "/r/setup.py"})], inp=0, read=10_000, write=40_000)
    grow.prompt("refactor the parser")
    grow.call([read("/r/parser.py")], inp=0, read=50_000, write=1_000)  # history 40k
    grow.call(inp=0, read=51_000, write=1_000)
    grow.prompt("now the docs")
    grow.call([read("/r/docs.md")], inp=0, read=52_000, write=1_000)
    grow.call(inp=0, read=53_000, write=1_000)
    grow.save()

    # A long opus session: a new session after turn 1 would have saved a material amount.
    long = Transcript(root, "long", start=BASE + timedelta(hours=1))
    long.prompt("load everything")
    long.call([read("/r/big.py")], inp=0, write=20_000, model="claude-opus-4-1-20250805")
    long.call(inp=0, read=20_000, write=130_000, model="claude-opus-4-1-20250805")
    long.prompt("small follow-up")
    for _ in range(30):
        long.call([bash("ls")], inp=0, read=150_000, write=200, model="claude-opus-4-1-20250805")
    long.save()

    # Cache rebuilds: 5-minute TTL expired after 10 idle minutes; 1-hour TTL after 70 minutes.
    idle = Transcript(root, "idle", start=BASE + timedelta(hours=3))
    idle.prompt("first")
    idle.call(inp=0, write=20_000)
    idle.call(inp=0, read=20_000, write=500, after=60)
    idle.prompt("back from lunch", after=600)
    idle.call(inp=0, write=21_000)
    idle.save()
    hour = Transcript(root, "hour", start=BASE + timedelta(hours=4))
    hour.prompt("first")
    hour.call(inp=0, write1h=20_000)
    hour.prompt("ten minutes later", after=600)
    hour.call(inp=0, read=20_000, write1h=100)
    hour.prompt("seventy minutes later", after=4200)
    hour.call(inp=0, write1h=20_100)
    hour.save()

    # The same file read ten times; another read around an edit; one read in two sessions.
    reread = Transcript(root, "reread", start=BASE + timedelta(hours=5))
    reread.prompt("why is the parser slow")
    for _ in range(10):
        reread.call([read("/r/src/parser.py")], inp=10, write=1_000)
    reread.call(inp=10, write=1_000)
    for _ in range(2):
        reread.call([read("/r/src/shared.py")], inp=10, write=100)
    reread.call(inp=10, write=100)
    reread.save()
    edited = Transcript(root, "edited", start=BASE + timedelta(hours=6))
    edited.prompt("fix the lexer")
    for step in range(7):
        tool = ("Edit", {"file_path": "/r/lexer.py"}) if step == 3 else read("/r/lexer.py")
        edited.call([tool], inp=10, write=100)
    for _ in range(2):
        edited.call([read("/r/src/shared.py")], inp=10, write=100)
    edited.call(inp=10, write=100)
    edited.save()

    # A subagent on haiku and an output-heavy opus call.
    agents = Transcript(root, "agents", start=BASE + timedelta(hours=7))
    agents.prompt("survey the code base")
    task = agents.call([("Task", {"subagent_type": "Explore"})], inp=10, write=1_000)
    haiku = "claude-haiku-4-5-20251001"
    agents.call([read("/r/x.py")], inp=50, out=60, write=7_000, agent="a1", model=haiku)
    agents.call(inp=5, out=80, read=7_000, agent="a1", model=haiku)
    agents.agent_meta("a1", "Explore", task)
    agents.call(inp=10, out=2_000, write=1_000, model="claude-opus-4-6")
    agents.save()

    opened = open_workspace(root, plan_name="Max", plan_monthly_usd=100.0)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def found(workspace: Workspace) -> InsightSet:
    return compute_insights(
        workspace.store, settings=workspace.options.settings, view=workspace.view
    )


def by_kind(insights: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [i for i in insights if i["kind"] == kind]


def one(insights: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (insight,) = by_kind(insights, kind)
    return insight


def session(found: InsightSet, name: str) -> list[dict[str, Any]]:
    return found.for_path((WEEK, DAY, name))


# --------------------------------------------------------------------------- context


def test_context_split_point_known_by_construction(found: InsightSet) -> None:
    context = one(session(found, "grow"), "context")
    split = context["evidence"]["split"]
    assert (split["turn_no"], split["history_tokens"], split["later_calls"]) == (2, 40_000, 4)
    # 40k history x (4 calls x $0.30/M) - 10k baseline x ($3.75 - $0.30)/M
    saving = 40_000 * 4 * 300_000 - 10_000 * (3_750_000 - 300_000)
    assert context["estimated_saving_usd"] == pytest.approx(saving / PICO)
    assert context["severity"] == "info"  # $0.0135 is not material
    evidence = context["evidence"]
    assert evidence["context_cost_usd"] == pytest.approx(216_000 * 300_000 / PICO)
    assert (evidence["context_start_tokens"], evidence["context_max_tokens"]) == (10_000, 54_000)
    assert "before turn 2 (“refactor the parser”)" in context["message"]
    turn2 = found.for_path((WEEK, DAY, "grow", "grow-p4"))
    assert one(turn2, "context")["estimated_saving_usd"] == pytest.approx(saving / PICO)
    turn3 = found.for_path((WEEK, DAY, "grow", "grow-p7"))
    assert turn3 == [] or one(turn3, "context")["estimated_saving_usd"] is None


def test_material_context_saving_warns(found: InsightSet) -> None:
    context = one(session(found, "long"), "context")
    assert context["severity"] == "warn"
    # 130k history x 30 later calls x $1.50/M read - 20k baseline x ($18.75 - $1.50)/M
    saving = 130_000 * 30 * 1_500_000 - 20_000 * (18_750_000 - 1_500_000)
    assert context["estimated_saving_usd"] == pytest.approx(saving / PICO)
    assert context["estimated_saving_usd"] > 5


# --------------------------------------------------------------------------- cache


def test_cache_rebuild_after_idle_gap(found: InsightSet) -> None:
    cache = one(session(found, "idle"), "cache")
    evidence = cache["evidence"]
    assert (evidence["rebuilds"], evidence["rebuild_tokens"]) == (1, 21_000)
    assert evidence["rebuild_cost_usd"] == pytest.approx(21_000 * 3_750_000 / PICO)
    extra = 21_000 * (3_750_000 - 300_000)
    assert evidence["rebuild_extra_usd"] == pytest.approx(extra / PICO)
    assert cache["estimated_saving_usd"] == pytest.approx(extra / PICO)
    (rebuild,) = evidence["top_rebuilds"]
    assert (rebuild["idle_s"], rebuild["ttl_s"]) == (605.0, 300)
    assert evidence["hit_rate"] == pytest.approx(20_000 / (20_000 + 20_500 + 21_000), abs=1e-4)
    assert "1 cache rebuild after idle gaps (10 min)" in cache["message"]


def test_one_hour_ttl(found: InsightSet) -> None:
    evidence = one(session(found, "hour"), "cache")["evidence"]
    assert evidence["rebuilds"] == 1  # the 10-minute gap is within the 1-hour TTL
    assert (evidence["top_rebuilds"][0]["ttl_s"], evidence["rebuild_tokens"]) == (3600, 20_100)
    assert evidence["rebuild_cost_usd"] == pytest.approx(20_100 * 6 * M / PICO)


# --------------------------------------------------------------------------- repeated reads


def test_file_read_ten_times(found: InsightSet) -> None:
    reads = by_kind(session(found, "reread"), "repeated_read")
    parser = next(i for i in reads if i["evidence"]["file"] == "/r/src/parser.py")
    evidence = parser["evidence"]
    assert (evidence["reads"], evidence["re_reads"]) == (10, 9)
    # each read's result is consumed by the next call: 10 uncached + 1000 written tokens
    assert evidence["tokens"] == 10 * 1_010
    per_read = 10 * 3 * M + 1_000 * 3_750_000
    assert evidence["cost_usd"] == pytest.approx(10 * per_read / PICO)
    assert parser["estimated_saving_usd"] == pytest.approx(9 * per_read / PICO)
    assert "was read 10 times in this session" in parser["message"]
    assert not any(i["evidence"]["file"] == "/r/src/shared.py" for i in reads)  # only 2 reads


def test_an_edit_makes_the_next_read_legitimate(found: InsightSet) -> None:
    (lexer,) = by_kind(session(found, "edited"), "repeated_read")
    assert (lexer["evidence"]["reads"], lexer["evidence"]["re_reads"]) == (6, 4)


def test_file_read_across_the_days_sessions(found: InsightSet) -> None:
    reads = by_kind(found.for_path((WEEK, DAY)), "repeated_read")
    shared = next(i for i in reads if i["evidence"]["file"] == "/r/src/shared.py")
    assert (shared["evidence"]["reads"], shared["evidence"]["sessions"]) == (4, 2)
    assert "across 2 sessions that day" in shared["message"]


# --------------------------------------------------------------------------- turns, agents


def test_expensive_turns_with_their_activity_mix(workspace: Workspace, found: InsightSet) -> None:
    insight = one(session(found, "grow"), "expensive_turn")
    turns = insight["evidence"]["turns"]
    costs = [t["cost_usd"] for t in turns]
    assert costs == sorted(costs, reverse=True) and len(turns) == 3
    for turn in turns:
        path = (WEEK, DAY, "grow", turn["turn_id"])
        assert turn["activity"] == activity_for_node(workspace.store, path)
    assert insight["message"].startswith(f"Most expensive turn: #{turns[0]['turn_no']} ")


def test_subagent_share_and_models(found: InsightSet) -> None:
    insight = one(session(found, "agents"), "subagents")
    evidence = insight["evidence"]
    assert evidence["tokens"] == 50 + 60 + 7_000 + 5 + 80 + 7_000
    (explore,) = evidence["by_type"]
    assert (explore["agent_type"], explore["agents"], explore["models"]) == (
        "Explore",
        1,
        ["haiku-4-5"],
    )


def test_model_choice_what_if(found: InsightSet) -> None:
    insight = one(session(found, "agents"), "model_choice")
    evidence = insight["evidence"]
    assert (evidence["model"], evidence["alternative"], evidence["calls"]) == (
        "claude-opus-4-6",
        "claude-sonnet-4-5-20250929",
        1,
    )
    opus = 10 * 5 * M + 2_000 * 25 * M + 1_000 * 6_250_000
    sonnet = 10 * 3 * M + 2_000 * 15 * M + 1_000 * 3_750_000
    assert evidence["cost_usd"] == pytest.approx(opus / PICO)
    assert insight["estimated_saving_usd"] == pytest.approx((opus - sonnet) / PICO)
    assert insight["severity"] == "info" and "What-if at list prices" in insight["message"]


def test_subscription_value(workspace: Workspace) -> None:
    view = View(tz="UTC", since=date(2026, 11, 1), until=date(2026, 11, 30))
    result = compute_insights(
        workspace.store, settings=workspace.options.settings, view=view, levels=(Kind.ROOT,)
    )
    insight = one(result.root, "subscription")
    plan = round(100 * PICO * 30 / DAYS_PER_MONTH)
    assert insight["evidence"]["days"] == 30
    assert insight["evidence"]["plan_cost_usd"] == pytest.approx(plan / PICO)
    api = sum(int(row[7]) for row in workspace.store.level_rows("week"))
    assert insight["evidence"]["api_cost_usd"] == pytest.approx(api / PICO)
    assert "against your Max plan at $100.00/month" in insight["message"]
    assert set(result.levels) == {Kind.ROOT}


def test_insights_for_one_node_match_the_bulk_run(workspace: Workspace, found: InsightSet) -> None:
    settings = workspace.options.settings
    for path in [(WEEK, DAY, "grow"), (WEEK, DAY, "grow", "grow-p4"), (WEEK, DAY)]:
        alone = insights_for_node(workspace.store, path, settings=settings, view=workspace.view)
        assert alone == found.for_path(path)
    assert insights_for_node(workspace.store, (WEEK, DAY, "grow", "grow-p4", "msg")) == []


def test_render_text(found: InsightSet) -> None:
    text = render_insights_text(session(found, "long"))
    assert text.startswith("! context: Re-reading the growing context")
    assert "estimated saving ≈ $" in text
    assert render_insights_text([]) == ""


# --------------------------------------------------------------------------- generated corpus


def test_generated_corpus_insights(small_corpus: tuple[Path, Any]) -> None:
    root, _ = small_corpus
    opened = open_workspace(root.parent, plan_name="Pro", plan_monthly_usd=20.0)
    try:
        result = compute_insights(opened.store, settings=opened.options.settings)
        sessions = {(row[0], row[1], row[2]): row for row in opened.store.level_rows("session")}
        assert set(result.level(Kind.SESSION)) == set(sessions)
        for key, row in sessions.items():
            tokens = sum(row[5:9])
            kinds = {i["kind"] for i in result.level(Kind.SESSION)[key]}
            if tokens >= TRIVIAL_TOKENS:
                assert {"context", "cache"} <= kinds, key
        for level in result.levels.values():
            for insights in level.values():
                for insight in insights:
                    check_shape(insight)
        assert by_kind(result.root, "subscription")
    finally:
        opened.close()


def test_deterministic_across_cache_paths(small_corpus: tuple[Path, Any]) -> None:
    """Cold (building the cache) and warm (served from it) runs give identical results."""
    root, _ = small_corpus
    outputs = []
    for _ in range(2):
        opened = open_workspace(root.parent, use_cache=True)
        try:
            result = compute_insights(opened.store)
            outputs.append((result.levels, activity_for_level(opened.store, Kind.CALL)))
        finally:
            opened.close()
    assert outputs[0] == outputs[1]


def check_shape(insight: dict[str, Any]) -> None:
    assert set(insight) == {"kind", "severity", "message", "estimated_saving_usd", "evidence"}
    assert insight["kind"] in {
        "context",
        "cache",
        "repeated_read",
        "expensive_turn",
        "subagents",
        "model_choice",
        "subscription",
    }
    assert insight["severity"] in ("info", "warn") and insight["message"]
    saving = insight["estimated_saving_usd"]
    assert saving is None or saving > 0
    if insight["severity"] == "warn":
        assert saving is not None and saving >= 0.5
    json.dumps(insight)
