"""The usage summary collected from real DuckDB over the demo transcripts, checked against the
generator's ground truth (its manifest) with a simple reference; its JSON form; where it is
published; official readings from ``raw_limits``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.corpus.manifest import Manifest
from tokentree.config import Budgets, Settings
from tokentree.data.workspace import Options, Workspace, demo_root
from tokentree.service import summary as summaries
from tokentree.service.collect import collect, publish_summary
from tokentree.service.usage_now import usage_now

NOW = datetime(2026, 11, 20, 23, 58, 30, tzinfo=UTC)
"""A minute and a half after the demo's last Claude call."""
CLAUDE = ("claude",)
"""The demo's Claude Code part: what its manifest is the ground truth of."""


def at(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def reference_block_start(times: list[float]) -> float:
    """Five-hour blocks, written out plainly: a call at or after the open block's end opens a
    new one at the start of its UTC hour."""
    start = end = None
    for t in sorted(times):
        if end is None or t >= end:
            start = t - t % 3600
            end = start + 5 * 3600
    assert start is not None
    return start


@pytest.fixture(scope="module")
def demo() -> tuple[Workspace, Manifest]:
    settings = Settings(budget=Budgets(daily_usd=1.0))
    options = Options(demo=True, sources=CLAUDE, tz="UTC", use_cache=False, settings=settings)
    workspace = Workspace(options)
    workspace.refresh()
    workspace.store.build(workspace.view)
    yield workspace, Manifest.load(demo_root() / "manifest.json")
    workspace.close()


def tokens(call: tuple) -> int:
    return sum(call[4:9])


def test_periods_match_the_ground_truth(demo) -> None:
    workspace, manifest = demo
    summary = collect(workspace, NOW)
    assert (summary.day, summary.week, summary.month) == ("2026-11-20", "2026-W47", "2026-11")
    for totals, first in (
        (summary.today, "2026-11-20"),
        (summary.this_week, "2026-11-16"),
        (summary.this_month, "2026-11-01"),
    ):
        calls = [c for c in manifest.calls if first <= c[2][:10] <= "2026-11-20"]
        assert totals.calls == len(calls)
        assert totals.tokens == sum(tokens(c) for c in calls)
        assert totals.cost_units > 0 and totals.unpriced == 0


def test_points_block_start_and_latest_session(demo) -> None:
    workspace, manifest = demo
    summary = collect(workspace, NOW)
    since = (NOW - timedelta(hours=5)).timestamp()
    minutes: dict[int, list[tuple[float, int]]] = {}
    for call in manifest.calls:  # every call of the last five hours, by minute
        if at(call[2]) >= since:
            minutes.setdefault(int(at(call[2]) // 60), []).append((at(call[2]), tokens(call)))
    recent = [
        (round(min(calls)[0], 3), round(max(calls)[0], 3), len(calls), sum(t for _, t in calls))
        for _, calls in sorted(minutes.items())
    ]
    got = [(round(p.at, 3), round(p.last or p.at, 3), p.calls, p.tokens) for p in summary.points]
    assert got == recent
    assert any(p.calls > 1 for p in summary.points)  # the demo has minutes of several calls
    assert {p.source for p in summary.points} == {"claude"}
    times = [at(c[2]) for c in manifest.calls]
    assert summary.block_starts == {"claude": reference_block_start(times)}
    latest = max(manifest.calls, key=lambda c: c[2])
    assert summary.latest == latest[9]
    session = summary.sessions[latest[9]]
    own = [c for c in manifest.calls if c[9] == latest[9]]
    assert session.totals.calls == len(own)
    assert session.totals.tokens == sum(tokens(c) for c in own)
    main = session.main_file()
    assert main is not None and Path(main).stem == latest[9]
    assert 0 < session.files[main] <= Path(main).stat().st_size
    assert len(session.recent) == min(len(own), 16)
    assert summary.budgets == {"daily_usd": 1.0}
    assert summary.rates  # the models of the recent calls, for pricing a tail


def test_json_round_trip_and_damage(demo, tmp_path: Path) -> None:
    workspace, _ = demo
    summary = collect(workspace, NOW)
    assert summaries.loads(summaries.dumps(summary)) == summary
    path = tmp_path / "summary.json"
    assert summaries.save(summary, path) and summaries.load(path) == summary
    for text in ("", "{", "[]", '{"version": 99}', '{"version": 1, "day": 3}'):
        assert summaries.loads(text) is None


def test_the_data_set_key_follows_the_roots(tmp_path: Path) -> None:
    assert summaries.data_set_key([], [], False) == "default"
    a = summaries.data_set_key([tmp_path / "x"], [], False)
    assert a == summaries.data_set_key([tmp_path / "y" / ".." / "x"], [], False)
    assert a != summaries.data_set_key([("codex", tmp_path / "x")], [], False)
    assert a != summaries.data_set_key([tmp_path / "x"], ["claude"], False)
    assert Path(summaries.summary_file(tmp_path, "default")) == tmp_path / "summary.json"
    assert Path(summaries.summary_file(tmp_path, a)) == tmp_path / f"summary-{a}.json"


def test_only_a_whole_data_set_is_published(tmp_path: Path) -> None:
    options = Options(demo=True, sources=CLAUDE, tz="UTC", since=NOW.date())
    workspace = Workspace(options)
    try:
        workspace.refresh()
        workspace.store.build(workspace.view)
        assert not publish_summary(workspace, collect(workspace, NOW), tmp_path)
        assert not list(tmp_path.iterdir())
    finally:
        workspace.close()


def test_codex_rate_limits_are_official_readings(demo) -> None:
    """raw_limits rows (what the Codex source writes) become readings, and the Codex window is
    the one they report."""
    workspace, _ = demo
    cursor = workspace.store.cursor()
    resets = NOW + timedelta(hours=2)
    cursor.execute(
        "INSERT INTO raw_limits VALUES (1, 'codex', 's1', $ts, 'codex', NULL, 300, 23.5, $resets,"
        " 'plus'), (1, 'codex', 's1', $old, 'codex', NULL, 300, 10.0, $resets, 'plus'),"
        " (1, 'codex', 's1', $ts, 'codex', NULL, 10080, 61.0, $week, 'plus')",
        {
            "ts": NOW - timedelta(minutes=3),
            "old": NOW - timedelta(minutes=30),
            "resets": resets,
            "week": NOW + timedelta(days=3),
        },
    )
    try:
        summary = collect(workspace, NOW)
        [five, week] = summary.readings
        assert (five.source, five.window_minutes, five.used_percent) == ("codex", 300, 23.5)
        assert five.resets_at == resets.timestamp() and five.name == "5h"
        assert (week.window_minutes, week.used_percent, week.name) == (10080, 61.0, "week")
        usage = usage_now(summary, NOW.timestamp())
        codex = usage.window("codex")
        assert codex is not None and codex.official == five and codex.weekly == (week,)
        assert codex.resets_at == resets.timestamp() and not codex.estimated
        assert codex.block is None  # no Codex calls in that window
        claude = usage.window("claude")
        assert claude is not None and claude.estimated and claude.official is None
    finally:
        cursor.execute("DELETE FROM raw_limits")
