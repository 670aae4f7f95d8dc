"""The live pane (``tokentree live``) on real transcripts: an appended call appears, another
session becoming active is followed, ``e`` exports the followed session, ``Enter`` opens it in
the explorer and ``L`` switches back; budgets alert once; Claude Code's hook readings show."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ui.conftest import LIVE_NOW, press, screen_text, settle, wait_for_text
from tests.ui.test_ui_live import feed
from tokentree.config import Budgets, Settings
from tokentree.data.workspace import Options
from tokentree.model.tree import Kind
from tokentree.service import hook as hooks
from tokentree.service.export import export_filename
from tokentree.service.follow import FollowSpec
from tokentree.service.limits import Reading
from tokentree.ui.screens.browser import BrowserScreen
from tokentree.ui.screens.live import LiveScreen
from tokentree.ui.widgets.live_calls import TurnCalls
from tokentree.watch import ChangeBatch

LATEST = "bbf26aa4-a3dc-4316-854e-6757357cf14f"
"""The demo's most recently active session (atlas-api)."""
OTHER = "2dc6c42d-1b95-4bc3-9a83-c6a30f79edf8"
"""An older atlas-api session."""


def append_call(transcript: Path, message_id: str, at: str, output: int, tool: str) -> None:
    """Append a call (a copy of the file's last one) with a new id, time, output and tool."""
    lines = transcript.read_text().splitlines()
    record = next(
        json.loads(line) for line in reversed(lines) if '"assistant"' in line and '"usage"' in line
    )
    record["timestamp"] = at
    record["uuid"] = f"uuid-{message_id}"
    record["requestId"] = f"req_{message_id}"
    record["message"]["id"] = message_id
    record["message"]["usage"]["output_tokens"] = output
    record["message"]["content"] = [
        {"type": "tool_use", "id": f"toolu_{message_id}", "name": tool, "input": {}}
    ]
    with transcript.open("a") as handle:
        handle.write(json.dumps(record, separators=(",", ":")) + "\n")


async def settle_live(pilot) -> None:
    for _ in range(4):
        await settle(pilot)
        await pilot.pause(0.02)


async def test_an_appended_call_appears(make_live, logs, fake_watch) -> None:
    app = make_live(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(50, 30)) as pilot:
        await settle_live(pilot)
        assert isinstance(app.screen, LiveScreen) and app.live == "on"
        screen = app.live_screen
        assert screen.view is not None and screen.view.id == LATEST
        before = screen.view.totals.output
        calls = len(screen.view.calls)
        transcript = next(logs.rglob(f"{LATEST}.jsonl"))
        append_call(transcript, "msg_live_1", "2026-11-20T23:58:20.000Z", 77_777, "MultiEdit")
        await feed(pilot, fake_watch, ChangeBatch(frozenset({transcript})))
        await settle_live(pilot)
        view = screen.view
        assert view.id == LATEST and view.totals.output == before + 77_777
        assert len(view.calls) == calls + 1 and view.calls[-1].id == "msg_live_1"
        assert app.screen.query_one(TurnCalls).calls[-1].id == "msg_live_1"
        text = await wait_for_text(pilot, "MultiEdit")
        row = next(line for line in text.splitlines() if "MultiEdit" in line)
        assert row.lstrip().startswith("23:58:20")
        assert app.summary is not None and app.summary.today.calls == 16  # 15 + the new one


async def test_another_session_becoming_active_is_followed(make_live, logs, fake_watch) -> None:
    app = make_live(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle_live(pilot)
        assert app.live_screen.view.id == LATEST
        transcript = next(logs.rglob(f"{OTHER}.jsonl"))
        append_call(transcript, "msg_other", "2026-11-20T23:58:25.000Z", 1_000, "Grep")
        await feed(pilot, fake_watch, ChangeBatch(frozenset({transcript})))
        await settle_live(pilot)
        assert app.live_screen.view.id == OTHER
        assert any("Following atlas-api · 2dc6c42d" in n.message for n in app._notifications)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FollowSpec(session="2dc6"), OTHER),
        (FollowSpec(project="INFRA"), None),  # the latest infra-terraform session
        (FollowSpec(session="no-such-session"), ""),
    ],
)
async def test_following_a_session_or_a_project(make_live, spec, expected) -> None:
    app = make_live(follow=spec)
    async with app.run_test(size=(50, 30)) as pilot:
        await settle_live(pilot)
        view = app.live_screen.view
        if expected == "":
            assert view is None
            assert "No session of session no-such-session yet" in screen_text(app)
        elif expected is None:
            assert view is not None and view.project == "infra-terraform"
        else:
            assert view is not None and view.id == expected


