"""Advisor consultations (docs/counting.md, "Advisor iterations"; ccusage #1115).

When Claude Code's advisor tool runs, the response's ``message.usage.iterations`` holds the
executor's ``message`` iterations (already summed in the top-level usage) and, between them, an
``advisor_message`` entry with its own ``model`` and tokens that the top-level usage leaves out.
Each advisor entry is a billed request of its own model; ``fallback_message`` entries are not
billed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import days_of, export, walk
from tests.data.sources.claude.lines import agent_progress, assistant, iteration, prompt, write
from tests.data.sources.claude.reference import day_totals, read_calls
from tests.data.sources.documents import calls_by_id

SONNET = "claude-sonnet-4-6"
OPUS = "claude-opus-4-7"
T = "2026-11-20T10:{:02d}:{:02d}.000Z"
# The shape of the real line quoted in ccusage #1115: top-level usage = the two message iterations.
ITERATIONS = [
    iteration("message", inp=1, out=45, read=109_696, write5=7_192),
    iteration("advisor_message", model=OPUS, inp=159_419, out=7_805),
    iteration("message", inp=1, out=446, read=116_888, write5=661),
]


def _call(mid: str, second: int, *, out: int, iterations: list | None, **kw: object) -> str:
    return assistant(
        mid,
        T.format(1, second),
        rid=f"req_{mid}",
        model=SONNET,
        inp=2,
        out=out,
        read=226_584,
        write5=7_853,
        iterations=iterations,
        **kw,  # type: ignore[arg-type]
    )


def _check_reference(document: dict, root: Path) -> None:
    keys = ("input", "output", "cache_read", "cache_write", "calls")
    got = {day: {k: n["totals"][k] for k in keys} for day, n in days_of(document).items()}
    assert got == day_totals(read_calls([root]), "UTC")


def _price(model: str, **tokens: int) -> float:
    rates = json.loads(
        (Path(__file__).parents[4] / "tokentree" / "data" / "pricing" / "prices.json").read_text()
    )["models"][model]
    names = {"input": "input", "output": "output", "cache_read": "cache_read"}
    return sum(rates[names[kind]] * count for kind, count in tokens.items())


def test_an_advisor_entry_is_a_call_of_its_own_model(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    write(
        root / "p" / "s1.jsonl",
        [
            prompt("plan the migration", T.format(0, 0)),
            _call("msg_1", 5, out=491, iterations=ITERATIONS),
        ],
    )
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_1", "msg_1#advisor1"]
    executor, advisor = calls["msg_1"], calls["msg_1#advisor1"]
    assert (executor["model"], executor["totals"]["output"], executor["totals"]["input"]) == (
        SONNET,
        491,
        2,
    )
    assert executor["totals"]["cache_read"] == 226_584  # the top-level usage, unchanged
    assert advisor["model"] == OPUS
    assert (advisor["totals"]["input"], advisor["totals"]["output"]) == (159_419, 7_805)
    assert advisor["totals"]["cache_read"] == advisor["totals"]["cache_write"] == 0
    assert advisor["request_id"] == "req_msg_1" and advisor["start"] == executor["start"]
    # priced at the advisor's model (Opus 4.7), not the executor's
    assert advisor["totals"]["cost_usd"] == pytest.approx(
        _price(OPUS, input=159_419, output=7_805), rel=1e-9
    )
    assert not advisor.get("unpriced")
    (turn,) = [n for n in walk(document) if n.get("kind") == "turn"]
    assert turn["totals"]["calls"] == 2  # the consultation belongs to the turn of its call
    _check_reference(document, root)


def test_split_responses_resumes_and_several_consultations_count_each_once(
    tmp_path: Path,
) -> None:
    root = tmp_path / "projects"
    two = [
        *ITERATIONS,
        iteration("advisor_message", model=OPUS, inp=170_002, out=1_204),
        iteration("message", inp=1, out=90, read=118_000, write5=300),
    ]
    lines = [
        _call("msg_1", 1, out=3, iterations=[]),  # an early streaming line: no iterations yet
        _call("msg_1", 4, out=491, iterations=ITERATIONS, tool="Read"),
        _call("msg_2", 9, out=600, iterations=two),
    ]
    write(root / "p" / "s1.jsonl", lines)
    write(root / "p" / "resumed.jsonl", lines)  # --resume copies the history into a new file
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_1", "msg_1#advisor1", "msg_2", "msg_2#advisor1", "msg_2#advisor2"]
    assert calls["msg_2#advisor2"]["totals"]["output"] == 1_204
    assert calls["msg_1"]["totals"]["output"] == 491
    _check_reference(document, root)


def test_fallback_entries_and_plain_iterations_add_nothing(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    plain = [iteration("message", inp=2, out=491, read=226_584, write5=7_853)]
    fallback = [
        iteration("fallback_message", model="claude-opus-4-6", inp=5_000, out=12),
        iteration("message", inp=2, out=491, read=226_584, write5=7_853),
    ]
    write(
        root / "p" / "s1.jsonl",
        [
            _call("msg_1", 1, out=491, iterations=plain),
            _call("msg_2", 2, out=491, iterations=fallback),
            _call("msg_3", 3, out=491, iterations=None),
        ],
    )
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    assert sorted(calls_by_id(document)) == ["msg_1", "msg_2", "msg_3"]
    assert document["totals"]["output"] == 3 * 491
    _check_reference(document, root)


@pytest.mark.parametrize("own_file", [True, False], ids=["own file", "copies only"])
def test_a_subagents_consultation_is_counted_once(tmp_path: Path, own_file: bool) -> None:
    root = tmp_path / "projects"
    sub = _call("msg_s", 7, out=300, iterations=ITERATIONS, sidechain=True, agent="a77")
    parent = [
        _call("msg_1", 1, out=20, iterations=None, tool="Task"),
        agent_progress(sub, T.format(1, 8), agent="a77", uuid="pg1", tool_id="toolu_u"),
    ]
    write(root / "p" / "s1.jsonl", parent)
    if own_file:
        write(root / "p" / "s1" / "subagents" / "agent-a77.jsonl", [sub])
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_1", "msg_s", "msg_s#advisor1"]
    advisor = calls["msg_s#advisor1"]
    assert (advisor["agent_id"], advisor["sidechain"], advisor["model"]) == ("a77", True, OPUS)
    assert advisor["merged_lines"] == (2 if own_file else 1)
    _check_reference(document, root)


def test_odd_iteration_values_never_break_the_line(tmp_path: Path) -> None:
    """Numbers written as strings or floats are read; a non-list or a non-object entry is
    ignored; the line's own call is always counted."""
    root = tmp_path / "projects"
    lines = [
        _call("msg_1", 1, out=10, iterations=None).replace(
            '"service_tier":"standard"',
            '"iterations":{"advisor_message":1},"service_tier":"standard"',
        ),
        _call(
            "msg_2",
            2,
            out=10,
            iterations=[
                "advisor_message",
                {
                    "type": "advisor_message",
                    "model": OPUS,
                    "input_tokens": "12",
                    "output_tokens": 3.0,
                },
            ],
        ),
    ]
    write(root / "p" / "s1.jsonl", lines)
    document, stderr = export("--root", str(tmp_path), "--tz", "UTC")
    calls = calls_by_id(document)
    assert sorted(calls) == ["msg_1", "msg_2", "msg_2#advisor1"]
    assert (
        calls["msg_2#advisor1"]["totals"]["input"],
        calls["msg_2#advisor1"]["totals"]["output"],
    ) == (12, 3)
    assert "malformed" not in stderr


def test_the_tolerant_reader_reads_consultations_as_the_scan_does(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    line = _call("msg_1", 1, out=491, iterations=ITERATIONS).replace(
        '"text":"ok"', '"text":"\udcff"'
    )
    path = root / "p" / "s1.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(line.encode("utf-8", "surrogateescape") + b"\n")  # invalid UTF-8: Python
    document, _ = export("--root", str(tmp_path), "--tz", "UTC")
    assert sorted(calls_by_id(document)) == ["msg_1", "msg_1#advisor1"]
    clean = tmp_path / "clean"
    shutil.copytree(root, clean / "projects")
    (clean / "projects" / "p" / "s1.jsonl").write_text(
        _call("msg_1", 1, out=491, iterations=ITERATIONS) + "\n", encoding="utf-8"
    )
    by_duckdb, _ = export("--root", str(clean), "--tz", "UTC")
    assert document["totals"] == by_duckdb["totals"]
