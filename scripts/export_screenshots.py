"""Render the SVG screenshots used by docs/usage.md and docs/themes.md (docs/images/*.svg).

    python scripts/export_screenshots.py            # every shot
    python scripts/export_screenshots.py live-pane   # only these

Runs the explorer (or the live pane) headless on the embedded demo data (time zone UTC, no
live mode, its own empty cache directory and a fresh state file per shot), presses keys, waits
for the data, and saves what Textual draws. The live pane's clock is fixed a minute and a half
after the demo's last call.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"

SHOTS: list[tuple[str, str, tuple[int, int], tuple[str, ...]]] = [
    ("explorer-dark", "tokentree-dark", (110, 22), ()),
    ("explorer-light", "tokentree-light", (110, 22), ("enter", "enter", "c")),
    ("explorer-mono", "tokentree-mono", (110, 22), ("enter", "enter", "enter", "enter")),
    ("explorer-nord", "nord", (110, 22), ("enter",)),
    ("narrow-80x24", "tokentree-dark", (80, 24), ("enter", "enter")),
    ("info", "tokentree-dark", (120, 50), ("enter", "enter", "i")),
    ("help", "tokentree-dark", (110, 46), ("question_mark",)),
    ("side-pane-50x30", "tokentree-dark", (50, 30), ("enter", "enter", "enter")),
    ("live-pane", "tokentree-dark", (50, 30), ()),
]
LIVE_SHOTS = {"live-pane"}


async def settle(pilot) -> None:
    await pilot.pause()
    for _ in range(200):
        busy = [w for w in pilot.app.workers if w.is_running and w.group != "watch"]
        if not busy:
            return
        for worker in busy:
            await worker.wait()
        await pilot.pause()


async def shoot(name: str, theme: str, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    from datetime import UTC, datetime

    from tokentree.data.workspace import Options
    from tokentree.ui.app import LivePaneApp, TokenTreeApp

    live = name in LIVE_SHOTS
    now = datetime(2026, 11, 20, 23, 58, 30, tzinfo=UTC)
    app = (LivePaneApp if live else TokenTreeApp)(
        Options(demo=True, tz="UTC"),
        theme=theme,
        watch=False,
        env={"TERM": "xterm-256color", "LANG": "C.UTF-8"},
        state_file=Path(os.environ["TOKENTREE_CACHE_DIR"]) / f"state-{name}.json",
        clock=(lambda: now) if live else None,
    )
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(IMAGES / f"{name}.svg"))
    print(f"wrote docs/images/{name}.svg")


def main(names: list[str]) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TOKENTREE_CACHE_DIR"] = cache
        os.environ["TOKENTREE_CONFIG"] = str(Path(cache) / "no-config.toml")
        for shot in SHOTS:
            if not names or shot[0] in names:
                asyncio.run(shoot(*shot))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(sys.argv[1:])
