"""Every registered source passes the same checks: an empty root, its sample read exactly, a file
that grows, truncated and garbage files, an unreadable file, the source filter — and the user's
files are never modified. A source joins the registry with a samples module
(``tests/data/sources/<name>/samples.py``: ``write_sample``, ``grow``, ``data_files``)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import checksums, export, run_cli, walk
from tests.data.sources.truth import Truth, truth_of
from tokentree.data import sources
from tokentree.data.read import linereader
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.source import LineFormat
from tokentree.data.store.store import UsageStore
from tokentree.data.workspace import Options, Workspace

NAMES = sources.names()


def samples(name: str) -> ModuleType:
    return importlib.import_module(f"tests.data.sources.{name}.samples")


def run(name: str, root: Path, *extra: str) -> tuple[dict, str]:
    """Export the source's data under ``root``; prove nothing under it was modified."""
    before = checksums(root)
    document, stderr = export("--root", f"{name}={root}", "--tz", "UTC", *extra)
    assert checksums(root) == before, "tokentree modified the user's files"
    return document, stderr


@pytest.fixture(params=NAMES)
def name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_every_source_has_conformance_samples() -> None:
    missing = []
    for source in NAMES:
        try:
            samples(source)
        except ModuleNotFoundError:
            missing.append(source)
    assert not missing, f"sources without tests/data/sources/<name>/samples.py: {missing}"


def test_every_source_declares_itself(name: str) -> None:
    source = sources.get(name)
    assert source.name == name and source.label and 1 <= len(source.marker) <= 2
    assert source.formats and len({f.name for f in source.formats}) == len(source.formats)


def test_an_empty_root_is_empty_not_an_error(name: str, tmp_path: Path) -> None:
    document, stderr = run(name, tmp_path)
    assert document["totals"]["calls"] == 0 and document["files"] == 0
    assert document["unreadable_files"] == 0 and "could not read" not in stderr


def test_the_sample_is_read_exactly(name: str, tmp_path: Path) -> None:
    truth = samples(name).write_sample(tmp_path)
    document, stderr = run(name, tmp_path)
    assert truth_of(document["totals"]) == truth, stderr
    assert document["sources"] == [name]
    sessions = [n for n in walk(document) if n.get("kind") == "session"]
    calls = [n for n in walk(document) if n.get("kind") == "call"]
    assert sessions and {n["source"] for n in sessions + calls} == {name}
    assert document["skipped_lines"] == 0 and document["unreadable_files"] == 0, stderr


def test_clean_line_files_are_read_by_the_bulk_scan(name: str, tmp_path: Path) -> None:
    """The sample's plain line files go through DuckDB's scan, not the tolerant fallback (a
    scan statement that fails would silently send every file to Python)."""
    module = samples(name)
    module.write_sample(tmp_path)
    source = sources.get(name)
    targets = []
    for path in module.data_files(tmp_path):
        fmt_name = source.match(str(path))
        if fmt_name is None or linereader.is_compressed(str(path)):
            continue
        if isinstance(source.format(fmt_name), LineFormat):
            stat = path.stat()
            targets.append(ScanTarget(str(path), stat.st_size, stat.st_mtime_ns, name, fmt_name))
    if not targets:
        pytest.skip("no plain line files in the sample")
    store = UsageStore()
    try:
        states = Scanner(store.cursor()).scan(targets)
    finally:
        store.close()
    assert {state.path: state.via for state in states} == dict.fromkeys(
        (t.path for t in targets), "duckdb"
    )


def test_a_file_that_grows_is_read_again(name: str, tmp_path: Path) -> None:
    module = samples(name)
    truth = module.write_sample(tmp_path)
    workspace = Workspace(Options(roots=[(name, tmp_path)], tz="UTC"))
    try:
        workspace.refresh()
        truth = truth + module.grow(tmp_path)
        report = workspace.refresh()  # the same process: the incremental path
        assert report.changed
        workspace.store.build(workspace.view)
        total = workspace.store.scalar(
            "SELECT [count(*), sum(input), sum(output), sum(cache_read), sum(cache_write)] "
            "FROM calls JOIN priced USING (cid)"
        )
        assert Truth(*map(int, total)) == truth
    finally:
        workspace.close()
    document, _ = run(name, tmp_path)  # a new process, from the cache it saved
    assert truth_of(document["totals"]) == truth


def test_well_formed_line_files_take_the_bulk_path(name: str, tmp_path: Path) -> None:
    """The sample's plain line files are read by DuckDB's bulk scan, not the tolerant
    fallback (which is right but slow): a scan_sql that does not run shows up here."""
    module = samples(name)
    module.write_sample(tmp_path)
    source = sources.get(name)
    targets = []
    for path in module.data_files(tmp_path):
        fmt = source.match(str(path))
        plain = not linereader.is_compressed(str(path))
        if fmt is not None and plain and isinstance(source.format(fmt), LineFormat):
            targets.append(ScanTarget(str(path), path.stat().st_size, 0, name, fmt))
    if not targets:
        pytest.skip("no plain line files")
    store = UsageStore()
    try:
        states = Scanner(store.cursor()).scan(targets)
    finally:
        store.close()
    assert {state.via for state in states} == {"duckdb"}


@pytest.mark.parametrize("damage", ["truncated", "garbage", "invalid-utf8", "empty"])
def test_damaged_files_never_crash_and_never_hide_the_rest(
    name: str, tmp_path: Path, damage: str
) -> None:
    module = samples(name)
    truth = module.write_sample(tmp_path)
    files = module.data_files(tmp_path)
    victim = files[-1]
    data = victim.read_bytes()
    victim.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "garbage": os.urandom(4096),
            "invalid-utf8": data[: len(data) // 3] + b"\xff\xfe\xc3(" + data[len(data) // 3 :],
            "empty": b"",
        }[damage]
    )
    code, out, err = run_cli("export", "--json", "--root", f"{name}={tmp_path}", "--tz", "UTC")
    assert code == 0, err
    import json

    document = json.loads(out)
    totals = truth_of(document["totals"])
    assert totals.calls <= truth.calls + 1  # damage may split a record, never invent many
    if len(files) > 1:
        assert totals.calls >= 1, "the undamaged files must still be counted"


def test_an_unreadable_file_is_reported_and_the_rest_counted(name: str, tmp_path: Path) -> None:
    module = samples(name)
    module.write_sample(tmp_path)
    files = module.data_files(tmp_path)
    victim = files[-1]
    victim.unlink()
    victim.symlink_to(tmp_path / "nowhere" / victim.name)  # dangling: stat fails
    document, stderr = run(name, tmp_path)
    assert document["unreadable_files"] >= 1 and "could not read" in stderr
    if len(files) > 1:
        assert document["totals"]["calls"] >= 1


def test_the_source_filter_is_pushed_into_discovery(name: str, tmp_path: Path) -> None:
    samples(name).write_sample(tmp_path)
    others = [other for other in NAMES if other != name]
    if not others:
        pytest.skip("only one source is registered")
    document, _ = export("--root", f"{name}={tmp_path}", "--source", others[0], "--tz", "UTC")
    assert document["files"] == 0 and document["totals"]["calls"] == 0
    assert name not in document["sources"]  # (no root of the chosen source: nothing read)
