"""Bad input never crashes and never hides good data: it is skipped, counted and reported, and
the user's files are never modified."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import checksums, export, run_cli, walk
from tests.data.sources.claude.lines import assistant, dumps, prompt, write
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

T = "2026-11-20T10:{:02d}:00.000Z"


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs" / "projects" / "p"
    root.mkdir(parents=True)
    return root


def run(root: Path) -> tuple[dict, str]:
    """Export ``root``'s tree and prove that no file under it was modified."""
    before = checksums(root)
    document, stderr = export("--root", str(root.parent.parent), "--tz", "UTC")
    assert checksums(root) == before, "tokentree modified the user's files"
    return document, stderr


def call_ids(document: dict) -> list[str]:
    return sorted(n["id"] for n in walk(document) if n.get("kind") == "call")


def test_truncated_last_line_is_pending_not_malformed(logs: Path) -> None:
    good = assistant("msg_1", T.format(1), out=7, uuid="a")
    partial = assistant("msg_2", T.format(2), out=9, uuid="b")[:120]
    (logs / "s.jsonl").write_text(good + "\n" + partial, encoding="utf-8")
    document, stderr = run(logs)
    assert call_ids(document) == ["msg_1"]
    assert "incomplete line" in stderr and "malformed" not in stderr
    # once the writer finishes the line, the call is counted exactly once
    (logs / "s.jsonl").write_text(
        good + "\n" + assistant("msg_2", T.format(2), out=9, uuid="b") + "\n"
    )
    document, _ = run(logs)
    assert call_ids(document) == ["msg_1", "msg_2"]


def test_malformed_lines_mid_file_are_counted_and_the_rest_is_read(logs: Path) -> None:
    lines = [
        assistant("msg_1", T.format(1), uuid="a"),
        '{"type":"assistant","message":{"id":"msg_x","usage":{"output_tokens":',  # cut mid-line
        "not json at all",
        assistant("msg_2", T.format(3), uuid="b").replace('"uuid":', '"uuid:'),  # broken quote
        assistant("msg_3", T.format(4), uuid="c"),
    ]
    write(logs / "s.jsonl", lines)
    document, stderr = run(logs)
    assert call_ids(document) == ["msg_1", "msg_3"]
    assert document["skipped_lines"] == 3
    assert "skipped 3 malformed lines in 1 file" in stderr


def test_invalid_utf8_inside_a_usage_line_does_not_lose_the_call(logs: Path) -> None:
    line = assistant("msg_1", T.format(1), out=42, uuid="a").replace(
        '"text":"ok"', '"text":"\udcff"'
    )
    raw = line.encode("utf-8", "surrogateescape")  # a lone 0xFF byte inside a JSON string
    (logs / "s.jsonl").write_bytes(
        raw + b"\n" + assistant("msg_2", T.format(2), uuid="b").encode() + b"\n"
    )
    document, stderr = run(logs)
    assert call_ids(document) == ["msg_1", "msg_2"]
    assert document["totals"]["output"] == 47
    assert "malformed" not in stderr


def test_invalid_utf8_in_a_line_written_with_spaced_separators(logs: Path) -> None:
    compact = assistant("msg_1", T.format(1), out=42, uuid="a")
    line = json.dumps(json.loads(compact)).replace('"text": "ok"', '"text": "\udcff"')
    raw = line.encode("utf-8", "surrogateescape")  # a lone 0xFF byte, Python fallback path
    assert b"\xff" in raw
    (logs / "s.jsonl").write_bytes(raw + b"\n")
    document, stderr = run(logs)
    assert call_ids(document) == ["msg_1"] and document["totals"]["output"] == 42
    assert "malformed" not in stderr


def test_lone_surrogate_escapes_are_read(logs: Path) -> None:
    line = assistant("msg_1", T.format(1), out=11, uuid="a").replace(
        '"text":"ok"', '"text":"\\ud800 x"'
    )
    (logs / "s.jsonl").write_text(line + "\n", encoding="utf-8")
    document, _ = run(logs)
    assert call_ids(document) == ["msg_1"] and document["totals"]["output"] == 11


def test_a_64_mb_single_line(logs: Path) -> None:
    huge = assistant(
        "msg_big",
        T.format(1),
        out=5,
        uuid="a",
        tool="Write",
        tool_input={"file_path": "/x/big.txt", "content": "z" * (64 << 20)},
    )
    with open(logs / "s.jsonl", "w", encoding="utf-8") as handle:
        handle.write(prompt("write a big file", T.format(0), uuid="p") + "\n")
        handle.write(huge + "\n")
        handle.write(assistant("msg_2", T.format(2), out=6, uuid="b") + "\n")
    document, _ = run(logs)
    assert call_ids(document) == ["msg_2", "msg_big"]
    (big,) = [n for n in walk(document) if n.get("id") == "msg_big"]
    assert big["tools"] == ["Write"] and big["tool_calls"][0]["detail"] == "/x/big.txt"


