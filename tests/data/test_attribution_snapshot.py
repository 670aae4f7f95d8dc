"""Regression: activity attribution and insights on a fixed generated corpus (seed 3) equal the
snapshot taken before the performance rework (``fixtures/attribution_seed3.json.gz``).

Every public entry point is covered under three configurations (time zones, a date range that
leaves predecessors outside it, config rules, the per-type long-context rule, a plan). Set
``TOKENTREE_WRITE_SNAPSHOT=1`` to rewrite the snapshot after an intended change of results.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tokentree.data.activity.query import (
    activity_for_children,
    activity_for_level,
    activity_for_node,
    activity_shares,
)
from tokentree.data.insights import compute_insights, insights_for_node
from tokentree.data.store.store import View
from tokentree.data.workspace import Options, Workspace
from tokentree.model.activity import Share
from tokentree.model.tree import Kind

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "attribution_seed3.json.gz"
LEVELS = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)
CONFIGS: dict[str, dict[str, Any]] = {
    "utc_plan": {"tz": "UTC", "settings": {"plan_name": "Pro", "plan_monthly_usd": 20.0}},
    "range_rules": {
        "tz": "America/Los_Angeles",
        "since": date(2026, 11, 13),
        "until": date(2026, 11, 18),
        "settings": {
            "activity_rules": {"Bash(git *)": "executing", "Grep": "searching", "mcp__*": "other"},
            "plan_name": "Max",
            "plan_monthly_usd": 200.0,
        },
    },
    "per_type": {"tz": "Asia/Kolkata", "settings": {"long_context": "per-type"}},
}


def _plain(value: Any) -> Any:
    """JSON-ready: tuple keys joined with "|", dates as ISO text, shares as [tokens, pUSD]."""
    if isinstance(value, dict):
        return {
            ("|".join(map(str, key)) if isinstance(key, tuple) else str(key)): _plain(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Share):
        return [value.tokens, value.cost_pusd]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Kind):
        return value.value
    return value


def _digest(value: Any) -> dict[str, Any]:
    """The size and SHA-256 of a bulky value's JSON (call-level rows)."""
    text = json.dumps(_plain(value), sort_keys=True)
    return {"size": len(value), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _config_snapshot(root: Path, config: dict[str, Any]) -> dict[str, Any]:
    from tokentree.config import Settings

    settings = Settings(**config["settings"])
    options = Options(
        roots=[root],
        tz=config["tz"],
        since=config.get("since"),
        until=config.get("until"),
        use_cache=False,
        settings=settings,
    )
    workspace = Workspace(options)
    try:
        workspace.refresh()
        store, view = workspace.store, workspace.view
        store.build(view)
        rules = settings.activity_rules
        out: dict[str, Any] = {}
        kw = {"settings": settings, "view": view, "prices": store.prices}
        everything = compute_insights(store, **kw)
        out["insights_all"] = {k.value: v for k, v in everything.levels.items()}
        out["insights_rwd"] = {
            k.value: v
            for k, v in compute_insights(
                store, **kw, levels=(Kind.ROOT, Kind.WEEK, Kind.DAY)
            ).levels.items()
        }
        out["insights_root_3"] = compute_insights(store, **kw, levels=(Kind.ROOT,), limit=3).root
        out["insights_no_settings"] = {
            k.value: v
            for k, v in compute_insights(store, levels=(Kind.ROOT, Kind.DAY)).levels.items()
        }
        other_view = View(tz=view.tz, since=date(2026, 11, 1), until=date(2026, 11, 30))
        out["insights_month_view"] = compute_insights(
            store, settings=settings, view=other_view, levels=(Kind.ROOT, Kind.WEEK)
        ).root
        sessions = sorted(everything.level(Kind.SESSION))
        turns = sorted(everything.level(Kind.TURN))
        days = sorted(everything.level(Kind.DAY))
        weeks = sorted(everything.level(Kind.WEEK))
        scopes = [weeks[0], days[len(days) // 2], sessions[0], sessions[len(sessions) // 2]]
        scoped = {}
        for scope in scopes:
            found = compute_insights(store, scope, **kw)
            scoped["|".join(map(str, scope))] = {k.value: v for k, v in found.levels.items()}
        out["insights_scoped"] = scoped
        paths = [(), weeks[-1], days[0], sessions[-1], turns[0], turns[len(turns) // 2], turns[-1]]
        out["insights_for_node"] = {
            "|".join(map(str, path)): insights_for_node(store, path, **kw) for path in paths
        }
        out["activity_level"] = {
            kind.value: activity_for_level(store, kind, rules=rules) for kind in LEVELS
        }
        out["activity_exact"] = {
            kind.value: activity_for_level(store, kind, rules=rules, as_json=False)
            for kind in (Kind.DAY, Kind.TURN)
        }
        out["activity_under"] = {
            "|".join(map(str, path)): activity_for_level(store, Kind.TURN, path, rules=rules)
            for path in (weeks[0], days[1], sessions[1])
        }
        child_paths = [(), weeks[0], days[0], sessions[0], turns[0]]
        out["activity_children"] = {
            "|".join(map(str, p)): activity_for_children(store, p, rules=rules) for p in child_paths
        }
        out["activity_node"] = {
            "|".join(map(str, p)): [
                activity_for_node(store, p, rules=rules),
                activity_shares(store, p, rules=rules),
            ]
            for p in child_paths
        }
        rows = (
            store.cursor()
            .execute(
                "SELECT c.session_id, c.call_id, c.request_id, c.ts::VARCHAR, a.cat, a.side,"
                " a.tokens, a.cost_pusd, a.cost_units FROM call_activity a JOIN calls c USING (cid)"
                " ORDER BY ALL"
            )
            .fetchall()
        )
        out["call_activity"] = _digest(rows)
        out["call_rows"] = _digest(
            [row[-1] or [] for row in store.level_rows("call", with_activity=True)]
        )
        out["activity_level"]["call"] = _digest(out["activity_level"]["call"])
        return json.loads(json.dumps(_plain(out)))
    finally:
        workspace.close()


def snapshot(root: Path) -> dict[str, Any]:
    """Every configuration's results for the corpus under ``root`` (a ``projects`` tree)."""
    return {name: _config_snapshot(root, config) for name, config in CONFIGS.items()}


@pytest.fixture(scope="module")
def seed3_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("seed3")
    manifest = generate(out, profile="small", seed=3)
    return out / ".claude" / "projects", dict(manifest.params)


def test_results_equal_the_snapshot(seed3_corpus: tuple[Path, dict[str, Any]]) -> None:
    root, params = seed3_corpus
    current = {"corpus": params, **snapshot(root)}
    if os.environ.get("TOKENTREE_WRITE_SNAPSHOT"):
        SNAPSHOT.write_bytes(gzip.compress(json.dumps(current, sort_keys=True).encode(), mtime=0))
        pytest.skip("snapshot written")
    expected = json.loads(gzip.decompress(SNAPSHOT.read_bytes()))
    if expected["corpus"] != json.loads(json.dumps(params)):
        pytest.skip("the corpus generator changed: rewrite the snapshot from a known-good tree")
    for name in CONFIGS:
        for part in expected[name]:
            assert current[name][part] == expected[name][part], (name, part)
    assert current == expected
