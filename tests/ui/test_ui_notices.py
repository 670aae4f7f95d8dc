"""Start-up notices go to the status line (not a toast over the rows), the demo opens without
a warning about its own data, and load progress never outlives its read."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.conftest import press, screen_text, settle
from tokentree.data.workspace import Options, demo_root


def logs_with_a_broken_line(tmp_path: Path) -> Path:
    root = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", root)
    victim = sorted(root.rglob("*.jsonl"))[0]
    text = victim.read_text()
    first, rest = text.split("\n", 1)
    victim.write_text(first + "\n" + '{"type": "assistant", "message": {"usage": \n' + rest)
    return root


async def test_skipped_lines_are_reported_on_the_status_line(make_app, tmp_path) -> None:
    app = make_app(Options(roots=[logs_with_a_broken_line(tmp_path)], tz="UTC"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        status = screen_text(app).splitlines()[-2]
        assert "! skipped 1 malformed line in 1 file" in status
        assert not app._notifications  # no toast over the rows
        assert len(app.browser.rows.listing.rows) == 4  # the good data is all there
        await press(pilot, "down")  # moving the cursor keeps it
        assert "malformed" in screen_text(app).splitlines()[-2]
        await press(pilot, "c")  # changing the view dismisses it
        status = screen_text(app).splitlines()[-2]
        assert "malformed" not in status and "sort cost ▼" in status


async def test_the_demo_opens_without_a_warning(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert not app._notifications
        assert app.browser.status.notice == ""
        assert "measure tokens · sort tokens ▼" in screen_text(app).splitlines()[-2]


async def test_reload_with_nothing_changed_leaves_no_progress_bar(make_app, tmp_path) -> None:
    root = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", root)
    app = make_app(Options(roots=[root], tz="UTC"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        await settle(pilot)
        status = screen_text(app).splitlines()[-2]
        assert not app.browser.status.loading
        assert "0/0" not in status and "%" not in status
        assert "1 file ends in an incomplete line" in status  # the copy's start-up notice
        assert any("Up to date" in n.message for n in app._notifications)


async def test_progress_is_shown_while_reading_then_the_view_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        app.browser.show_progress(12, 85, 1_000_000, 2_000_000)
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert " 50% 12/85 files · 1.0 MB / 2.0 MB" in status and "█" in status
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        narrow = screen_text(app).splitlines()[-2]
        assert "12/85 files" in narrow and "MB" not in narrow
        app.browser.end_progress()
        await pilot.pause()
        assert "files" not in screen_text(app).splitlines()[-2]


async def test_a_failed_first_read_says_why(make_app, monkeypatch) -> None:
    from tokentree.service.backend import Backend

    def broken(self, progress=None, paths=None, **kwargs):
        raise PermissionError("permission denied: /logs")

    monkeypatch.setattr(Backend, "refresh", broken)
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Could not read the transcripts" in text and "permission denied" in text
        assert not app.browser.status.loading
        assert app.return_code is None  # still running: r tries again
