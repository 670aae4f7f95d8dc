"""Copilot CLI telemetry: each request once (chat spans, log records, turn totals), the cache
inside the input and the reasoning inside the output in both attribute spellings, turns, tools
and sub-agents, bad lines, where the exports are looked for, the real excerpt and a generated
history — against what the test wrote and the independent reference reader."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from bench.plan import make_plan
from bench.writers import copilot as writer
from tests.conftest import FIXTURES
from tests.data.sources.copilot import build as B
from tests.data.sources.copilot import reference
from tests.data.sources.documents import calls_in_context, day_tokens, read_untouched
from tests.data.sources.truth import TOKEN_KINDS, Truth, tokens_by_day, truth_of, truth_of_calls
from tokentree.data.sources import get

T = B.T0


def calls_with_short_ids(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The calls by the last part of their id."""
    return calls_in_context(document, key=lambda call_id: call_id.split(":")[-1])


def read(root: Path, *extra: str) -> dict[str, Any]:
    return read_untouched("copilot", root, *extra)


def reference_truth(root: Path) -> Truth:
    return truth_of_calls(reference.read_calls(root))


def test_a_turn_counts_its_requests_not_its_total(tmp_path: Path) -> None:
    """The invoke_agent span sums its chat spans; counted together they would double."""
    first, second = B.tokens(5_000, 300, 4_000, 900), B.tokens(6_200, 150, 5_900, 250, reasoning=90)
    B.write(
        tmp_path / "a.jsonl",
        [
            B.chat("c1", "a1", T + 1, T + 5, "claude-sonnet-4.6", first),
            B.tool("x1", "a1", T + 5.2, "view", "call_1", path="src/app.py"),
            B.tool("x2", "a1", T + 5.9, "bash", "call_2", command="pytest -q tests"),
            B.chat("c2", "a1", T + 7, T + 11, "claude-sonnet-4.6", second),
            B.metric(),
            B.agent("a1", None, T, T + 12, usage=B.tokens(11_200, 450, 9_900, 1_150)),
        ],
    )
    document = read(tmp_path)
    # uncached input 5,000 − 4,900 = 100 and 6,200 − 6,150 = 50; reasoning stays inside output
    expected = Truth(2, 150, 450, 9_900, 1_150)
    assert truth_of(document["totals"]) == expected == reference_truth(tmp_path)
    found = calls_with_short_ids(document)
    assert [(t["name"], t["detail"]) for t in found["c1"]["tool_calls"]] == [
        ("Read", "src/app.py"),
        ("Bash", "pytest -q tests"),
    ]
    assert found["c2"]["tool_calls"] == [] and found["c2"]["reasoning"] == 90
    assert found["c1"]["session"] == "76a49557-6eb7-480f-8a57-a74810293b0b"
    assert found["c1"]["turn"]["prompt"] == "(prompt not exported)"
    assert found["c1"]["start"].startswith("2026-05-28T20:26:45")  # the span's end


def test_log_records_of_a_request_count_once(tmp_path: Path) -> None:
    usage = B.tokens(2_000, 100, 1_500)
    B.write(
        tmp_path / "both.jsonl",
        [
            B.chat("c1", "a1", T, T + 2, "gpt-5.4-mini", usage, **{"gen_ai.response.id": "r1"}),
            B.inference_log(T + 2, "gpt-5.4-mini", usage, "r1"),
            B.agent("a1", None, T - 1, T + 3, usage=usage),
        ],
    )
    # a build whose span exporter failed: spans are empty objects, log records carry requests
    other = B.tokens(900, 40, 600)
    B.write(
        tmp_path / "logs-only.jsonl",
        [
            {},
            B.inference_log(T + 60, "gpt-5.4-mini", other, "r2", **{"gen_ai.conversation.id": "k"}),
            {},
        ],
    )
    # nothing but a turn's total: counted from it
    B.write(
        tmp_path / "totals-only.jsonl",
        [B.agent("a9", None, T + 120, T + 130, usage=B.tokens(700, 20, 500), trace="77aa")],
    )
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(3, 500 + 300 + 200, 160, 2_600)
    assert reference_truth(tmp_path) == truth_of(document["totals"])


