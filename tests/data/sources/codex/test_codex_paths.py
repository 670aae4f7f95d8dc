"""Where Codex data is found: $CODEX_HOME and ~/.codex, sessions/ and archived_sessions/, which
files are rollouts, and which copy of a rollout is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.writers import codex_lines as cx
from tests.conftest import export
from tests.data.sources.codex.pitfalls import CWD, at, request, rollout, thread_id, u
from tokentree.data import sources
from tokentree.data.read.discovery import FoundFile
from tokentree.data.workspace import Options, Workspace

CODEX = sources.get("codex")


def _roots(**env: str) -> list[Path]:
    return [Path(p) for p in CODEX.default_roots({"HOME": "/home/me", **env}, None)]


def test_default_roots_follow_codex_home() -> None:
    assert _roots() == [
        Path("/home/me/.codex/sessions"),
        Path("/home/me/.codex/archived_sessions"),
    ]
    assert _roots(CODEX_HOME="/data/codex") == [
        Path("/data/codex/sessions"),
        Path("/data/codex/archived_sessions"),
    ]
    assert _roots(CODEX_HOME="/a, /b") == [
        Path("/a/sessions"),
        Path("/a/archived_sessions"),
        Path("/b/sessions"),
        Path("/b/archived_sessions"),
    ]


def test_the_environment_is_honoured_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "elsewhere"
    a = u(1000, 0, 100)
    rollout(home, thread_id(1), [cx.session_meta(at(0), thread_id(1), CWD), *request(at(9), a, a)])
    monkeypatch.setenv("CODEX_HOME", str(home))
    document, _ = export("--source", "codex", "--tz", "UTC")
    assert document["totals"]["calls"] == 1 and document["sources"] == ["codex"]
    workspace = Workspace(Options(sources=("codex",), tz="UTC"))
    try:
        assert {str(p) for p in workspace.root_paths} == {
            str(home / "sessions"),
            str(home / "archived_sessions"),
        }
    finally:
        workspace.close()


def test_an_unlabelled_root_is_recognised_as_codex(tmp_path: Path) -> None:
    home = tmp_path / ".codex"
    a = u(1000, 0, 100)
    rollout(home, thread_id(1), [cx.session_meta(at(0), thread_id(1), CWD), *request(at(9), a, a)])
    for root in (home, home / "sessions"):
        document, _ = export("--root", str(root), "--tz", "UTC")
        assert document["sources"] == ["codex"] and document["totals"]["calls"] == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rollout-2026-02-23T12-41-04-019c8a4d.jsonl", "rollout"),
        ("rollout-2026-02-23T12-41-04-019c8a4d.jsonl.zst", "rollout"),
        ("history.jsonl", None),
        ("session_index.jsonl", None),
        ("state_5.sqlite", None),
        ("rollout-x.json", None),
    ],
)
def test_only_rollouts_match(name: str, expected: str | None) -> None:
    assert CODEX.match(f"/home/me/.codex/sessions/2026/02/23/{name}") == expected
    assert CODEX.watches(f"/home/me/.codex/sessions/{name}") == (expected is not None)


def test_bulky_directories_are_not_walked() -> None:
    assert CODEX.descend("/home/me/.codex/sessions/2026")
    assert not CODEX.descend("/home/me/.codex/log")
    assert not CODEX.descend("/home/me/.codex/shell_snapshots")


def _found(*paths: str) -> list[FoundFile]:
    return [FoundFile(p, 1, 1, "codex", "rollout") for p in paths]


def test_select_keeps_one_copy_per_rollout() -> None:
    name = "rollout-2026-02-23T12-41-04-019c8a4d.jsonl"
    live = f"/h/.codex/sessions/2026/02/23/{name}"
    files = _found(
        live,
        live + ".zst",
        f"/h/.codex/archived_sessions/{name}",
        f"/h/.codex/archived_sessions/{name}.zst",
        f"/other/.codex/archived_sessions/{name}",  # another home: its own copy
        "/h/.codex/archived_sessions/rollout-2026-01-01T00-00-00-aaaa.jsonl.zst",
    )
    kept = [f.path for f in CODEX.select(files)]
    assert kept == [
        live,
        f"/other/.codex/archived_sessions/{name}",
        "/h/.codex/archived_sessions/rollout-2026-01-01T00-00-00-aaaa.jsonl.zst",
    ]


def test_recompression_and_archiving_keep_the_totals(tmp_path: Path) -> None:
    """Codex recompresses a week-old rollout (the plain file goes, a .zst comes) and archiving
    moves it: an open workspace refreshed after each step counts the same requests."""
    a, b = u(1000, 0, 100), u(2000, 900, 200)
    lines = [
        cx.session_meta(at(0), thread_id(1), CWD),
        *request(at(10), a, a),
        *request(at(20), a + b, b),
    ]
    plain = rollout(tmp_path, thread_id(1), lines)
    workspace = Workspace(Options(roots=[("codex", tmp_path)], tz="UTC"))

    def counted() -> tuple[int, int]:
        workspace.refresh()
        workspace.store.build(workspace.view)
        return workspace.store.scalar("SELECT [count(*), sum(input)] FROM calls")

    try:
        first = counted()
        packed = rollout(tmp_path, thread_id(1), lines, compressed=True)
        assert counted() == first  # both copies present: the plain one is read
        plain.unlink()
        assert counted() == first  # only the .zst left
        archive = tmp_path / "archived_sessions"
        archive.mkdir()
        packed.rename(archive / packed.name)
        assert counted() == first == [2, 1000 + 1100]
    finally:
        workspace.close()
