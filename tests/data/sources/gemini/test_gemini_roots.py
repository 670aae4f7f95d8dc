"""Where tokentree looks for Gemini CLI chats, which files it takes, and which paths it claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import export
from tests.data.sources.gemini.chatlines import gemini, meta, tokens, write_jsonl
from tokentree.data.sources import get
from tokentree.data.workspace import Options, Workspace

GEMINI = get("gemini")
CHAT = "session-2026-11-20T10-00-11111111.jsonl"


def _chat(tmp: Path, project: str = "atlas") -> Path:
    return write_jsonl(
        tmp / project / "chats" / CHAT,
        [meta("s1"), gemini("g1", "2026-11-20T10:01:00.000Z", tokens(100, 5, cached=40))],
    )


def test_default_roots_follow_gemini_cli_home_and_ccusages_data_dir(tmp_path: Path) -> None:
    home, cli_home, data = tmp_path / "home", tmp_path / "cli", tmp_path / "data"
    assert GEMINI.default_roots({"HOME": str(home)}, None) == [home / ".gemini" / "tmp"]
    assert GEMINI.default_roots({"HOME": str(home), "GEMINI_CLI_HOME": str(cli_home)}, None) == [
        cli_home / ".gemini" / "tmp"
    ]
    env = {"HOME": str(home), "GEMINI_DATA_DIR": f"{data}, {home / '.gemini' / 'tmp'},"}
    assert GEMINI.default_roots(env, None) == [data, home / ".gemini" / "tmp"]


@pytest.mark.parametrize("variable", ["HOME", "GEMINI_CLI_HOME"])
def test_chats_are_found_without_a_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    _chat(tmp_path / "user" / ".gemini" / "tmp")
    monkeypatch.setenv(variable, str(tmp_path / "user"))
    document, _ = export("--source", "gemini", "--tz", "UTC")
    assert document["totals"]["calls"] == 1 and document["sources"] == ["gemini"]


def test_a_gemini_directory_given_as_root_is_claimed_by_gemini(tmp_path: Path) -> None:
    _chat(tmp_path / ".gemini" / "tmp")
    for root in (tmp_path / ".gemini", tmp_path / ".gemini" / "tmp"):
        document, _ = export("--root", str(root), "--tz", "UTC")
        assert document["sources"] == ["gemini"] and document["totals"]["calls"] == 1
    labelled, _ = export("--root", f"gemini={tmp_path}", "--tz", "UTC")  # a home
    assert labelled["totals"]["calls"] == 1


def test_which_files_are_chats() -> None:
    tmp = "/h/.gemini/tmp"
    assert GEMINI.match(f"{tmp}/atlas/chats/session-2026-11-20T10-00-abcdef12.jsonl") == "chat"
    assert GEMINI.match(f"{tmp}/{'a' * 64}/chats/session-2025-09-01T08-00-abcdef12.json") == (
        "legacy"
    )
    assert GEMINI.match(f"{tmp}/atlas/chats/0ab84937/7c1d.jsonl") == "chat"  # a subagent
    assert GEMINI.match("/copies/session-jsonl-format.jsonl") == "chat"
    assert GEMINI.match(f"{tmp}/atlas/logs.json") is None
    assert GEMINI.match(f"{tmp}/atlas/checkpoint-mytag.json") is None
    assert GEMINI.match(f"{tmp}/atlas/chats/session-x.jsonl.unreadable-1767225600000") is None
    assert GEMINI.match(f"{tmp}/atlas/chats/session-x.jsonl.tmp-4242") is None
    assert GEMINI.match(f"{tmp}/atlas/chats/a/b/c.jsonl") is None


def test_discovery_walks_only_where_chats_can_be() -> None:
    tmp = "/h/.gemini/tmp"
    assert GEMINI.descend(f"{tmp}/atlas")
    assert GEMINI.descend(f"{tmp}/atlas/chats")
    assert GEMINI.descend(f"{tmp}/atlas/chats/0ab84937")  # subagent chats
    assert not GEMINI.descend(f"{tmp}/atlas/chats/0ab84937/deeper")
    assert GEMINI.descend(f"{tmp}/chats/chats")  # a project whose slug is "chats"
    assert not GEMINI.descend(f"{tmp}/atlas/.git")


def test_the_watcher_sees_chats_and_nothing_else(tmp_path: Path) -> None:
    tmp = tmp_path / ".gemini" / "tmp"
    chat = _chat(tmp)
    workspace = Workspace(Options(roots=[("gemini", tmp)], tz="UTC", use_cache=False))
    try:
        assert workspace.watches(str(chat))
        assert workspace.watches(str(chat.parent / "s1" / "sub.jsonl"))
        assert not workspace.watches(str(tmp / "atlas" / ".project_root"))
        assert not workspace.watches(str(tmp / "atlas" / "tool-outputs" / "out.txt"))
    finally:
        workspace.close()
