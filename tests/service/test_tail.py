"""Reading the calls appended to a transcript, on real files: whole lines only, streaming
snapshots of one message counted once, what is not a main-thread call left out, a replaced or
over-long tail not read."""

from __future__ import annotations

import json
from pathlib import Path

from tokentree.service.tail import parse_call, read_tail


def assistant(
    message_id: str,
    output: int,
    *,
    second: int = 0,
    sidechain: bool = False,
    model: str = "claude-sonnet-4-6",
    creation: dict | None = None,
) -> str:
    usage = {
        "input_tokens": 3,
        "output_tokens": output,
        "cache_read_input_tokens": 1_000,
        "cache_creation_input_tokens": 200,
    }
    if creation is not None:
        usage["cache_creation"] = creation
    record = {
        "type": "assistant",
        "isSidechain": sidechain,
        "timestamp": f"2026-11-20T12:00:{second:02d}.000Z",
        "requestId": f"req_{message_id}",
        "message": {"id": message_id, "model": model, "usage": usage},
    }
    return json.dumps(record, separators=(",", ":")) + "\n"


def test_appended_calls_whole_lines_only(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    head = '{"type":"user","message":{"content":"hi"}}\n'
    path.write_text(head)
    start = path.stat().st_size
    with path.open("a") as handle:
        handle.write(assistant("msg_1", 10))
        handle.write(assistant("msg_1", 40, second=1))  # a later snapshot of the same message
        handle.write(assistant("msg_2", 7, second=2, sidechain=True))  # a subagent's: later
        handle.write(assistant("msg_3", 5, second=3, model="<synthetic>"))
        handle.write(  # a partial last line: the assistant is still writing it
            '{"type":"assistant","timestamp":"2026-11-20T12:00:09Z",'
            '"message":{"id":"msg_4","model":"claude-sonnet-4-6","usage":{"output_tokens":9'
        )
    tail = read_tail(str(path), start)
    assert list(tail.calls) == ["msg_1"]
    call = tail.calls["msg_1"]
    assert call.counts == (3, 40, 200, 0, 1_000) and call.tokens == 1_243
    partial_at = path.read_bytes().rindex(b"\n") + 1
    assert tail.offset == partial_at  # the partial line waits for its newline

    with path.open("a") as handle:
        handle.write("}}}\n")
    again = read_tail(str(path), tail.offset, tail.calls)
    assert set(again.calls) == {"msg_1", "msg_4"}
    assert again.calls["msg_4"].counts == (0, 9, 0, 0, 0)
    assert again.offset == path.stat().st_size


def test_cache_write_split_and_fast_mode() -> None:
    line = assistant(
        "m", 1, creation={"ephemeral_5m_input_tokens": 50, "ephemeral_1h_input_tokens": 150}
    )
    call = parse_call(line.encode())
    assert call is not None and call.counts == (3, 1, 50, 150, 1_000) and not call.fast
    fast = json.loads(line)
    fast["message"]["usage"]["speed"] = "fast"
    found = parse_call(json.dumps(fast).encode())
    assert found is not None and found.fast
    assert parse_call(b'{"type":"user","usage":1}') is None
    assert parse_call(b'{"type":"assistant","usage" broken') is None


def test_a_replaced_or_huge_tail_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(assistant("a", 1) * 3)
    shrunk = read_tail(str(path), 10_000)
    assert not shrunk.complete and shrunk.calls == {} and shrunk.offset == 10_000
    huge = read_tail(str(path), 0, max_bytes=10)
    assert not huge.complete and huge.offset == 0
    missing = read_tail(str(tmp_path / "nope.jsonl"), 0)
    assert not missing.complete and missing.calls == {}
