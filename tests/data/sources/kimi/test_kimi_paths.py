"""Where Kimi CLI's and Kimi Code's data is looked for, and which files are wire logs."""

from __future__ import annotations

from pathlib import Path

from tokentree.data.sources.kimi import paths


def test_default_roots_follow_ccusage_then_kimi_then_home(tmp_path: Path) -> None:
    assert paths.default_roots({"HOME": "/h"}) == [Path("/h/.kimi")]
    (tmp_path / ".kimi-code").mkdir()  # Kimi Code's home: looked in once it exists
    assert paths.default_roots({"HOME": str(tmp_path)}) == [
        tmp_path / ".kimi",
        tmp_path / ".kimi-code",
    ]
    own = {"HOME": "/h", "KIMI_SHARE_DIR": "/s", "KIMI_CODE_HOME": "/c"}
    assert paths.default_roots(own) == [Path("/s"), Path("/c")]
    every = {**own, "KIMI_DATA_DIR": "/a, /b,/a"}
    assert paths.default_roots(every) == [Path("/a"), Path("/b")]


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


def test_kimi_code_logs_are_one_per_agent() -> None:
    main = "/c/sessions/wd_atlas_0123456789ab/session_1/agents/main/wire.jsonl"
    assert paths.match(main) == paths.CODE
    assert paths.match(main.replace("main", "agent-0")) == paths.CODE
    assert paths.match("/c/sessions/wd_atlas_0123456789ab/session_1/state.json") is None
    assert paths.match("/c/sessions/wd_x/session_1/agents/main/tasks/wire.jsonl") is None
    assert paths.code_place(main) == paths.CodePlace(
        "/c", "wd_atlas_0123456789ab", "session_1", "main"
    )
    assert paths.code_project("wd_my_app_0123456789ab") == "my_app"
    assert paths.code_project("wd_odd") == "odd"


def test_a_kimi_code_home_is_recognised(tmp_path: Path) -> None:
    home = tmp_path / ".kimi-code"
    home.mkdir()
    assert not paths.claims(home)
    (home / "sessions").mkdir()
    assert paths.claims(home)
