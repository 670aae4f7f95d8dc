"""Counting a JSONL feed: one hand-made fixture per pitfall, each checked against numbers worked
out by hand and against the independent reference reader (reference.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import days_of, export, walk
from tests.data.sources.documents import call_list
from tests.data.sources.jsonl import reference
from tests.data.sources.jsonl.samples import line, write_lines
from tokentree.data.workspace import Options, Workspace

T0 = "2026-11-20T10:00:00Z"


def rec(ts: Any = T0, model: str = "gpt-4.1", inp: Any = 10, out: Any = 5, **extra: Any) -> str:
    return line(timestamp=ts, model=model, input_tokens=inp, output_tokens=out, **extra)


def read(root: Path, *extra: str) -> tuple[dict[str, Any], str]:
    return export("--root", f"jsonl={root}", "--tz", "UTC", "--no-annotate", *extra)


def totals(document: dict[str, Any]) -> tuple[int, ...]:
    t = document["totals"]
    return (t["calls"], t["input"], t["output"], t["cache_read"], t["cache_write"])


def reference_totals(root: Path) -> tuple[int, ...]:
    calls = reference.read_calls([root])
    return (
        len(calls),
        sum(c.input for c in calls),
        sum(c.output for c in calls),
        sum(c.cache_read for c in calls),
        sum(c.cache_write for c in calls),
    )


def test_offsets_put_each_call_on_its_own_day(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "tz.jsonl",
        [
            rec("2026-11-20T23:30:00-05:00", inp=1),  # 2026-11-21 04:30 UTC
            rec("2026-11-21T00:30:00+02:00", inp=2),  # 2026-11-20 22:30 UTC
            rec("2026-11-20 12:00:00+0530", inp=4),  # 06:30 UTC, space separator
            rec("2026-11-20T12:00Z", inp=8),  # no seconds
            rec("2026-11-20T12:00:00.123456789+00:00", inp=16),  # nanoseconds
        ],
    )
    utc, _ = read(tmp_path, "--level", "day")
    assert {day: d["totals"]["input"] for day, d in days_of(utc).items()} == {
        "2026-11-20": 2 + 4 + 8 + 16,
        "2026-11-21": 1,
    }
    tokyo, _ = export("--root", f"jsonl={tmp_path}", "--tz", "Asia/Tokyo", "--level", "day")
    assert {day: d["totals"]["input"] for day, d in days_of(tokyo).items()} == {
        "2026-11-20": 4 + 8 + 16,  # 15:30-21:00 in Tokyo
        "2026-11-21": 1 + 2,  # 13:30 and 07:30
    }
    by_day = reference.day_totals(reference.read_calls([tmp_path]), "Asia/Tokyo")
    assert {day: t["input"] for day, t in by_day.items()} == {"2026-11-20": 28, "2026-11-21": 3}


def test_epoch_timestamps_in_every_unit_are_the_same_instant(tmp_path: Path) -> None:
    instant = 1763632800  # 2025-11-20T10:00:00Z
    write_lines(
        tmp_path / "epoch.jsonl",
        [
            rec(instant, request_id="s"),
            rec(instant * 1000, request_id="ms"),
            rec(instant * 1_000_000, request_id="us"),
            rec(instant * 1_000_000_000, request_id="ns"),
            rec(str(instant), request_id="string"),
            rec(instant + 0.5, request_id="fraction"),
        ],
    )
    document, _ = read(tmp_path, "--level", "call")
    starts = {c["id"]: c["start"] for c in call_list(document)}
    same = "2025-11-20T10:00:00.000+00:00"
    assert starts == {
        "s": same,
        "ms": same,
        "us": same,
        "ns": same,
        "string": same,
        "fraction": "2025-11-20T10:00:00.500+00:00",
    }


def test_numbers_may_be_strings_or_floats(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "n.jsonl",
        [
            rec(inp="100", out="7", cache_read_tokens="1e3", cache_write_tokens=40.0),
            rec(inp=12.5, out=2.4, cache_read_tokens="0"),  # rounded: 13 and 2
        ],
    )
    document, stderr = read(tmp_path)
    assert totals(document) == (2, 113, 9, 1000, 40) == reference_totals(tmp_path)
    assert document["skipped_lines"] == 0, stderr


def test_bad_records_are_skipped_and_counted_never_fatal(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "bad.jsonl",
        [
            rec(inp=1),  # good
            line(timestamp=T0, input_tokens=1, output_tokens=1),  # no model
            line(timestamp=T0, model="m", input_tokens=1),  # no output_tokens
            line(model="m", input_tokens=1, output_tokens=1),  # no timestamp
            rec(inp=None),  # null required field
            rec(inp=-5),  # negative
            rec(inp="lots"),  # not a number
            rec(cache_read_tokens=-1),  # negative optional field
            rec("2026-11-20T10:00:00"),  # no offset: ambiguous
            rec("yesterday"),
            rec(inp=10, cache_read_tokens=20, cached_included=True),  # cache exceeds input
            rec(cache_write_tokens=5, cache_write_1h_tokens=6),  # 1h part exceeds the whole
            "[1, 2]",
            "{not json",
            "",  # empty lines are not records
            rec(inp=2, reasoning_tokens="n/a", cost_usd="free"),  # informational: ignored
        ],
    )
    document, stderr = read(tmp_path)
    assert totals(document) == (2, 3, 10, 0, 0) == reference_totals(tmp_path)
    assert document["skipped_lines"] == 13
    assert "skipped 13 malformed lines in 1 file" in stderr


def test_a_request_id_counts_once_across_lines_and_files(tmp_path: Path) -> None:
    write_lines(tmp_path / "a.jsonl", [rec(out=5, request_id="r1"), rec(out=9, request_id="r2")])
    write_lines(
        tmp_path / "rotated" / "b.jsonl",
        [
            rec(out=7, request_id="r1"),  # the same request seen again: the largest output wins
            rec(out=7, request_id="r1"),
            rec(out=3),
            rec(out=3),  # no request id: never merged, even when identical
        ],
    )
    document, _ = read(tmp_path, "--level", "call")
    assert totals(document) == (4, 40, 7 + 9 + 3 + 3, 0, 0) == reference_totals(tmp_path)
    merged = next(c for c in call_list(document) if c["id"] == "r1")
    assert merged["request_id"] == "r1" and merged["merged_lines"] == 3


def test_cached_included_turns_prompt_tokens_into_uncached_input(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "openai.jsonl",
        [
            rec(inp=2006, out=300, cache_read_tokens=1920, cached_included=True),
            rec(inp=15635, out=10, cache_write_tokens=15624, cached_included="true"),
            rec(inp=50, out=1, cache_read_tokens=20, cached_included=False),
        ],
    )
    document, _ = read(tmp_path)
    assert totals(document) == (3, 86 + 11 + 50, 311, 1940, 15624) == reference_totals(tmp_path)


def test_cost_reported_or_priced_and_unknown_models_unpriced(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "cost.jsonl",
        [
            rec(model="gpt-4.1", inp=1_000_000, out=0, cost_usd=0.25, request_id="reported"),
            rec(model="gpt-4.1", inp=1_000_000, out=0, cost_usd=-1, request_id="negative"),
            rec(model="my-local-llama", inp=100, out=10, request_id="unpriced"),
            rec(model="my-local-llama", inp=100, out=10, cost_usd="0", request_id="free"),
        ],
    )
    document, _ = read(tmp_path, "--level", "call")
    calls = {c["id"]: c for c in call_list(document)}
    assert calls["reported"]["totals"]["cost_usd"] == pytest.approx(0.25)
    # an invalid reported cost is ignored: priced from the model (gpt-4.1 input: $2 per million)
    assert calls["negative"]["totals"]["cost_usd"] == pytest.approx(2.0)
    assert calls["unpriced"].get("unpriced") is True
    assert calls["free"].get("unpriced") is None and calls["free"]["totals"]["cost_usd"] == 0
    assert document["unpriced_calls"] == 1


def test_a_huge_line_is_counted(tmp_path: Path) -> None:
    big = rec(inp=3, out=4, messages=[{"role": "user", "content": "x" * (10 << 20)}])
    write_lines(tmp_path / "huge.jsonl", [rec(inp=1), big, rec(inp=2)])
    document, stderr = read(tmp_path)
    assert totals(document) == (3, 6, 14, 0, 0) == reference_totals(tmp_path)
    assert document["skipped_lines"] == 0, stderr


def test_a_byte_order_mark_does_not_cost_the_first_record(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (rec(inp=1) + "\n" + rec(inp=2) + "\n").encode())
    document, stderr = read(tmp_path)
    assert totals(document)[:2] == (2, 3) == reference_totals(tmp_path)[:2]
    assert document["skipped_lines"] == 0, stderr


def test_a_truncated_last_line_waits_for_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    last = rec(inp=20, request_id="late")
    path.write_text(rec(inp=1) + "\n" + last[:25], encoding="utf-8")
    document, stderr = read(tmp_path)
    assert totals(document)[:2] == (1, 1) and document["skipped_lines"] == 0
    assert "incomplete line" in stderr
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(last[25:] + "\n")
    document, stderr = read(tmp_path)  # a new process, from the cache: the tail is read
    assert totals(document)[:2] == (2, 21) == reference_totals(tmp_path)[:2]
    assert "incomplete" not in stderr


def test_identical_lines_without_request_id_are_never_merged_across_appends(
    tmp_path: Path,
) -> None:
    path = write_lines(tmp_path / "script.jsonl", [rec(), rec()])
    workspace = Workspace(Options(roots=[("jsonl", tmp_path)], tz="UTC"))
    try:
        workspace.refresh()
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(rec() + "\n" + rec() + "\n")
        report = workspace.refresh()
        assert report.files_appended == 1  # only the tail was read
        workspace.store.build(workspace.view)
        assert workspace.store.scalar("SELECT count(*) FROM calls") == 4
    finally:
        workspace.close()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(rec() + "\n")
    document, _ = read(tmp_path, "--level", "call")  # a new process: cache + appended tail
    assert totals(document)[0] == 5 == reference_totals(tmp_path)[0]
    assert len({c["id"] for c in call_list(document)}) == 5


def test_sessions_projects_and_services(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "mixed.jsonl",
        [
            rec(session_id="run-7", project="atlas", service="aider", inp=1),
            rec(session_id="run-7", project="atlas", service="aider", inp=2),
            rec(project="atlas", service="batch", inp=4),
            rec(project="atlas", service="batch", inp=8),
            rec(service="batch", inp=16),
            rec(inp=32),
        ],
    )
    write_lines(tmp_path / "other.jsonl", [rec(inp=64)])
    document, _ = read(tmp_path, "--level", "session")
    sessions = {
        (s["project"], s["totals"]["input"]) for s in walk(document) if s.get("kind") == "session"
    }
    # explicit session; one per file, service and project otherwise; project (service) labels
    assert sessions == {
        ("atlas (aider)", 3),
        ("atlas (batch)", 12),
        ("batch", 16),
        ("?", 32),
        ("?", 64),
    }
    explicit = next(s for s in walk(document) if s.get("id") == "run-7")
    assert explicit["source"] == "jsonl" and explicit["label"].startswith("atlas (aider) · ")


def test_tools_and_reasoning_reach_the_calls(tmp_path: Path) -> None:
    write_lines(
        tmp_path / "tools.jsonl",
        [
            rec(out=50, reasoning_tokens=20, request_id="t1",
                tools=["Bash", {"name": "Read", "detail": "src/app.py", "id": "c1"}]),
        ],
    )  # fmt: skip
    document, _ = read(tmp_path, "--level", "call")
    (call,) = call_list(document)
    assert call["tools"] == ["Bash", "Read"] and call["reasoning"] == 20
    assert {"id": "c1", "name": "Read", "detail": "src/app.py"} in call["tool_calls"]
    assert call["totals"]["output"] == 50  # reasoning is part of output, never added


def test_clean_files_are_read_by_duckdb_in_bulk(tmp_path: Path) -> None:
    write_lines(tmp_path / "a.jsonl", [rec(inp=i) for i in range(50)])
    write_lines(tmp_path / "b.jsonl", [rec(inp=1, tools=["Bash"]), json.dumps({"x": 1})])
    workspace = Workspace(Options(roots=[("jsonl", tmp_path)], tz="UTC", use_cache=False))
    try:
        report = workspace.refresh()
        assert report.files_read == 2 and report.files_reread_tolerant == 0
        assert report.skipped_lines == 1
    finally:
        workspace.close()
