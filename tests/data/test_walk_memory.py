"""A walk remembers what each settled directory held: the next one lists only directories whose
mtime changed and stats the files of the others, so an append (no directory changes) and a new
file (its directory changes) are both found, and a directory modified just now is listed again."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import export
from tests.data.sources.claude.lines import assistant, write
from tokentree.data import sources
from tokentree.data.read.discovery import SourceRoot, discover
from tokentree.data.workspace import Options, Workspace

T = "2026-11-20T10:{:02d}:00.000Z"
PAST_NS = 1_700_000_000 * 10**9


def settle(root: Path) -> None:
    """Date every directory under ``root`` (and itself) back, as if written long ago."""
    for directory in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(directory, ns=(PAST_NS, PAST_NS))


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "claude" / "projects"
    write(root / "alpha" / "a.jsonl", [assistant("msg_1", T.format(1), out=10, uuid="a1")])
    write(root / "beta" / "b.jsonl", [assistant("msg_2", T.format(2), out=20, uuid="b1")])
    (root / "beta" / "notes.txt").write_text("not a log", encoding="utf-8")
    settle(root)
    return root


def roots(root: Path) -> list[SourceRoot]:
    return [SourceRoot(sources.get("claude"), root)]


def files_of(found) -> dict[str, int]:
    return {os.path.basename(f.path): f.size for f in found.files}


def test_an_unchanged_tree_is_not_listed_again(tmp_path: Path) -> None:
    root = tree(tmp_path)
    first = discover(roots(root))
    assert first.listed == 3 and len(first.dirs) == 3
    second = discover(roots(root), known=first.dirs)
    assert second.listed == 0
    assert files_of(second) == files_of(first) and second.dirs == first.dirs


def test_an_append_is_seen_without_listing(tmp_path: Path) -> None:
    root = tree(tmp_path)
    first = discover(roots(root))
    path = root / "alpha" / "a.jsonl"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_3", T.format(3), out=5, uuid="a2") + "\n")
    second = discover(roots(root), known=first.dirs)
    assert second.listed == 0
    assert files_of(second)["a.jsonl"] == path.stat().st_size


def test_new_files_and_directories_are_found(tmp_path: Path) -> None:
    root = tree(tmp_path)
    first = discover(roots(root))
    write(root / "beta" / "c.jsonl", [assistant("msg_4", T.format(4), out=1, uuid="c1")])
    write(root / "gamma" / "d.jsonl", [assistant("msg_5", T.format(5), out=1, uuid="d1")])
    (root / "alpha" / "a.jsonl").unlink()
    second = discover(roots(root), known=first.dirs)
    assert set(files_of(second)) == {"b.jsonl", "c.jsonl", "d.jsonl"}
    assert second.listed == 4  # the root, alpha, beta and the new gamma
    assert second.files == discover(roots(root)).files


def test_a_directory_modified_just_now_is_not_remembered(tmp_path: Path) -> None:
    root = tree(tmp_path)
    write(root / "beta" / "c.jsonl", [assistant("msg_4", T.format(4), out=1, uuid="c1")])
    found = discover(roots(root))
    assert all(not key.endswith(os.sep + "beta") for key in found.dirs)
    assert discover(roots(root), known=found.dirs).listed == 1


def test_a_reopened_workspace_lists_only_what_changed(tmp_path: Path) -> None:
    root = tree(tmp_path)
    export("--root", str(root), "--tz", "UTC")

    def reopen() -> int:
        workspace = Workspace(Options(roots=[root], tz="UTC"))
        try:
            return workspace.refresh().dirs_listed
        finally:
            workspace.close()

    assert reopen() == 0
    write(root / "beta" / "c.jsonl", [assistant("msg_4", T.format(4), out=7, uuid="c1")])
    with open(root / "alpha" / "a.jsonl", "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_3", T.format(3), out=5, uuid="a2") + "\n")
    warm, _ = export("--root", str(root), "--tz", "UTC")
    cold, _ = export("--root", str(root), "--tz", "UTC", "--no-cache")
    warm.pop("generated_at"), cold.pop("generated_at")
    assert warm == cold and warm["totals"]["output"] == 10 + 20 + 7 + 5
