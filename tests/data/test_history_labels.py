"""Claude Code's ``history.jsonl`` labels archived sessions that hold no prompt: by session id,
or by working directory and time; sessions with prompts, or still on disk, are left alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import walk
from tests.data.sources.claude.lines import assistant, prompt, write
from tests.data.test_archive import export_root, sessions, tree_of

ATLAS = "/home/dev/src/atlas"
BORON = "/home/dev/src/boron"


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def history_line(text: str, at: str, project: str, session: str | None = None) -> str:
    entry = {"display": text, "pastedContents": {}, "timestamp": ms(at), "project": project}
    if session:
        entry["sessionId"] = session
    return json.dumps(entry)


def test_history_labels_archived_sessions_without_prompts(tmp_path: Path) -> None:
    home = tmp_path / "claude"
    projects = home / "projects"
    with_id = write(
        projects / "atlas" / "s9.jsonl",
        [
            assistant("m1", "2026-11-20T10:00:05.000Z", session="s9", rid="r1", uuid="a1"),
            assistant("m2", "2026-11-20T10:05:05.000Z", session="s9", rid="r2", uuid="a2"),
        ],
    )
    by_time = write(
        projects / "boron" / "s8.jsonl",
        [assistant("m3", "2026-11-20T11:00:05.000Z", session="s8", rid="r3", cwd=BORON)],
    )
    own = write(
        projects / "atlas" / "s7.jsonl",
        [
            prompt("its own prompt", "2026-11-20T12:00:00.000Z", session="s7", uuid="p7"),
            assistant("m4", "2026-11-20T12:00:05.000Z", session="s7", rid="r4", uuid="a4"),
        ],
    )
    write(
        home / "history.jsonl",
        [
            history_line("fix the flaky test", "2026-11-20T10:00:00", ATLAS, "s9"),
            history_line("now the docs", "2026-11-20T10:05:00", ATLAS, "s9"),
            history_line("port it to rust", "2026-11-20T11:00:00", BORON),
            history_line("elsewhere at that time", "2026-11-20T11:00:01", ATLAS),
            history_line("never typed in s7", "2026-11-20T12:00:00", ATLAS, "s7"),
            "{broken",
        ],
    )
    before = export_root(projects)
    assert sessions(before)["s9"]["first_prompt"] is None  # on disk: not labelled
    for path in (with_id, by_time, own):
        path.unlink()

    after = export_root(projects)
    assert after["totals"] == before["totals"]
    found = sessions(after)
    assert all(s["archived"] for s in found.values())
    assert found["s9"]["first_prompt"] == "fix the flaky test"
    assert '"fix the flaky test"' in found["s9"]["label"]
    turns = [n["prompt"] for n in walk(found["s9"]) if n["kind"] == "turn"]
    assert turns == ["fix the flaky test", "now the docs"]
    assert found["s8"]["first_prompt"] == "port it to rust"
    assert found["s7"]["first_prompt"] == "its own prompt"
    again = export_root(projects)  # served from the cache: the same labels
    assert again["children"] == after["children"]
    assert tree_of(export_root(projects, "--no-cache")) == tree_of(after)
