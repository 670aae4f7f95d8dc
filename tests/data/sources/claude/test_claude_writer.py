"""The plan-driven Claude Code writer (bench/writers/claude.py): whatever quirks it draws, the
plan is the ground truth — tokentree and the reference reader both find it, day by day."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench.plan import Plan, Shape, make_plan
from bench.writers import claude
from tests.conftest import days_of, export
from tests.data.sources.claude.reference import day_totals, read_calls

SHAPE = Shape(
    models=(("claude-sonnet-4-6", 5), ("claude-opus-4-6", 3), ("claude-haiku-4-5-20251001", 2)),
    cache_writes=True,
    advisors=(("claude-opus-4-7", 1),),
    p_advisor=0.08,
)
KEYS = ("calls", "input", "output", "cache_read", "cache_write")


def _plan(seed: int) -> Plan:
    return make_plan(random.Random(seed), SHAPE, sessions=40, start=date(2026, 11, 1), days=12)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path, list[Path]]:
    home = tmp_path_factory.mktemp("home")
    plan = _plan(11)
    return plan, home, claude.write(plan, home, random.Random(11))


@pytest.mark.parametrize("tz", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_tokentree_finds_the_plan_day_by_day(
    written: tuple[Plan, Path, list[Path]], tz: str
) -> None:
    plan, home, _ = written
    document, stderr = export("--root", str(home / ".claude"), "--tz", tz, "--level", "day")
    assert "incomplete line" in stderr  # a session still being written: not a call yet
    got = {day: {k: n["totals"][k] for k in KEYS} for day, n in days_of(document).items()}
    assert got == plan.day_totals(tz)
    reference = day_totals(read_calls([home / ".claude" / "projects"]), tz)
    assert {day: {k: v[k] for k in KEYS} for day, v in reference.items()} == plan.day_totals(tz)


def test_the_quirks_are_there(written: tuple[Plan, Path, list[Path]]) -> None:
    plan, _, paths = written
    assert any(call.advisor for call in plan.calls())
    texts = {path: path.read_bytes() for path in paths if path.suffix == ".jsonl"}
    seen: Counter[str] = Counter()
    subagent_files = {
        p.name[len("agent-") : -len(".jsonl")] for p in texts if p.name[:6] == "agent-"
    }
    copied: set[str] = set()
    for data in texts.values():
        seen["bom"] += data.startswith(b"\xef\xbb\xbf")
        seen["loose"] += b'"type": "assistant"' in data or b'"type" : "assistant"' in data
        seen["advisor"] += b'"advisor_message"' in data
        seen["copies without requestId"] += b'"message":{"type":"assistant"' in data and (
            b'"agent_progress"' in data and b'"context_management":null},"uuid"' in data
        )
        seen["truncated"] += bool(data) and not data.endswith(b"\n")
        seen["empty"] += not data
        for line in data.split(b"\n"):
            if b'"type":"agent_progress"' in line:
                copied.add(line.split(b'"agentId":"')[1].split(b'"')[0].decode())
    seen["copies only"] = len(copied - subagent_files)
    seen["copies and file"] = len(copied & subagent_files)
    ids = {s.id for s in plan.sessions}
    seen["resumed"] = sum(
        1
        for path, data in texts.items()
        if path.stem not in ids
        and not path.name.startswith("agent-")
        and any(f'"sessionId":"{sid}"'.encode() in data for sid in ids)
    )
    for quirk, count in seen.items():
        assert count > 0, quirk
    assert any(p.name.endswith(".meta.json") for p in paths)
    assert all(p.is_file() for p in paths)


def test_the_same_plan_and_seed_write_the_same_bytes(tmp_path: Path) -> None:
    a = claude.write(_plan(5), tmp_path / "a", random.Random(5))
    b = claude.write(_plan(5), tmp_path / "b", random.Random(5))
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