async def test_export_enter_and_back(make_live, tmp_path) -> None:
    app = make_live()
    async with app.run_test(size=(50, 30)) as pilot:
        await settle_live(pilot)
        view = app.live_screen.view
        assert view is not None
        await press(pilot, "e")
        target = tmp_path / "out" / export_filename(Kind.SESSION, LATEST)
        assert target.exists()
        document = json.loads(target.read_text())
        assert document["schema"] == "tokentree.export/1"
        assert document["path"] == list(view.path[:2])
        [session] = document["children"]
        assert session["id"] == LATEST and session["kind"] == "session"
        assert any(str(target) in n.message for n in app._notifications)

        await press(pilot, "enter")
        await settle_live(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert app.browser.navigator.path == view.path
        assert app.browser.rows.selected.id == view.turn.id  # the current turn
        await press(pilot, "L")
        assert isinstance(app.screen, LiveScreen)
        await press(pilot, "L")
        assert isinstance(app.screen, BrowserScreen) and app.browser.navigator.path == view.path


async def test_the_explorer_opens_the_live_pane(make_app) -> None:
    app = make_app(clock=lambda: LIVE_NOW)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle_live(pilot)
        await press(pilot, "L")
        await settle_live(pilot)
        assert isinstance(app.screen, LiveScreen)
        assert app.live_screen.view is not None and app.live_screen.view.id == LATEST
        text = await wait_for_text(pilot, "Claude 5-hour window")
        assert "today " in text and "burn " in text


async def test_budget_alerts_fire_once_across_restarts(make_live, make_app, tmp_path) -> None:
    settings = Settings(budget=Budgets(daily_usd=0.5, weekly_usd=100.0, bell=True))
    options = Options(demo=True, sources=("claude",), tz="UTC", settings=settings)
    rings: list[int] = []

    async def run(app) -> list[str]:
        app.bell = lambda: rings.append(1)
        async with app.run_test(size=(60, 30)) as pilot:
            await settle_live(pilot)
            return [n.message for n in app._notifications if n.title == "Budget"]

    first = await run(make_live(options))
    assert len(first) == 1 and first[0].startswith("Daily budget 80 % used: $0.44 of $0.50 · ")
    assert "at this burn rate the limit is reached at 00:04" in first[0]
    assert rings == [1]
    assert await run(make_live(options)) == []  # a restart remembers
    assert await run(make_app(options, clock=lambda: LIVE_NOW)) == []  # so does the explorer
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["alerts"] == {"daily:2026-11-20": 80}
    fresh = await run(make_app(options, clock=lambda: LIVE_NOW, state_file=tmp_path / "other"))
    assert len(fresh) == 1  # the explorer raises them too


async def test_claude_code_hook_readings_and_cost_show(make_live, tmp_path) -> None:
    resets = datetime(2026, 11, 21, 2, 0, tzinfo=UTC).timestamp()
    now = LIVE_NOW.timestamp()
    kept = hooks.Kept(
        readings=(
            Reading("claude", 300, 42.4, resets, now, None, "five_hour"),
            Reading("claude", 10080, 81.0, resets + 86400 * 4, now, None, "seven_day"),
            Reading("claude", 10080, 12.5, resets + 86400 * 4, now, "opus", "seven_day_opus"),
        ),
        sessions={LATEST: hooks.SessionNote(0.2075, now)},
    )
    assert hooks.save(kept, hooks.kept_file(tmp_path / "cache"))
    app = make_live()
    async with app.run_test(size=(60, 30)) as pilot:
        await settle_live(pilot)
        text = screen_text(app)
        assert "cc $0.21" in text
        assert "limits 5h 42% week 81% week opus 12%" in text
        assert "(estimated)" not in text.split("Claude 5-hour window")[1]


async def test_no_logs_offer_the_demo(make_live, tmp_path) -> None:
    app = make_live(Options(roots=[tmp_path / "nowhere"], tz="UTC"))
    async with app.run_test(size=(50, 30)) as pilot:
        await settle_live(pilot)
        assert "No usage logs found" in screen_text(app)
        await press(pilot, "d")
        await settle_live(pilot)
        assert app.live_screen.view is not None and app.live_screen.view.id == LATEST
