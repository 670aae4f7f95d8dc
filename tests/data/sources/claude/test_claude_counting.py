"""Counting rules: every billed call once, with the right tokens (docs/counting.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, days_of, export, walk
from tests.data.sources.claude.lines import assistant, prompt, write
from tests.data.sources.claude.reference import day_totals, read_calls

# Per-file figures measured independently in the format research (formats.md §1.5 table):
# (distinct calls, output with the max line kept, cache reads after dedup).
RESEARCH_FIGURES = {
    "1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl": (7, 953, 103_219),
    "5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl": (20, 3_629, 324_259),
    "spotter/short.jsonl": (1, 13, 11_515),
    "spotter/tool_heavy.jsonl": (4, 212, 88_231),
    "spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl": (3, 7, 29_274),
}


@pytest.mark.parametrize("name", sorted(RESEARCH_FIGURES))
def test_real_files_match_independent_research_figures(name: str, tmp_path: Path) -> None:
    target = tmp_path / "projects" / "p" / Path(name).name
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "claude" / name, target)
    document, _ = export("--root", str(tmp_path), "--tz", "UTC", "--level", "week")
    calls, output, cache_read = RESEARCH_FIGURES[name]
    totals = document["totals"]
    assert (totals["calls"], totals["output"], totals["cache_read"]) == (calls, output, cache_read)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"])
def test_samples_match_reference_reader_per_day(claude_samples: Path, tz: str) -> None:
    document, _ = export("--root", str(claude_samples), "--tz", tz, "--level", "day")
    expected = day_totals(read_calls([claude_samples]), tz)
    got = {
        day: {
            k: node["totals"][k] for k in ("input", "output", "cache_read", "cache_write", "calls")
        }
        for day, node in days_of(document).items()
    }
    assert got == expected


def test_generated_corpus_matches_reference_and_ground_truth(small_corpus) -> None:
    root, manifest = small_corpus
    document, _ = export("--root", str(root), "--tz", "UTC", "--level", "day")
    reference = day_totals(read_calls([root]), "UTC")
    got = {
        day: {
            k: node["totals"][k] for k in ("input", "output", "cache_read", "cache_write", "calls")
        }
        for day, node in days_of(document).items()
    }
    assert got == reference
    truth = manifest.totals()
    totals = document["totals"]
    assert totals["calls"] == truth["calls"]
    for kind in ("input", "output", "cache_read", "cache_write"):
        assert totals[kind] == truth[kind], kind


def test_lines_re_serialised_with_spaces_count_the_same(claude_samples: Path) -> None:
    """Logs rewritten by ``json.dumps`` (``": "`` separators) are not ignored: the whole tree,
    prompts and tools included, equals that of the compact originals."""
    compact, _ = export("--root", str(claude_samples), "--tz", "UTC")
    for path in claude_samples.rglob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()
        spaced = [
            json.dumps(json.loads(line), ensure_ascii=False) if line.strip() else line
            for line in lines
        ]
        assert all('":"' not in line for line in spaced if line.startswith("{"))
        path.write_text("\n".join(spaced) + "\n", encoding="utf-8")
    document, stderr = export("--root", str(claude_samples), "--tz", "UTC")
    assert "malformed" not in stderr
    assert compact["totals"]["calls"] > 0
    for key in ("generated_at",):
        compact.pop(key), document.pop(key)
    assert document == compact


def _single(tmp_path: Path, lines: list[str], name: str = "s1.jsonl") -> Path:
    write(tmp_path / "projects" / "p" / name, lines)
    return tmp_path


def test_split_response_keeps_the_line_with_the_largest_output(tmp_path: Path) -> None:
    ts = "2026-11-20T10:00:0{}.000Z"
    lines = [
        assistant("msg_1", ts.format(1), out=1, read=900, uuid="a"),
        assistant("msg_1", ts.format(2), out=9, read=900, tool="Read", uuid="b"),
        assistant("msg_1", ts.format(3), out=240, read=900, tool="Bash", uuid="c"),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    totals = document["totals"]
    assert (totals["calls"], totals["output"], totals["cache_read"]) == (1, 240, 900)
    (call,) = [n for n in walk(document) if n.get("kind") == "call"]
    assert sorted(call["tools"]) == ["Bash", "Read"]  # union over all lines of the call
    assert call["merged_lines"] == 3


def test_copies_in_resumed_files_are_counted_once(tmp_path: Path) -> None:
    original = [assistant("msg_1", "2026-11-20T10:00:00.000Z", out=50, uuid="a")]
    resumed = [*original, assistant("msg_2", "2026-11-21T10:00:00.000Z", out=70, uuid="b")]
    write(tmp_path / "projects" / "p" / "first.jsonl", original)
    write(tmp_path / "projects" / "p" / "second.jsonl", resumed)
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    assert (document["totals"]["calls"], document["totals"]["output"]) == (2, 120)


def test_sidechain_replay_of_a_parent_message_is_dropped(tmp_path: Path) -> None:
    lines = [
        assistant("msg_1", "2026-11-20T10:00:00.000Z", rid="req_a", out=50, uuid="a"),
        # /btw-style replay: same message id, new request id, on a sidechain
        assistant(
            "msg_1", "2026-11-20T10:05:00.000Z", rid="req_b", out=50, sidechain=True, uuid="b"
        ),
        # a genuine subagent call
        assistant(
            "msg_2",
            "2026-11-20T10:06:00.000Z",
            rid="req_c",
            out=7,
            sidechain=True,
            agent="ab12",
            uuid="c",
        ),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    assert (document["totals"]["calls"], document["totals"]["output"]) == (2, 57)


def test_hook_progress_and_synthetic_lines_carry_no_tokens(tmp_path: Path) -> None:
    """Progress lines other than agent_progress copies (tests/data/sources/claude/) and
    ``<synthetic>`` API-error lines are not calls."""
    real = assistant("msg_1", "2026-11-20T10:00:00.000Z", out=30, uuid="a")
    progress = (
        '{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/x","sessionId":"s1",'
        '"version":"2.1.38","gitBranch":"main","type":"progress","data":{"type":"hook_progress",'
        '"hookEvent":"PostToolUse","message":'
        + assistant("msg_9", "2026-11-20T10:00:01.000Z", out=999, uuid="z")
        + "},"
        '"uuid":"pp","timestamp":"2026-11-20T10:00:02.000Z"}'
    )
    synthetic = (
        '{"type":"assistant","isApiErrorMessage":true,"message":{"id":"0d5a","model":"<synthetic>",'
        '"role":"assistant","content":[{"type":"text","text":"API Error"}],'
        '"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},'
        '"sessionId":"s1","timestamp":"2026-11-20T10:01:00.000Z"}'
    )
    document, _ = export(
        "--root", str(_single(tmp_path, [real, progress, synthetic])), "--tz", "UTC"
    )
    assert (document["totals"]["calls"], document["totals"]["output"]) == (1, 30)


def test_request_id_missing_still_dedupes_by_message_id(tmp_path: Path) -> None:
    lines = [
        assistant("msg_1", "2026-11-20T10:00:00.000Z", rid=None, out=3, uuid="a"),
        assistant("msg_1", "2026-11-20T10:00:01.000Z", rid=None, out=8, uuid="b"),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    assert (document["totals"]["calls"], document["totals"]["output"]) == (1, 8)


def test_lines_without_message_id_are_never_merged(tmp_path: Path) -> None:
    lines = [
        assistant(None, "2026-11-20T10:00:00.000Z", out=3, uuid="a"),
        assistant(None, "2026-11-20T10:00:01.000Z", out=3, uuid="b"),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    assert (document["totals"]["calls"], document["totals"]["output"]) == (2, 6)


def test_cache_writes_use_the_5m_1h_split_when_present(tmp_path: Path) -> None:
    lines = [assistant("msg_1", "2026-11-20T10:00:00.000Z", write5=100, write1h=40, uuid="a")]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    (call,) = [n for n in walk(document) if n.get("kind") == "call"]
    assert (call["cache_write_5m"], call["cache_write_1h"], call["totals"]["cache_write"]) == (
        100,
        40,
        140,
    )
    # 1-hour writes cost 2x input, 5-minute writes 1.25x (sonnet-4.5: 3 $/MTok input, 15 output)
    expected = (10 * 3 + 5 * 15 + 100 * 3.75 + 40 * 6) / 1e6
    assert call["totals"]["cost_usd"] == pytest.approx(expected, abs=2**-31)  # one rounding


def test_unknown_models_are_marked_unpriced_not_free(tmp_path: Path) -> None:
    lines = [
        assistant("msg_1", "2026-11-20T10:00:00.000Z", model="claude-imaginary-9", uuid="a"),
        assistant("msg_2", "2026-11-20T10:01:00.000Z", uuid="b"),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    assert document["unpriced_calls"] == 1
    calls = {n["model"]: n for n in walk(document) if n.get("kind") == "call"}
    assert calls["claude-imaginary-9"]["unpriced"] is True
    assert calls["claude-imaginary-9"]["totals"]["cost_usd"] == 0.0
    assert "unpriced" not in calls["claude-sonnet-4-5-20250929"]


def test_a_prompt_starts_a_turn_and_earlier_calls_form_the_pre_turn(tmp_path: Path) -> None:
    lines = [
        assistant("msg_0", "2026-11-20T09:59:00.000Z", uuid="a0"),
        prompt("fix the auth bug", "2026-11-20T10:00:00.000Z", uuid="p1"),
        assistant("msg_1", "2026-11-20T10:00:05.000Z", uuid="a1"),
        prompt(
            "<local-command-stdout>ok</local-command-stdout>", "2026-11-20T10:01:00.000Z", uuid="x"
        ),
        prompt("now add tests", "2026-11-20T10:02:00.000Z", uuid="p2"),
        assistant("msg_2", "2026-11-20T10:02:05.000Z", uuid="a2"),
        assistant("msg_3", "2026-11-20T10:02:09.000Z", uuid="a3"),
    ]
    document, _ = export("--root", str(_single(tmp_path, lines)), "--tz", "UTC")
    turns = {n["id"]: n for n in walk(document) if n.get("kind") == "turn"}
    assert set(turns) == {"s1:pre", "p1", "p2"}
    assert [turns[t]["totals"]["calls"] for t in ("s1:pre", "p1", "p2")] == [1, 1, 2]
    assert turns["p2"]["label"].startswith('"now add tests"')
