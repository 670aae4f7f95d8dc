"""The source seam with a source defined here: discovery by its patterns (globs, pruning,
companions, copies), store files through the batch path (bad rows lose only their file), the
watcher's filter, and how --root names its source."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokentree.cli import _root
from tokentree.data.read.discovery import SourceRoot, discover
from tokentree.data.read.identity import file_id
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.source import RawRows, Source, StoreError, StoreFormat
from tokentree.data.store.store import UsageStore


def read_doc(path: str) -> RawRows:
    with open(path, encoding="utf-8") as handle:
        try:
            doc = json.load(handle)
        except ValueError as error:
            raise StoreError(f"not JSON: {error}") from None
    rows = RawRows(records=len(doc["calls"]))
    for call in doc["calls"]:
        rows.calls.append(
            {
                "call_id": call["id"],
                "session_id": doc["session"],
                "ts": call["ts"],
                "model": "claude-sonnet-4-5",
                "input": call["input"],
                "output": call["output"],
            }
        )
    return rows


class Toy(Source):
    name = "toy"
    label = "Toy"
    marker = "T"
    formats = (StoreFormat("doc", read_doc, companions=("-wal",)),)

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path]:
        return []

    def match(self, path: str) -> str | None:
        return "doc" if path.endswith(".toy.json") else None

    def descend(self, path: str) -> bool:
        return os.path.basename(path) != "bulky"

    def select(self, files: list[Any]) -> list[Any]:
        return [f for f in files if not f.path.endswith(".copy.toy.json")]


TOY = Toy()


def doc(path: Path, session: str, *calls: tuple[str, int, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "session": session,
                "calls": [
                    {"id": i, "ts": "2026-11-20T10:00:00+00:00", "input": a, "output": b}
                    for i, a, b in calls
                ],
            }
        )
    )
    return path


def test_discovery_follows_the_source_patterns_prunes_and_drops_copies(tmp_path: Path) -> None:
    doc(tmp_path / "a" / "one.toy.json", "s1", ("c1", 1, 2))
    doc(tmp_path / "a" / "one.copy.toy.json", "s1", ("c1", 1, 2))
    doc(tmp_path / "bulky" / "hidden.toy.json", "s2", ("c2", 1, 2))
    (tmp_path / "a" / "notes.txt").write_text("x")
    found = discover([SourceRoot(TOY, tmp_path)])
    assert [Path(f.path).name for f in found.files] == ["one.toy.json"]
    assert found.files[0].source == "toy" and found.files[0].format == "doc"
    assert found.files[0].file_id == file_id("toy", str(tmp_path / "a" / "one.toy.json"))


def test_a_glob_narrows_a_root(tmp_path: Path) -> None:
    doc(tmp_path / "logs" / "x.toy.json", "s1", ("c1", 1, 2))
    doc(tmp_path / "other" / "y.toy.json", "s2", ("c2", 1, 2))
    root = SourceRoot(TOY, tmp_path, "logs/*")
    found = discover([root])
    assert [Path(f.path).name for f in found.files] == ["x.toy.json"]
    assert root.accepts(str(tmp_path / "logs" / "z.toy.json")) == "doc"
    assert root.accepts(str(tmp_path / "other" / "z.toy.json")) is None
    assert root.accepts("/elsewhere/logs/z.toy.json") is None


def test_a_companion_changes_its_files_state(tmp_path: Path) -> None:
    path = doc(tmp_path / "db.toy.json", "s1", ("c1", 1, 2))
    (before,) = discover([SourceRoot(TOY, tmp_path)]).files
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"x" * 100)
    os.utime(wal, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    (after,) = discover([SourceRoot(TOY, tmp_path)]).files
    assert after.size == before.size + 100 and after.mtime_ns > before.mtime_ns
    assert TOY.companion_owner(str(wal)) == str(path) and TOY.watches(str(wal))


def test_store_files_with_bad_rows_lose_only_themselves(tmp_path: Path) -> None:
    good = doc(tmp_path / "good.toy.json", "s1", ("c1", 10, 20), ("c2", 1, 2))
    bad = doc(tmp_path / "bad.toy.json", "s2", ("c3", 5, 5))
    bad.write_text(bad.read_text().replace('"input": 5', '"input": "many"'))
    broken = tmp_path / "broken.toy.json"
    broken.write_text("{not json")
    store = UsageStore()
    targets = [
        ScanTarget(str(p), p.stat().st_size, p.stat().st_mtime_ns, "toy", "doc")
        for p in (good, bad, broken)
    ]
    states = Scanner(store.cursor(), lambda source, name: TOY.format(name)).scan(targets)
    by_name = {Path(s.path).name: s for s in states}
    assert by_name["good.toy.json"].error is None and by_name["good.toy.json"].lines == 2
    assert "could not store" in (by_name["bad.toy.json"].error or "")
    assert "not JSON" in (by_name["broken.toy.json"].error or "")
    rows = (
        store.cursor()
        .execute("SELECT source, call_id, input, output, file_id FROM raw_calls ORDER BY call_id")
        .fetchall()
    )
    assert rows == [
        ("toy", "c1", 10, 20, file_id("toy", str(good))),
        ("toy", "c2", 1, 2, file_id("toy", str(good))),
    ]
    store.close()


def test_root_arguments_name_their_source_or_are_plain_paths() -> None:
    assert _root("codex=/data/.codex") == ("codex", Path("/data/.codex"))
    assert _root("/data/a=b") == Path("/data/a=b")
    assert _root("~/logs") == Path("~/logs")
