"""End to end in a real terminal: the installed ``tokentree`` script inside tmux, with HOME and
the cache in a temp dir. The explorer on a generated corpus: drill two levels, sort, export,
quit. ``tokentree live`` in a 50-column pane on a copy of the demo transcripts: a call appended
to the followed session appears, ``e`` exports the session, ``q`` quits."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")


def script() -> str:
    """The console script installed next to this interpreter (else on PATH)."""
    local = Path(sys.executable).parent / "tokentree"
    return str(local) if local.exists() else (shutil.which("tokentree") or "tokentree")


class Tmux:
    def __init__(
        self, command: str, cwd: Path, env: dict[str, str], size: tuple[int, int] = (120, 40)
    ) -> None:
        self.name = f"tokentree-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v!s}" for k, v in env.items())
        # COLUMNS/LINES inherited by the tmux server would override the pane's real size
        shell = (
            f"cd {cwd} && env -u COLUMNS -u LINES {exports} {command}; "
            f"echo $? > {cwd}/exit-code; sleep 60"
        )
        width, height = (str(n) for n in size)
        subprocess.run(
            [TMUX, "new-session", "-d", "-s", self.name, "-x", width, "-y", height, shell],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            [TMUX, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([TMUX, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} not on screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([TMUX, "kill-session", "-t", self.name], check=False, capture_output=True)


def environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        "HOME": home,
        "XDG_CACHE_HOME": tmp_path / "cache",
        "XDG_CONFIG_HOME": tmp_path / "config",
        "XDG_STATE_HOME": tmp_path / "state",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def wait_for_exit(work: Path) -> str:
    deadline = time.monotonic() + 15
    while not (work / "exit-code").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return (work / "exit-code").read_text().strip()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")
def test_drill_sort_export_quit(tmp_path: Path) -> None:
    from bench.corpus import generate

    generate(tmp_path / "corpus", profile="small", seed=3)
    env = environment(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    corpus = tmp_path / "corpus" / ".claude"
    term = Tmux(f"{script()} --root {corpus} --no-watch --tz UTC", work, env)
    try:
        root = term.wait_for(r"\d[kMB]? tok ")
        assert re.search(r"^ All\s", root, re.M) and "weeks" in root
        term.keys("Enter")
        days = term.wait_for(r"All › \d{4}-W\d\d\s")
        week = re.search(r"All › (\d{4}-W\d\d)", days).group(1)
        term.wait_for(r"\bdays\b.*▼tokens")
        term.keys("Enter")
        sessions = term.wait_for(rf"All › {week} › \d{{4}}-\d\d-\d\d")
        assert "sessions" in sessions
        term.keys("c")
        sorted_screen = term.wait_for(r"▼cost")
        assert "sort cost ▼" in sorted_screen
        term.keys("e")
        found = []
        deadline = time.monotonic() + 20
        while not found and time.monotonic() < deadline:
            found = list(work.glob("tokentree-session-*.json"))
            time.sleep(0.1)
        assert len(found) == 1, term.screen()
        document = json.loads(found[0].read_text())
        assert document["schema"] == "tokentree.export/1"
        assert document["path"][0] == week and len(document["path"]) == 2
        [session] = document["children"]
        assert session["kind"] == "session" and session["children"]
        term.wait_for(r"Exported to")
        term.keys("q")
        assert wait_for_exit(work) == "0"
    finally:
        term.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")
def test_live_pane_follows_exports_and_quits(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tokentree.data.workspace import demo_root

    logs = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", logs)
    latest = "bbf26aa4-a3dc-4316-854e-6757357cf14f"
    transcript = next(logs.rglob(f"{latest}.jsonl"))
    work = tmp_path / "work"
    work.mkdir()
    term = Tmux(f"{script()} live --root {logs}", work, environment(tmp_path), size=(50, 30))
    try:
        screen = term.wait_for(r"─ now")
        assert "atlas-api" in screen and "today" in screen
        term.wait_for(r"●")  # live mode is on: the watcher runs
        lines = transcript.read_text().splitlines()
        record = next(
            json.loads(line)
            for line in reversed(lines)
            if '"assistant"' in line and '"usage"' in line
        )
        now = datetime.now(UTC)
        record["timestamp"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record["requestId"] = record["message"]["id"] = "msg_tmux_live"
        record["message"]["content"] = [
            {"type": "tool_use", "id": "toolu_tmux", "name": "NotebookEdit", "input": {}}
        ]
        with transcript.open("a") as handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        row = term.wait_for(r"NotebookEdit")
        assert re.search(rf"{now:%H:%M}\S* .*NotebookEdit", row), row
        term.keys("e")
        target = work / f"tokentree-session-{latest}.json"
        deadline = time.monotonic() + 20
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        document = json.loads(target.read_text())
        assert document["schema"] == "tokentree.export/1"
        [session] = document["children"]
        assert session["id"] == latest
        call_ids = [call["id"] for turn in session["children"] for call in turn.get("children", [])]
        assert "msg_tmux_live" in call_ids  # the appended call is in the export
        term.keys("q")
        assert wait_for_exit(work) == "0"
    finally:
        term.close()
