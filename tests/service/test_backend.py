"""The explorer's door to the data layer (no Textual): levels, paths, file names, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokentree.data.workspace import Options
from tokentree.model.tree import Kind
from tokentree.ui.backend import Backend, export_filename
from tokentree.ui.messages import FilesChanged, LoadProgress


@pytest.fixture(scope="module")
def backend():
    demo = Backend(Options(demo=True, tz="UTC", use_cache=False))
    first = demo.refresh()
    assert first.files > 0 and demo.version == 1
    yield demo
    demo.close()


def test_levels_and_paths(backend: Backend) -> None:
    weeks = backend.children(())
    assert [n.kind for n in weeks] == [Kind.WEEK] * len(weeks)
    days = backend.children((weeks[0].id,))
    path = (weeks[0].id, days[-1].id)
    nodes = backend.path_nodes(path)
    assert [n.id for n in nodes] == list(path)
    assert nodes[1].totals == days[-1].totals
    assert [n.id for n in backend.path_nodes((weeks[0].id, "1999-01-01"))] == [weeks[0].id]


def test_refresh_without_changes_keeps_the_version(backend: Backend) -> None:
    report = backend.refresh()
    assert not report.changed and backend.version == 1


def test_export_file_names() -> None:
    assert export_filename(Kind.WEEK, "2026-W47") == "tokentree-week-2026-W47.json"
    assert export_filename(Kind.TURN, "abc:pre") == "tokentree-turn-abc_pre.json"
    assert export_filename(Kind.CALL, "../../etc") == "tokentree-call-.._.._etc.json"
    assert "/" not in export_filename(Kind.SESSION, "a/b\\c d")


def test_messages_coalesce() -> None:
    first = FilesChanged(frozenset({Path("a.jsonl")}))
    second = FilesChanged(frozenset({Path("b.jsonl")}))
    assert second.can_replace(first) and second.paths == {Path("a.jsonl"), Path("b.jsonl")}
    assert LoadProgress(1, 2, 3, 4).can_replace(LoadProgress(0, 2, 0, 4))
    assert not LoadProgress(1, 2, 3, 4).can_replace(first)
