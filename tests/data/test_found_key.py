"""The key of a set of files: a walk's and a manifest's agree exactly when nothing changed."""

from __future__ import annotations

import dataclasses

from tokentree.data.read.discovery import FoundFile
from tokentree.data.read.found_key import manifest_key, walk_key
from tokentree.data.read.scan import FileState
from tokentree.data.sync import SYNC_FORMAT

FILES = [
    FoundFile("/h/.claude/projects/a/1.jsonl", 120, 1_700_000_000_000_000_001, "claude", "t"),
    FoundFile("/h/.claude/projects/a/1.meta.json", 40, 1_700_000_000_000_000_002, "claude", "m"),
    FoundFile("/h/.codex/sessions/r.jsonl", 9, 1_700_000_000_000_000_003, "codex", "rollout"),
]


def state(found: FoundFile, **changes: object) -> FileState:
    base = FileState(7, found.path, found.source, found.format, found.size, found.mtime_ns)
    return dataclasses.replace(base, **changes)


def test_a_walk_and_its_manifest_have_one_key_in_any_order() -> None:
    key = walk_key(FILES)
    assert key == walk_key(reversed(FILES))
    assert key == manifest_key([state(f) for f in reversed(FILES)])
    partition = FileState(9, "/sync/device=b/x.parquet", "sync", SYNC_FORMAT, 1, 1)
    assert key == manifest_key([partition, *(state(f) for f in FILES)])  # not walked


def test_any_change_of_a_file_changes_the_key() -> None:
    key = walk_key(FILES)
    first = FILES[0]
    for changed in (
        first._replace(size=first.size + 1),
        first._replace(mtime_ns=first.mtime_ns + 1),
        first._replace(path=first.path + "x"),
        first._replace(format="other"),
        first._replace(source="codex"),
    ):
        assert walk_key([changed, *FILES[1:]]) != key
    assert walk_key(FILES[1:]) != key  # one gone
    assert walk_key([*FILES, FILES[0]._replace(path="/h/new.jsonl")]) != key  # one new


def test_a_manifest_with_an_unreadable_file_has_no_key() -> None:
    states = [state(FILES[0], error="PermissionError"), *(state(f) for f in FILES[1:])]
    assert manifest_key(states) == ""
