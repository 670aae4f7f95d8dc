"""SVG snapshots of the explorer on the embedded demo data (one per bundled theme, 80×24,
ASCII bars, help, and a 50×30 side pane in UTF-8 and in ASCII) and of the live pane at 40 and
60 columns. Deterministic: fixed data,
time zone, size and clock, no live mode or a watcher that never reports, no cursor blink,
notifications cleared, a fixed activity split. Update with
``pytest tests/ui/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

import pytest

from tests.ui.conftest import CLAUDE_ONLY, settle
from tokentree.config import Settings
from tokentree.data.workspace import Options
from tokentree.service.backend import Backend


@pytest.fixture(autouse=True)
def fixed_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed activity split (by token kind), so these pictures test the explorer and do not
    change whenever the attribution rules do (those have their own tests)."""

    def activity(self, path):
        return {
            node.id: {
                "context": {"tokens": node.totals.cache_read, "cost_usd": 0.0},
                "editing": {"tokens": node.totals.output, "cost_usd": 0.0},
                "reading": {"tokens": node.totals.input + node.totals.cache_write, "cost_usd": 0.0},
            }
            for node in self.children(path)
        }

    def session_activity(self, session_id):
        totals = self.session_view(session_id).totals
        return {
            "context": {"tokens": totals.cache_read, "cost_usd": 0.0},
            "editing": {"tokens": totals.output, "cost_usd": 0.0},
            "reading": {"tokens": totals.input + totals.cache_write, "cost_usd": 0.0},
        }

    monkeypatch.setattr(Backend, "activity", activity)
    monkeypatch.setattr(Backend, "session_activity", session_activity)


def prepare(*keys: str):
    """A ``run_before`` that waits for the data, presses ``keys`` and clears toasts."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_root_dark(snap_compare, make_app) -> None:
    """Weeks at the root in tokentree-dark."""
    app = make_app(theme="tokentree-dark")
    assert snap_compare(app, terminal_size=(110, 20), run_before=prepare())


def test_sessions_light(snap_compare, make_app) -> None:
    """The sessions of a day in tokentree-light, sorted by cost."""
    app = make_app(theme="tokentree-light")
    assert snap_compare(app, terminal_size=(110, 20), run_before=prepare("enter", "enter", "c"))


def test_calls_mono(snap_compare, make_app) -> None:
    """The calls of a turn in tokentree-mono, sorted by time."""
    app = make_app(theme="tokentree-mono")
    keys = ("enter", "enter", "enter", "enter", "t")
    assert snap_compare(app, terminal_size=(110, 20), run_before=prepare(*keys))


def test_narrow_80x24(snap_compare, make_app) -> None:
    """80×24: columns are dropped, the label keeps its room."""
    app = make_app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare("enter", "enter"))


def test_ascii_bars_measuring_cost(snap_compare, make_app) -> None:
    """ASCII bars (config ``bars = "ascii"``) while measuring cost, graph and percent."""
    app = make_app(
        Options(demo=True, sources=CLAUDE_ONLY, tz="UTC", settings=Settings(bars="ascii"))
    )
    assert snap_compare(app, terminal_size=(110, 16), run_before=prepare("enter", "a"))


def test_help(snap_compare, make_app) -> None:
    """The help panel, generated from the bindings."""
    app = make_app()
    assert snap_compare(app, terminal_size=(110, 46), run_before=prepare("question_mark"))


def test_side_pane_50x30(snap_compare, make_app, quiet_watch) -> None:
    """A 50-column side pane, live mode on: the turns of a session (breadcrumb elided in one
    line, totals with the live indicator, label/bar/tokens/cost, the short footer)."""
    app = make_app(watch=True)
    keys = ("enter", "enter", "enter")
    assert snap_compare(app, terminal_size=(50, 30), run_before=prepare(*keys))


def test_side_pane_ascii_50x30(snap_compare, make_app, quiet_watch) -> None:
    """The same pane with a non-UTF-8 locale (LANG=C): everything in ASCII."""
    app = make_app(watch=True, env={"TERM": "xterm-256color", "LANG": "C"})
    assert snap_compare(app, terminal_size=(50, 30), run_before=prepare("enter", "enter"))


def test_live_pane_40x30(snap_compare, make_live, quiet_watch) -> None:
    """``tokentree live`` in a 40-column pane: the followed session, its current turn's calls
    (no model column, times without seconds), the usage now and the estimated 5-hour window."""
    app = make_live(watch=True)
    assert snap_compare(app, terminal_size=(40, 30), run_before=prepare())


def test_live_pane_60x30_with_limits_and_budgets(snap_compare, make_live, tmp_path) -> None:
    """60 columns, with Claude Code's hook readings (official 5-hour window, weekly buckets,
    its own session cost) and two budgets, one of them over 80 %."""
    from tests.ui.conftest import LIVE_NOW
    from tokentree.config import Budgets, Settings
    from tokentree.data.workspace import Options
    from tokentree.service import hook as hooks
    from tokentree.service.limits import Reading

    now = LIVE_NOW.timestamp()
    resets = now + 2 * 3600 + 90
    kept = hooks.Kept(
        readings=(
            Reading("claude", 300, 42.4, resets, now, None, "five_hour"),
            Reading("claude", 10080, 81.0, resets + 4 * 86400, now, None, "seven_day"),
            Reading("claude", 10080, 12.5, resets + 4 * 86400, now, "opus", "seven_day_opus"),
        ),
        sessions={"bbf26aa4-a3dc-4316-854e-6757357cf14f": hooks.SessionNote(0.2075, now)},
    )
    assert hooks.save(kept, hooks.kept_file(tmp_path / "cache"))
    settings = Settings(budget=Budgets(daily_usd=0.5, block_tokens=400_000))
    app = make_live(Options(demo=True, sources=("claude",), tz="UTC", settings=settings))
    assert snap_compare(app, terminal_size=(60, 30), run_before=prepare())