def test_a_request_written_twice_counts_once(tmp_path: Path) -> None:
    """A span line repeated in its file, and an export copied beside the original (a user
    keeping a backup, a fixed exporter path later moved): one request each."""
    records = [
        B.chat("c1", "a1", T, T + 2, "gpt-5.4-mini", B.tokens(1_000, 50, 800)),
        B.chat("c2", "a1", T + 3, T + 5, "gpt-5.4-mini", B.tokens(1_200, 70, 1_000, 100)),
        B.agent("a1", None, T - 1, T + 6, usage=B.tokens(2_200, 120, 1_800, 100)),
    ]
    B.write(tmp_path / "run.jsonl", [records[0], *records])
    shutil.copy(tmp_path / "run.jsonl", tmp_path / "run-backup.jsonl")
    document = read(tmp_path)
    # uncached input 1,000 − 800 = 200 and 1,200 − 1,100 = 100
    assert truth_of(document["totals"]) == Truth(2, 300, 120, 1_800, 100)
    assert reference_truth(tmp_path) == truth_of(document["totals"])


def test_both_spellings_of_the_cache_and_the_reasoning(tmp_path: Path) -> None:
    B.write(
        tmp_path / "v1062.jsonl",
        [
            B.chat(
                "c1",
                "a1",
                T,
                T + 3,
                "claude-sonnet-4.6",
                B.tokens(21_884, 80, 0, 21_881, dotted=False),
            )
        ],
    )
    B.write(
        tmp_path / "v1084.jsonl",
        [
            B.chat(
                "c2",
                "a2",
                T + 10,
                T + 13,
                "gpt-5.4",
                {
                    "gen_ai.usage.input_tokens": "1200",  # numbers written as strings
                    "gen_ai.usage.output_tokens": 0,
                    "gen_ai.usage.total_tokens": 1_500,  # output only in the total
                    "gen_ai.usage.cache_write.input_tokens": 200,
                    "gen_ai.usage.reasoning_tokens": 100,
                },
                trace="t2",
            ),
            B.chat(  # a redacted export: no numbers left, nothing counted
                "c3",
                "a2",
                T + 20,
                T + 21,
                "gpt-5.4",
                {
                    "gen_ai.usage.input_tokens": "[REDACTED]",
                    "gen_ai.usage.output_tokens": "[REDACTED]",
                },
                trace="t2",
            ),
        ],
    )
    document = read(tmp_path)
    found = calls_with_short_ids(document)
    assert found["c1"]["totals"]["input"] == 3 and found["c1"]["totals"]["cache_write"] == 21_881
    assert [found["c2"]["totals"][k] for k in TOKEN_KINDS] == [1_000, 300, 0, 200]
    assert "c3" not in found and truth_of(document["totals"]).calls == 2


def test_a_sub_agent_is_a_sidechain_of_the_turn(tmp_path: Path) -> None:
    B.write(
        tmp_path / "a.jsonl",
        [
            B.chat("c1", "a1", T + 1, T + 3, "claude-sonnet-4.6", B.tokens(3_000, 50, 2_800)),
            B.chat(
                "s1",
                "sub",
                T + 5,
                T + 7,
                "claude-haiku-4.5",
                B.tokens(800, 30, 0, 790),
                "sub-conversation",
            ),
            B.agent(
                "sub",
                "task",
                T + 4,
                T + 8,
                name="explore",
                usage=B.tokens(800, 30, 0, 790),
                conversation="sub-conversation",
            ),
            B.tool("task", "a1", T + 3.5, "task", "toolu_task", description="find the flaky test"),
            B.chat("c2", "a1", T + 9, T + 11, "claude-sonnet-4.6", B.tokens(3_900, 70, 3_000)),
            B.agent("a1", None, T, T + 12),
        ],
    )
    document = read(tmp_path)
    found = calls_with_short_ids(document)
    assert {k: (c["sidechain"], c["agent_id"]) for k, c in found.items()} == {
        "c1": (False, None),
        "s1": (True, "sub"),
        "c2": (False, None),
    }
    assert len({c["session"] for c in found.values()}) == 1  # the turn's conversation
    assert [t["name"] for t in found["c1"]["tool_calls"]] == ["Task"]
    assert (
        truth_of(document["totals"])
        == reference_truth(tmp_path)
        == Truth(3, 1_110, 150, 5_800, 790)
    )


