"""Transcripts that are not compact JSON (docs/counting.md, "Lines that are not compact JSON").

Claude Code writes ``{"type":"assistant",…}``; a log that went through another tool may come
back as ``"type": "assistant"``, ``"type" : "assistant"``, with tabs, or pretty-printed and then
joined into one line. Every such variant must read exactly like the compact original.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, export
from tests.data.sources.claude.lines import agent_progress, assistant, iteration, prompt, write
from tests.data.sources.claude.reference import day_totals, read_calls


def _spaced(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _spaced_colon(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", " : "))


def _tabs(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",\t", ":\t"))


def _colon_space_only(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ": "))


def _pretty_one_line(obj: object) -> str:
    """Pretty-printed, then joined into one line (a raw newline only occurs as whitespace:
    JSON escapes it inside strings)."""
    return " ".join(json.dumps(obj, ensure_ascii=False, indent=2).split("\n"))


STYLES: dict[str, Callable[[object], str]] = {
    "spaced": _spaced,
    "space-colon-space": _spaced_colon,
    "tabs": _tabs,
    "colon-space": _colon_space_only,
    "pretty-one-line": _pretty_one_line,
}


def _rewrite(root: Path, style: Callable[[object], str]) -> None:
    for path in root.rglob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()
        loose = [style(json.loads(line)) if line.strip() else line for line in lines]
        assert all('":"' not in line for line in loose if line.startswith("{"))
        path.write_text("\n".join(loose) + "\n", encoding="utf-8")


def _hand_tree(root: Path) -> Path:
    """Prompts, a split response with a tool, an advisor consultation, a subagent seen only
    through agent_progress copies, a compaction boundary."""
    t = "2026-11-20T10:{:02d}:00.000Z"
    sub = assistant(
        "msg_s1", t.format(4), rid="req_s1", out=33, sidechain=True, agent="a9", uuid="s1"
    )
    boundary = json.dumps(
        {
            "parentUuid": None,
            "isSidechain": False,
            "sessionId": "s1",
            "type": "system",
            "subtype": "compact_boundary",
            "content": "Conversation compacted",
            "compactMetadata": {"trigger": "auto", "preTokens": 150_000},
            "uuid": "cb",
            "timestamp": t.format(6),
        },
        separators=(",", ":"),
    )
    write(
        root / "projects" / "p" / "s1.jsonl",
        [
            prompt("fix the parser", t.format(0), uuid="p1"),
            assistant("msg_1", t.format(1), out=2, uuid="a1"),
            assistant(
                "msg_1",
                t.format(1),
                out=90,
                tool="Bash",
                uuid="a2",
                tool_input={"command": "pytest -q"},
            ),
            assistant(
                "msg_2",
                t.format(2),
                out=40,
                uuid="a3",
                iterations=[
                    iteration("message", inp=10, out=20),
                    iteration("advisor_message", model="claude-opus-4-7", inp=900, out=60),
                    iteration("message", inp=0, out=20),
                ],
            ),
            agent_progress(sub, t.format(5), agent="a9", uuid="pg1"),
            boundary,
            prompt("now the docs", t.format(7), uuid="p2"),
            assistant("msg_3", t.format(8), out=70, uuid="a4"),
        ],
    )
    return root


@pytest.mark.parametrize("style", sorted(STYLES))
def test_real_samples_in_every_style_read_as_the_compact_originals(
    claude_samples: Path, style: str
) -> None:
    compact, _ = export("--root", str(claude_samples), "--tz", "UTC")
    _rewrite(claude_samples, STYLES[style])
    document, stderr = export("--root", str(claude_samples), "--tz", "UTC")
    assert "malformed" not in stderr
    compact.pop("generated_at"), document.pop("generated_at")
    assert compact["totals"]["calls"] > 0
    assert document == compact


@pytest.mark.parametrize("style", sorted(STYLES))
def test_copies_advisors_and_boundaries_in_every_style(tmp_path: Path, style: str) -> None:
    root = _hand_tree(tmp_path)
    compact, _ = export("--root", str(root), "--tz", "UTC")
    assert compact["totals"]["calls"] == 5  # msg_1, msg_2, msg_2#advisor1, msg_s1, msg_3
    _rewrite(root, STYLES[style])
    document, stderr = export("--root", str(root), "--tz", "UTC")
    assert "malformed" not in stderr
    compact.pop("generated_at"), document.pop("generated_at")
    assert document == compact
    expected = day_totals(read_calls([root / "projects"]), "UTC")
    assert {d: v["calls"] for d, v in expected.items()} == {"2026-11-20": 5}


def test_a_loose_line_with_invalid_utf8_goes_through_the_tolerant_reader(tmp_path: Path) -> None:
    line = _spaced_colon(json.loads(assistant("msg_1", "2026-11-20T10:00:00.000Z", out=42)))
    raw = line.replace('"text" : "ok"', '"text" : "\udcff"').encode("utf-8", "surrogateescape")
    assert b"\xff" in raw
    path = tmp_path / "projects" / "p" / "s1.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw + b"\n")
    document, stderr = export("--root", str(tmp_path), "--tz", "UTC")
    assert (document["totals"]["calls"], document["totals"]["output"]) == (1, 42)
    assert "malformed" not in stderr


def test_the_fixture_files_are_compact(claude_samples: Path) -> None:
    """The real transcripts are compact: the whitespace-tolerant markers are a fallback only."""
    for path in (FIXTURES / "claude").rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert (
                    json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")) == line
                )
