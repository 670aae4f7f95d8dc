"""Where Qwen Code's chats are looked for, and which files are chats."""

from __future__ import annotations

from pathlib import Path

from tokentree.data.sources.qwen import paths


def test_default_roots(tmp_path: Path) -> None:
    assert paths.default_roots({"HOME": "/h"}) == [Path("/h/.qwen")]
    (tmp_path / "a" / "projects").mkdir(parents=True)
    roots = paths.default_roots({"HOME": "/h", "QWEN_DATA_DIR": f"{tmp_path / 'a'}, /b"})
    assert roots == [tmp_path / "a" / "projects", Path("/b")]


def test_only_chats_are_read() -> None:
    assert paths.match("/q/projects/-home-x/chats/s1.jsonl") == paths.CHAT
    assert paths.match("/q/projects/-home-x/meta.json") is None
    assert paths.match("/q/tmp/abc/logs.jsonl") is None
    assert paths.match("/q/projects/-home-x/usage_record.jsonl") is None