def test_empty_files_and_a_binary_file_named_jsonl(logs: Path) -> None:
    (logs / "empty.jsonl").write_bytes(b"")
    (logs / "newline.jsonl").write_bytes(b"\n\n")
    (logs / "binary.jsonl").write_bytes(bytes(range(256)) * 64)
    write(logs / "s.jsonl", [assistant("msg_1", T.format(1), uuid="a")])
    document, _ = run(logs)
    assert call_ids(document) == ["msg_1"]
    assert document["files"] == 4


def test_unreadable_files_and_directories_are_reported(logs: Path) -> None:
    write(logs / "s.jsonl", [assistant("msg_1", T.format(1), uuid="a")])
    (logs / "dangling.jsonl").symlink_to(logs / "does-not-exist.jsonl")
    os.mkfifo(logs / "pipe.jsonl")
    locked = logs / "locked"
    write(locked / "x.jsonl", [assistant("msg_2", T.format(2), uuid="b")])
    locked.chmod(0)
    try:
        code, out, err = run_cli(
            "export", "--json", "--root", str(logs.parent.parent), "--tz", "UTC"
        )
    finally:
        locked.chmod(stat.S_IRWXU)
    assert code == 0
    assert "could not read" in err and "dangling.jsonl" in err
    assert '"msg_1"' in out
    if os.geteuid() != 0:  # root reads anything: the locked directory is only unreadable for users
        assert '"msg_2"' not in out


def test_symlink_loops_terminate_and_count_each_file_once(logs: Path) -> None:
    write(logs / "s.jsonl", [assistant("msg_1", T.format(1), uuid="a")])
    (logs / "loop").symlink_to(logs, target_is_directory=True)
    (logs / "again.jsonl").symlink_to(logs / "s.jsonl")
    document, _ = run(logs)
    assert call_ids(document) == ["msg_1"]
    assert document["files"] == 1


@pytest.mark.parametrize("change", ["grew", "shrank"])
def test_a_file_that_changes_during_the_scan(tmp_path: Path, change: str) -> None:
    """The scan was planned with the size seen at discovery; the file then changed."""
    path = tmp_path / "s.jsonl"
    first = [assistant(f"msg_{i}", T.format(i), uuid=f"a{i}") for i in range(4)]
    write(path, first)
    planned = ScanTarget(str(path), path.stat().st_size, 0, "claude", "transcript")
    if change == "grew":
        write(path, [*first, assistant("msg_9", T.format(9), uuid="a9")])
    else:
        write(path, first[:2])
    store = UsageStore()
    (state,) = Scanner(store.cursor()).scan([planned])
    ids = sorted(r[0] for r in store.cursor().execute("SELECT call_id FROM raw_calls").fetchall())
    expected = (
        ["msg_0", "msg_1", "msg_2", "msg_3", "msg_9"] if change == "grew" else ["msg_0", "msg_1"]
    )
    assert ids == expected  # what is on disk now, read consistently by the tolerant reader
    assert state.via == "python" and state.size == path.stat().st_size
    store.close()


def test_a_file_that_vanishes_before_it_is_read(tmp_path: Path) -> None:
    present = write(tmp_path / "a.jsonl", [assistant("msg_1", T.format(1), uuid="a")])
    gone = ScanTarget(str(tmp_path / "gone.jsonl"), 100, 0, "claude", "transcript")
    store = UsageStore()
    states = Scanner(store.cursor()).scan(
        [ScanTarget(str(present), present.stat().st_size, 0, "claude", "transcript"), gone]
    )
    by_path = {s.path: s for s in states}
    assert by_path[gone.path].error and not by_path[str(present)].error
    assert store.cursor().execute("SELECT count(*) FROM raw_calls").fetchone() == (1,)
    store.close()


def test_a_home_without_logs(isolated_home: Path) -> None:
    code, _, err = run_cli("export", "--json", "--tz", "UTC")
    assert code == 0
    assert "no usage logs found" in err and "--demo" in err
    assert str(isolated_home / ".claude" / "projects") in err


def test_odd_values_are_read_leniently(logs: Path) -> None:
    line = assistant("msg_1", T.format(1), uuid="a")
    odd = (
        line.replace('"input_tokens":10', '"input_tokens":"12"')
        .replace('"output_tokens":5', '"output_tokens":7.0')
        .replace('"cache_read_input_tokens":0', '"cache_read_input_tokens":null')
    )
    no_timestamp = dumps(
        {"type": "assistant", "message": {"id": "msg_2", "usage": {"output_tokens": 3}}}
    )
    write(logs / "s.jsonl", [odd, no_timestamp])
    document, _ = run(logs)
    assert call_ids(document) == ["msg_1"]
    totals = document["totals"]
    assert (totals["input"], totals["output"], totals["cache_read"]) == (12, 7, 0)
