"""Where Codebuff's chats are looked for: ``~/.config/manicode/projects`` and the development
channels' that exist, or ``$CODEBUFF_DATA_DIR``'s directories."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import export
from tokentree.data.sources.codebuff import paths


def test_default_roots(tmp_path: Path) -> None:
    assert paths.default_roots({"HOME": "/h"}) == [Path("/h/.config/manicode/projects")]
    (tmp_path / ".config" / "manicode-staging" / "projects").mkdir(parents=True)
    assert paths.default_roots({"HOME": str(tmp_path)}) == [
        tmp_path / ".config" / "manicode" / "projects",
        tmp_path / ".config" / "manicode-staging" / "projects",
    ]
    listed = paths.default_roots({"HOME": "/h", "CODEBUFF_DATA_DIR": "/a, /b/projects,/a"})
    assert listed == [Path("/a/projects"), Path("/b/projects")]


def test_only_the_channels_under_config_are_walked(tmp_path: Path, monkeypatch) -> None:
    chat = '[{"id":"a","variant":"ai","timestamp":"2026-01-02T03:04:06Z","metadata":{"usage":{"inputTokens":5,"outputTokens":1}}}]'  # noqa: E501
    for channel in ("manicode", "manicode-staging", "other-tool"):
        path = (
            tmp_path / ".config" / channel / "projects" / "p" / "chats" / "c" / "chat-messages.json"
        )
        path.parent.mkdir(parents=True)
        path.write_text(chat.replace('"a"', f'"{channel}"'))
    assert not paths.descend(str(tmp_path / ".config" / "other-tool"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CODEBUFF_DATA_DIR", raising=False)
    document, _ = export("--source", "codebuff", "--tz", "UTC")
    assert document["totals"]["calls"] == 2 and document["files"] == 2
