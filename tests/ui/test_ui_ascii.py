"""With a non-UTF-8 locale the whole screen is ASCII: header, rows, column titles, status,
filter, footer, toasts, the info and help panels with their borders."""

from __future__ import annotations

import pytest

from tests.ui.conftest import press, screen_text, settle

C_LOCALE = {"TERM": "xterm-256color", "LANG": "C"}


def non_ascii(text: str) -> set[str]:
    return {char for char in text if not char.isascii()}


@pytest.mark.parametrize("size", [(120, 30), (50, 30)], ids=["wide", "side-pane"])
async def test_the_whole_screen_is_ascii(make_app, quiet_watch, size) -> None:
    app = make_app(env=C_LOCALE, watch=True)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert app.has_class("-ascii")
        screens = {"root": screen_text(app)}
        await press(pilot, "enter", "enter", "enter")
        screens["turns"] = screen_text(app)
        await press(pilot, "slash", "x")
        screens["filter"] = screen_text(app)
        await press(pilot, "escape", "e")
        await settle(pilot)  # the export runs in a worker
        screens["export toast"] = screen_text(app)
        # read now: a toast expires after a few seconds, which the later steps can outlast
        toasts = [n.message for n in app._notifications]
        await press(pilot, "p")
        screens["paused"] = screen_text(app)
        await press(pilot, "i")
        await settle(pilot)
        screens["info"] = screen_text(app)
        await press(pilot, "escape", "question_mark")
        screens["help"] = screen_text(app)
        for name, text in screens.items():
            assert not non_ascii(text), (name, non_ascii(text))
        assert " > " in screens["turns"].splitlines()[0]  # the breadcrumb's separator
        assert screens["root"].splitlines()[1].rstrip().endswith(("* live", "*"))
        assert screens["paused"].splitlines()[1].rstrip().endswith(("| live paused", "|"))
        assert "+-" in screens["help"] and "#" in screens["root"]  # borders and bars
        assert any(m.startswith("Exported to") for m in toasts)
        assert all(m.isascii() for m in toasts)


async def test_a_utf8_locale_keeps_unicode(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert not app.has_class("-ascii")
        assert "▼tokens" in screen_text(app) and "█" in screen_text(app)
