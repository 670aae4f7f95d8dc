"""Where Kimi CLI's data is looked for, and which files are wire logs."""

from __future__ import annotations

from pathlib import Path

from tokentree.data.sources.kimi import paths


def test_default_roots_follow_ccusage_then_kimi_then_home() -> None:
    assert paths.default_roots({"HOME": "/h"}) == [Path("/h/.kimi")]
    assert paths.default_roots({"HOME": "/h", "KIMI_SHARE_DIR": "/s"}) == [Path("/s")]
    both = {"HOME": "/h", "KIMI_SHARE_DIR": "/s", "KIMI_DATA_DIR": "/a, /b,/a"}
    assert paths.default_roots(both) == [Path("/a"), Path("/b")]


def test_only_wire_logs_in_session_folders_are_read() -> None:
    assert paths.match("/k/sessions/abc/s1/wire.jsonl") == paths.WIRE
    assert paths.match("/k/sessions/abc/s1/subagents/a1/wire.jsonl") == paths.WIRE
    assert paths.match("/k/imported_sessions/s1/wire.jsonl") == paths.WIRE
    assert paths.match("/k/sessions/abc/s1/context.jsonl") is None
    assert paths.match("/k/sessions/s1/wire.jsonl") is None  # no work-dir folder
    assert paths.match("/k/user-history/abc.jsonl") is None
    found = paths.place("/k/sessions/abc/s1/subagents/a1/wire.jsonl")
    assert found == paths.Place("/k", "abc", "s1", "a1")


def test_a_share_directory_is_recognised(tmp_path: Path) -> None:
    share = tmp_path / "kimi-data"
    (share / "sessions").mkdir(parents=True)
    assert not paths.claims(share)
    (share / "kimi.json").write_text("{}")
    assert paths.claims(share)
