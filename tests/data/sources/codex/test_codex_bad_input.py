"""Bad Codex input never crashes and never hides good data: a line still being written, bytes
that are not UTF-8, escapes DuckDB rejects, a line longer than DuckDB reads, a corrupt zstd
frame, numbers written as strings."""

from __future__ import annotations

import json
from pathlib import Path

from bench.writers import codex_lines as cx
from tests.conftest import run_cli, walk
from tests.data.sources.codex.pitfalls import (
    CWD,
    at,
    expect,
    request,
    rollout,
    thread_id,
    totals,
    u,
)

A, B, C = u(1000, 0, 100), u(2000, 900, 200), u(700, 300, 70)
ROOT = thread_id(1)


def _session(*extra: str) -> list[str]:
    return [
        cx.session_meta(at(0), ROOT, CWD),
        *request(at(10), A, A),
        *extra,
        *request(at(30), A + B, B),
    ]


def test_a_line_still_being_written_is_left_for_later(tmp_path: Path) -> None:
    path = rollout(tmp_path, ROOT, _session())
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(cx.token_count(at(40), A + B + C, C)[:70])  # no newline yet
    found, document = totals(tmp_path)
    assert found == expect(A, B)
    assert document["skipped_lines"] == 0


def test_invalid_utf8_and_rejected_escapes_cost_nothing(tmp_path: Path) -> None:
    broken_text = cx.message(at(12), "assistant", "caf\udce9").encode("utf-8", "surrogateescape")
    lone = cx.function_call(at(20), "exec_command", {"cmd": "echo \ud800"}, "c1")
    lines = _session(lone).copy()
    data = "\n".join(lines).encode("utf-8", "surrogatepass").replace(b"\xed\xa0\x80", b"\\ud800")
    parts = data.split(b"\n")
    parts.insert(2, broken_text)
    path = rollout(tmp_path, ROOT, [])
    path.write_bytes(b"\n".join(parts) + b"\n")
    found, document = totals(tmp_path)
    assert found == expect(A, B)
    tools = [t for n in walk(document) if n.get("kind") == "call" for t in n["tools"]]
    assert tools == ["exec_command"]


def test_a_line_longer_than_duckdb_reads(tmp_path: Path) -> None:
    huge = cx.tool_output(at(12), "c0", "x" * (9 << 20))
    rollout(tmp_path, ROOT, _session(huge))
    found, document = totals(tmp_path)
    assert found == expect(A, B) and document["skipped_lines"] == 0


def test_garbage_lines_and_numbers_as_strings(tmp_path: Path) -> None:
    odd = json.loads(cx.token_count(at(40), A + B + C, C))
    odd["payload"]["info"]["total_token_usage"]["input_tokens"] = str((A + B + C).input)
    odd["payload"]["info"]["total_token_usage"]["output_tokens"] = float((A + B + C).output)
    rollout(
        tmp_path,
        ROOT,
        [
            *_session("not json at all", "[1, 2, 3]", '{"type":"event_msg","payload":'),
            json.dumps(odd),
        ],
    )
    found, document = totals(tmp_path)
    assert found == expect(A, B, C)
    assert document["skipped_lines"] == 3  # the three lines that are not JSON objects


def test_a_corrupt_zstd_file_is_reported_and_the_rest_counted(tmp_path: Path) -> None:
    rollout(tmp_path, ROOT, _session())
    other = thread_id(2)
    bad = rollout(tmp_path, other, [cx.session_meta(at(50), other, CWD)], compressed=True)
    bad.write_bytes(bad.read_bytes()[:-3])  # a partial copy
    code, out, err = run_cli("export", "--json", "--root", f"codex={tmp_path}", "--tz", "UTC")
    assert code == 0
    document = json.loads(out)
    assert document["totals"]["calls"] == 2
    assert document["unreadable_files"] == 1 and "could not read" in err
