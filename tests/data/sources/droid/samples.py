"""Conformance samples for Factory Droid: a sessions directory with a session (settings and
conversation), its subagent session, and a session in another folder without a conversation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench.writers import droid as D
from tests.data.sources.truth import Truth

MAIN = "aaaaaaaa-1111-4111-8111-111111111111"
SUB = "bbbbbbbb-2222-4222-8222-222222222222"
OTHER = "cccccccc-3333-4333-8333-333333333333"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
USAGE = {"inputTokens": 120, "outputTokens": 40, "cacheCreationTokens": 200,
         "cacheReadTokens": 3000, "thinkingTokens": 10}  # fmt: skip


def write_sample(root: Path) -> Truth:
    atlas = root / "-home-dev-src-atlas"
    start = D.session_start(MAIN, "/home/dev/src/atlas", "fix the parser")
    prompt = D.message(T0, "user", [{"type": "text", "text": "fix the parser"}], "m1")
    tool = {"type": "tool_use", "id": "t1", "name": "Execute", "input": {"command": "pytest -q"}}
    reply = D.message(T0, "assistant", [tool], "m2")
    D.write_session(atlas, MAIN, D.settings("claude-sonnet-4-5-20250929", T0, USAGE),
                    [start, prompt, reply])  # fmt: skip
    sub = {"inputTokens": 15, "outputTokens": 9, "cacheReadTokens": 500}
    D.write_session(atlas, SUB, D.settings("claude-sonnet-4-5-20250929", T0, sub),
                    [D.session_start(SUB, "/home/dev/src/atlas", "look", caller=MAIN)])  # fmt: skip
    other = {"inputTokens": 70, "outputTokens": 30}
    D.write_session(root / "-home-dev-src-billing", OTHER, D.settings("gpt-5.1-codex", T0, other),
                    None)  # fmt: skip
    return Truth(calls=3, input=205, output=89, cache_read=3500, cache_write=200)


def grow(root: Path) -> Truth:
    """Droid rewrites the settings after another model call."""
    usage = {**USAGE, "inputTokens": 131, "outputTokens": 44, "cacheReadTokens": 3300}
    path = root / "-home-dev-src-atlas" / f"{MAIN}.settings.json"
    path.write_text(path.read_text().replace('"inputTokens": 120', '"inputTokens": 131')
                    .replace('"outputTokens": 40', '"outputTokens": 44')
                    .replace('"cacheReadTokens": 3000', '"cacheReadTokens": 3300'))  # fmt: skip
    assert usage["inputTokens"] == 131
    return Truth(calls=0, input=11, output=4, cache_read=300)


def data_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.settings.json"))