def test_captured_prompts_label_the_turn(tmp_path: Path) -> None:
    messages = json.dumps(
        [
            {"role": "system", "parts": [{"type": "text", "content": "You are Copilot."}]},
            {"role": "user", "parts": [{"type": "text", "content": "why is CI red?"}]},
        ]
    )
    B.write(
        tmp_path / "a.jsonl",
        [
            B.chat("c1", "a1", T + 1, T + 2, "gpt-5.4", B.tokens(10, 5)),
            B.agent("a1", None, T, T + 3, **{"gen_ai.input.messages": messages}),
        ],
    )
    assert calls_with_short_ids(read(tmp_path))["c1"]["turn"]["prompt"] == "why is CI red?"


def test_bad_lines_never_hide_the_rest(tmp_path: Path) -> None:
    good = B.chat("c1", "a1", T, T + 2, "gpt-5.4", B.tokens(100, 10))
    path = B.write(tmp_path / "a.jsonl", [good], tail='{"type":"span","attri')
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n")  # now a finished line: malformed, counted
        handle.write('{"type":"span","attributes":["not","an","object"]}\n')
        handle.write('"a string"\n\n')  # not a record the exporter writes: counted
        handle.write('{"type":"span","name":"chat gpt-5.4","attri')  # being written: not counted
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(1, 100, 10)
    assert document["skipped_lines"] == 2 and document["unreadable_files"] == 0


def test_where_the_exports_are_looked_for(tmp_path: Path) -> None:
    source = get("copilot")
    home = {"HOME": "/home/u"}
    assert source.default_roots(home, None) == [Path("/home/u/.copilot/otel")]
    assert source.default_roots({**home, "COPILOT_HOME": "/c"}, None) == [Path("/c/otel")]
    named = {**home, "COPILOT_OTEL_FILE_EXPORTER_PATH": "/tmp/run.jsonl"}
    assert source.default_roots(named, None) == [
        Path("/home/u/.copilot/otel"),
        Path("/tmp/run.jsonl"),
    ]
    inside = {**home, "COPILOT_OTEL_FILE_EXPORTER_PATH": "/home/u/.copilot/otel/x.jsonl"}
    assert source.default_roots(inside, None) == [Path("/home/u/.copilot/otel")]
    assert source.match("/x/a.jsonl") == "otel" and source.match("/x/a.json") is None
    assert not source.descend("/home/u/.copilot/session-state") and source.descend("/x/otel")
    copilot = tmp_path / ".copilot"
    (copilot / "session-state").mkdir(parents=True)
    (copilot / "otel").mkdir()
    assert source.root_for(copilot) == copilot / "otel" and source.claims(copilot / "otel")
    B.write(
        tmp_path / "elsewhere" / "run.jsonl", [B.chat("c1", "a1", T, T + 1, "m", B.tokens(1, 1))]
    )
    assert source.claims(tmp_path / "elsewhere" / "run.jsonl")
    assert not source.claims(tmp_path / "elsewhere" / "nothing.jsonl")


def test_the_real_excerpt_of_a_copilot_cli_span(tmp_path: Path) -> None:
    """tokscale#716: a Copilot CLI 1.0.62 chat span as its user pasted it (times and ids trimmed:
    dated when the file was written)."""
    shutil.copy(FIXTURES / "copilot" / "tokscale-716-span.jsonl", tmp_path / "otel.jsonl")
    span = json.loads((tmp_path / "otel.jsonl").read_text())["attributes"]
    document = read(tmp_path)
    assert truth_of(document["totals"]) == Truth(
        1,
        span["gen_ai.usage.input_tokens"] - span["gen_ai.usage.cache_creation_input_tokens"],
        span["gen_ai.usage.output_tokens"],
        0,
        span["gen_ai.usage.cache_creation_input_tokens"],
    )
    assert document["skipped_lines"] == 0


def test_a_generated_history_is_counted_exactly(tmp_path: Path) -> None:
    rng = random.Random(29)
    plan = make_plan(rng, writer.SHAPE, sessions=16, start=date(2026, 4, 1), days=4)
    writer.write(plan, tmp_path, rng)
    root = tmp_path / ".copilot" / "otel"
    document = read(root, "--level", "day")
    tokens = day_tokens(document)
    planned = tokens_by_day(plan.day_totals())
    assert tokens == planned == reference.day_totals(reference.read_calls(root))
    assert document["totals"]["calls"] == plan.totals()["calls"]
