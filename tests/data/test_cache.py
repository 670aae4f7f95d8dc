"""The persisted cache: reuse unchanged files, read appends from their offset, rebuild on a
version bump or corruption, never write next to the user's logs."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import checksums, export
from tests.data.sources.claude.lines import assistant, write
from tokentree.data.store import cache as cache_module
from tokentree.data.workspace import Options, Workspace

T = "2026-11-20T10:{:02d}:00.000Z"


def load(root: Path, **options):
    workspace = Workspace(Options(roots=[root], tz="UTC", **options))
    try:
        report = workspace.refresh()
        workspace.store.build(workspace.view)
        totals = (
            workspace.store.cursor().execute("SELECT count(*), sum(output) FROM calls").fetchone()
        )
        return report, totals, workspace.cache.path if workspace.cache else None
    finally:
        workspace.close()


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs" / "projects" / "p"
    write(root / "a.jsonl", [assistant("msg_1", T.format(1), out=10, uuid="a1")])
    write(root / "b.jsonl", [assistant("msg_2", T.format(2), out=20, uuid="b1")])
    return root.parent.parent


def test_second_run_reads_nothing_and_gives_the_same_document(logs: Path) -> None:
    cold, _ = export("--root", str(logs), "--tz", "UTC")
    report, totals, _ = load(logs)
    assert (report.files_read, report.files_cached, report.cache_status) == (0, 2, "loaded")
    warm, _ = export("--root", str(logs), "--tz", "UTC")
    cold.pop("generated_at"), warm.pop("generated_at")
    assert cold == warm
    assert totals == (2, 30)


def test_the_cache_lives_under_xdg_cache_home_not_next_to_the_logs(
    logs: Path, isolated_home: Path
) -> None:
    before = checksums(logs)
    _, _, path = load(logs)
    assert path is not None and path.exists()
    assert str(path).startswith(str(isolated_home / ".cache" / "tokentree"))
    assert checksums(logs) == before


def test_an_appended_file_is_read_from_its_last_offset(logs: Path) -> None:
    load(logs)
    path = logs / "projects" / "p" / "a.jsonl"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_3", T.format(3), out=5, uuid="a2") + "\n")
    report, totals, _ = load(logs)
    assert (report.files_appended, report.files_read, report.bytes_read) == (
        1,
        0,
        len(assistant("msg_3", T.format(3), out=5, uuid="a2")) + 1,
    )
    assert totals == (3, 35)


def test_a_split_response_finished_in_an_append_is_counted_once(logs: Path) -> None:
    path = logs / "projects" / "p" / "a.jsonl"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_4", T.format(4), out=1, uuid="c1") + "\n")
    load(logs)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(assistant("msg_4", T.format(5), out=300, uuid="c2") + "\n")
    report, totals, _ = load(logs)
    assert report.files_appended == 1
    assert totals == (3, 330)


@pytest.mark.parametrize("how", ["rewritten", "shrunk", "deleted"])
def test_a_rewritten_shrunk_or_deleted_file_is_not_served_from_the_cache(
    logs: Path, how: str
) -> None:
    load(logs)
    path = logs / "projects" / "p" / "b.jsonl"
    if how == "rewritten":
        write(path, [assistant("msg_9", T.format(9), out=99, uuid="z1"), "{}"])
    elif how == "shrunk":
        path.write_text("")
    else:
        path.unlink()
    report, totals, _ = load(logs)
    # a deleted file's calls stay (the archive); a rewritten one's are what it holds now
    expected = {"rewritten": (2, 109), "shrunk": (1, 10), "deleted": (2, 30)}[how]
    assert totals == expected
    assert report.files_appended == 0


def test_a_parser_version_bump_rebuilds(logs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(logs)
    monkeypatch.setattr(cache_module, "PARSER_VERSION", cache_module.PARSER_VERSION + 1)
    report, totals, _ = load(logs)
    assert (report.files_read, report.files_cached) == (2, 0)
    assert totals == (2, 30)


@pytest.mark.parametrize("damage", ["garbage", "empty", "directory"])
def test_a_corrupt_cache_is_rebuilt_not_fatal(logs: Path, damage: str) -> None:
    _, _, path = load(logs)
    assert path is not None
    path.unlink()
    if damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.mkdir()
    report, totals, _ = load(logs)
    assert totals == (2, 30)
    assert report.files_read == 2
    if damage != "directory":  # a directory in the way cannot be replaced; we just do without
        report, _, _ = load(logs)
        assert report.files_cached == 2


def test_since_skips_files_not_modified_since_then(logs: Path) -> None:
    old = logs / "projects" / "p" / "a.jsonl"
    stamp = 1_600_000_000  # 2020: everything in it is older than --since
    os.utime(old, (stamp, stamp))
    workspace = Workspace(Options(roots=[logs], tz="UTC", since=date(2026, 1, 1)))
    try:
        report = workspace.refresh()
        assert (report.files, report.files_read) == (2, 1)
    finally:
        workspace.close()


def test_no_cache_option_writes_nothing(logs: Path, isolated_home: Path) -> None:
    load(logs, use_cache=False)
    assert not (isolated_home / ".cache" / "tokentree").exists()


def test_a_live_refresh_after_a_warm_start_with_and_without_changes(logs: Path) -> None:
    """A warm start serves the cache as views; later refreshes must work on top of them."""
    load(logs)
    workspace = Workspace(Options(roots=[logs], tz="UTC"))
    try:
        first = workspace.refresh()
        assert first.cache_status == "loaded" and first.files_read == 0
        assert workspace.refresh().files_read == 0  # nothing changed
        with open(logs / "projects" / "p" / "b.jsonl", "a", encoding="utf-8") as handle:
            handle.write(assistant("msg_7", T.format(7), out=1, uuid="b2") + "\n")
        third = workspace.refresh()
        assert third.files_appended == 1
        workspace.store.build(workspace.view)
        files = workspace.store.cursor().execute("SELECT count(*) FROM files").fetchone()
        calls = workspace.store.cursor().execute("SELECT count(*) FROM calls").fetchone()
        assert files == (2,) and calls == (3,)
    finally:
        workspace.close()


@pytest.mark.parametrize("change", ["appended", "new", "deleted", "touched", "replaced"])
def test_a_change_after_a_warm_run_that_served_the_cache_unread_is_read(
    logs: Path, change: str
) -> None:
    """A warm run whose walk finds the manifest's files unchanged serves the cache without
    reading the manifest; any change to the files afterwards is still seen."""
    load(logs)
    report, totals, _ = load(logs)
    assert report.exposed and (report.files, report.files_cached) == (2, 2)
    assert totals == (2, 30)
    project = logs / "projects" / "p"
    b = project / "b.jsonl"
    if change == "appended":
        with open(b, "a", encoding="utf-8") as handle:
            handle.write(assistant("msg_3", T.format(3), out=5, uuid="b2") + "\n")
    elif change == "new":
        write(project / "c.jsonl", [assistant("msg_3", T.format(3), out=5, uuid="c1")])
    elif change == "deleted":
        (project / "a.jsonl").unlink()
    elif change == "touched":
        stamp = b.stat().st_mtime_ns + 5_000_000_000
        os.utime(b, ns=(stamp, stamp))
    else:  # same size, same mtime, another path: a rename
        b.rename(project / "d.jsonl")
    report, totals, _ = load(logs)
    assert not report.exposed or change == "touched"
    expected = {"appended": (3, 35), "new": (3, 35)}.get(change, (2, 30))
    assert totals == expected
    again, totals, _ = load(logs)  # and the run after it serves the new state unread
    assert again.exposed and totals == expected


def _tables(path: Path) -> set[str]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    return {name for (name,) in rows}


def test_a_save_begun_after_the_read_is_finished_with_the_derived_tables(logs: Path) -> None:
    workspace = Workspace(Options(roots=[logs], tz="UTC"))
    try:
        workspace.refresh()
        workspace.begin_save()  # raw tables written on a thread
        workspace.save_cache()  # waits for them, then builds and writes the calls
        path = workspace.cache.path if workspace.cache else None
    finally:
        workspace.close()
    assert path is not None
    tables = _tables(path)
    assert {"raw_calls", "files", "calls", "prompts", "meta"} <= tables
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        unkeyed = con.execute("SELECT count(*) FROM raw_calls WHERE k IS NULL").fetchone()
    assert unkeyed == (0,)  # keyed as a save after the build leaves them
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    report, totals, _ = load(logs)
    assert (report.files_read, report.exposed, totals) == (0, True, (2, 30))


def test_a_begun_save_that_is_not_wanted_leaves_no_file(logs: Path) -> None:
    workspace = Workspace(Options(roots=[logs], tz="UTC"))
    try:
        workspace.refresh()
        workspace.begin_save()
        workspace._incomplete = True  # as when a front end quits before its read finished
        workspace.save_cache()
        directory = workspace.cache.path.parent if workspace.cache else None
    finally:
        workspace.close()
    assert directory is not None
    assert not list(directory.glob("*.duckdb")) and not list(directory.glob(".*.tmp*"))


def test_an_early_copy_that_fails_removes_its_file_and_the_save_starts_again(
    logs: Path,
) -> None:
    from tokentree.data.store.cache import EarlySave

    workspace = Workspace(Options(roots=[logs], tz="UTC"))
    try:
        workspace.refresh()
        cache = workspace.cache
        assert cache is not None
        writer = cache.writer(workspace.store.cursor())
        assert writer is not None
        early = EarlySave(writer)
        early.copy(workspace.store, ["raw_calls", "no_such_table"])
        assert early.finish(workspace.store.cursor()) is None
        assert not writer.temporary.exists()
        workspace.save_cache()  # a whole save of its own
    finally:
        workspace.close()
    report, totals, _ = load(logs)
    assert (report.files_read, totals) == (0, (2, 30))
