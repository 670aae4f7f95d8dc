"""The export's activity attribution and insights keep their promises on every node."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.conftest import export, walk
from tokentree.cli import build_parser, export_to, options_from
from tokentree.data.workspace import Workspace
from tokentree.model.activity import CATEGORIES


def test_activity_sums_exactly_to_every_nodes_totals(small_corpus) -> None:
    root, _ = small_corpus
    document, _ = export("--root", str(root), "--tz", "UTC", "--annotate")
    assert document["attribution"]["estimated"] is True
    checked = 0
    for node in walk(document):
        activity = node["activity"]
        assert set(activity) <= set(CATEGORIES)
        assert sum(part["tokens"] for part in activity.values()) == node["totals"]["total"]
        # costs are multiples of 2^-30 USD: the sum is exact in any order
        assert sum(part["cost_usd"] for part in activity.values()) == node["totals"]["cost_usd"]
        checked += 1
    assert checked > 300


def test_insights_on_sessions_turns_and_rollups(small_corpus) -> None:
    root, _ = small_corpus
    document, _ = export("--root", str(root), "--tz", "UTC", "--level", "turn", "--annotate")
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    assert document["insights"], "the root carries the top insights"
    substantial = [s for s in sessions if s["totals"]["total"] > 100_000]
    assert substantial
    for session in substantial:
        kinds = {insight["kind"] for insight in session["insights"]}
        assert {"cache", "context"} <= kinds, session["id"]
    for insight in (i for n in walk(document) for i in n.get("insights", [])):
        assert insight["severity"] in ("info", "warn") and insight["message"]
        saving = insight["estimated_saving_usd"]
        assert saving is None or saving >= 0
    turns = [n for n in walk(document) if n.get("kind") == "turn"]
    assert all("insights" in t for t in turns)


def test_no_annotate_leaves_them_out(claude_samples: Path) -> None:
    document, _ = export("--root", str(claude_samples), "--tz", "UTC", "--no-annotate")
    assert "attribution" not in document
    assert not any("activity" in n or "insights" in n for n in walk(document))


def test_a_plain_export_computes_no_annotations(claude_samples: Path) -> None:
    """Without ``--annotate`` the attribution and insight tables are never built (nor
    remembered): the export prints none of it."""
    args = build_parser().parse_args(
        ["export", "--json", "--level", "day", "--tz", "UTC", "--root", str(claude_samples)]
    )
    workspace = Workspace(options_from(args))
    try:
        out = io.StringIO()
        export_to(workspace, args, out)
        derived = workspace.store.derived
        assert derived.activity.key is None and derived.insights.key is None
        assert derived.turns.key is None  # a day export needs no turns either
    finally:
        workspace.close()
    document = json.loads(out.getvalue())
    assert document["children"] and "attribution" not in document
    assert not any("activity" in n or "insights" in n for n in walk(document))
