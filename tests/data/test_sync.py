"""Devices (docs/sync.md): two homes syncing into one folder see one exact merged tree.

Home A reads the embedded demo's logs (six sources) through ``--root``, home B a generated
Claude corpus; each has its own config and cache. Totals are compared with each home's own
export (exact: costs are sums of 2^-30 USD units), and with plain DuckDB over the folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import export, run_cli, walk
from tokentree.data.workspace import demo_root

DEMO_SOURCES = ("claude", "codex", "gemini", "hermes", "jsonl", "opencode")
TOTALS = ("input", "output", "cache_read", "cache_write", "calls", "cost_usd")


class Homes:
    """Two machines' settings and caches, switched by environment variables."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: Path) -> None:
        self.tmp, self.monkeypatch = tmp_path, monkeypatch
        self.roots = {
            "a": [f"--root={name}={demo_root() / name}" for name in DEMO_SOURCES],
            "b": [f"--root=claude={corpus}"],
        }
        self.folder = tmp_path / "shared"

    def use(self, home: str) -> list[str]:
        self.monkeypatch.setenv("TOKENTREE_SYNC_CONFIG", str(self.tmp / home / "sync.json"))
        self.monkeypatch.setenv("TOKENTREE_CACHE_DIR", str(self.tmp / home / "cache"))
        return self.roots[home]

    def sync(self, home: str, *extra: str) -> str:
        code, _, err = run_cli("sync", str(self.folder), "--device", home, *self.use(home), *extra)
        assert code == 0, err
        return err

    def export(self, home: str, *extra: str) -> dict[str, Any]:
        document, _ = export(*self.use(home), "--no-annotate", *extra)
        return document

    def partitions(self) -> list[Path]:
        return sorted(self.folder.rglob("*.parquet"))


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_corpus: tuple[Path, Any]) -> Homes:
    return Homes(tmp_path, monkeypatch, small_corpus[0])


def totals(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document["totals"][key] for key in TOTALS}


def added(*documents: dict[str, Any]) -> dict[str, Any]:
    return {key: sum(d["totals"][key] for d in documents) for key in TOTALS}


def sessions(document: dict[str, Any], device: str | None = None) -> dict[tuple[str, str], Any]:
    return {
        (day["id"], session["id"]): session
        for week in document["children"]
        for day in week["children"]
        for session in day["children"]
        if device is None or session["device"] == device
    }


def shape(session: dict[str, Any]) -> tuple[Any, ...]:
    """What must survive a sync exactly: totals, project, turns and calls."""
    return (
        session["totals"],
        session["project"],
        session["source"],
        [
            (
                turn["id"],
                turn["start"],
                turn["totals"],
                [
                    (c["id"], c["start"], c["totals"], c["model"], c["tools"])
                    for c in turn["children"]
                ],
            )
            for turn in session["children"]
        ],
    )


def test_two_homes_see_one_exact_tree(homes: Homes) -> None:
    alone_a, alone_b = homes.export("a"), homes.export("b")
    homes.sync("a")
    homes.sync("b")
    merged_a, merged_b = homes.export("a"), homes.export("b")
    assert totals(merged_a) == totals(merged_b) == added(alone_a, alone_b)
    assert merged_a["devices"] == merged_b["devices"] == ["a", "b"]
    assert merged_b["device"] == "b"
    own, seen = sessions(alone_a), sessions(merged_b, "a")
    assert own.keys() == seen.keys()
    assert all(shape(own[key]) == shape(seen[key]) for key in own)
    assert {s["device"] for s in sessions(merged_a).values()} == {"a", "b"}
    calls = [n for n in walk(merged_b) if n.get("kind") == "call"]
    assert {c["device"] for c in calls} == {"a", "b"}


def test_a_second_sync_adds_nothing(homes: Homes) -> None:
    homes.sync("a")
    first = homes.partitions()
    err = homes.sync("a")
    assert "0 partitions written" in err and "0 replaced" in err
    assert homes.partitions() == first
    homes.sync("b")
    merged = homes.export("b")
    homes.sync("a")
    assert totals(homes.export("b")) == totals(merged)


def test_partially_written_partitions_are_ignored(homes: Homes) -> None:
    homes.sync("a")
    homes.sync("b")
    expected = totals(homes.export("b"))
    part = homes.partitions()[0]
    data = part.read_bytes()
    (part.parent / f".{part.name}.123.tmp").write_bytes(data[: len(data) // 2])
    other = homes.folder / "device=c" / "source=claude" / "month=2026-11"
    other.mkdir(parents=True)
    (other / "_calls-x.parquet").write_bytes(data)  # a hidden name: never read
    (other / "calls-half.parquet").write_bytes(data[: len(data) // 2])  # visible, truncated
    code, out, err = run_cli("export", "--json", "--no-annotate", *homes.use("b"))
    assert code == 0
    assert totals(json.loads(out)) == expected
    assert "calls-half.parquet" in err  # reported, not fatal, not hiding good data


def test_plain_duckdb_over_the_folder_sums_to_the_same_totals(homes: Homes) -> None:
    homes.sync("a")
    homes.sync("b")
    merged = totals(homes.export("b"))
    pattern = str(homes.folder / "**" / "*.parquet")
    row = (
        duckdb.connect()
        .execute(
            "SELECT sum(input), sum(output), sum(cache_read), sum(cache_write), count(*), "
            f"sum(cost_usd), list(DISTINCT device ORDER BY device) FROM read_parquet('{pattern}', "
            "hive_partitioning = true)"
        )
        .fetchone()
    )
    assert row is not None
    assert dict(zip(TOTALS, row[:6], strict=True)) == merged
    assert row[6] == ["a", "b"]


def test_device_filter(homes: Homes) -> None:
    alone_a = homes.export("a")
    homes.sync("a")
    homes.sync("b")
    only_a = homes.export("b", "--device", "a")
    assert totals(only_a) == totals(alone_a)
    assert {s["device"] for s in sessions(only_a).values()} == {"a"}
    both = homes.export("b", "--device", "a", "--device", "b")
    assert totals(both) == totals(homes.export("b"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_prompt_text_or_path_leaves_the_machine(homes: Homes) -> None:
    own = export(*homes.use("a"))[0]
    prompts = {
        text
        for node in walk(own)
        for text in (node.get("prompt"), node.get("first_prompt"))
        if isinstance(text, str) and len(text) >= 12
    }
    details = {
        call["detail"]
        for node in walk(own)
        for call in node.get("tool_calls", [])
        if isinstance(call.get("detail"), str)
        and len(call["detail"]) >= 12
        and (" " in call["detail"] or "/" in call["detail"])  # a command, a path, a pattern
    }
    paths = {s["cwd"] for s in sessions(own).values() if s.get("cwd")}
    assert prompts and paths
    homes.sync("a")
    written = [s for part in homes.partitions() for s in _strings(pq.read_table(part).to_pylist())]
    raw = b"".join(part.read_bytes() for part in homes.partitions())
    for secret in prompts | details | paths:
        assert not any(secret in s for s in written), secret
        assert secret.encode() not in raw


def test_anonymized_projects_are_stable_hashes(homes: Homes) -> None:
    own = homes.export("a")
    names = {s["project"] for s in sessions(own).values()}
    homes.sync("a", "--anonymize-projects")
    written = {p for part in homes.partitions() for p in pq.read_table(part)["project"].to_pylist()}
    assert written and not written & names
    assert all(p.startswith("project-") for p in written)
    hidden = homes.export("a", "--anonymize-projects")
    exported = sessions(hidden)
    assert {s["project"] for s in exported.values()} == written
    assert all(s["cwd"] is None for s in exported.values())
    assert not any(name in s["label"] for s in exported.values() for name in names - {"?"})
    assert json.loads((homes.tmp / "a" / "sync.json").read_text())["anonymize_projects"] is True


def test_a_workspace_reads_a_partition_once_and_toggles_devices(homes: Homes) -> None:
    from tokentree.cli import build_parser, options_from
    from tokentree.data.store.store import View
    from tokentree.data.workspace import DEVICE_PREFIX, Workspace

    alone_a = homes.export("a")
    homes.sync("a")
    homes.sync("b")
    workspace = Workspace(options_from(build_parser().parse_args(["--no-cache", *homes.use("b")])))
    try:
        workspace.refresh()
        assert workspace.devices.present == ["a"]
        assert workspace.devices.merge(workspace._states).read == 0  # nothing changed
        entries = {u.name: u for u in workspace.source_usage()}
        assert entries[f"{DEVICE_PREFIX}a"].calls == alone_a["totals"]["calls"]
        assert not entries[f"{DEVICE_PREFIX}a"].hidden
        workspace.set_hidden_sources(frozenset({f"{DEVICE_PREFIX}b"}))
        assert workspace.view.devices == frozenset({"a"})
        workspace.store.build(workspace.view)
        calls = workspace.store.scalar("SELECT count(*) FROM priced")
        assert calls == alone_a["totals"]["calls"]
        workspace.set_hidden_sources(frozenset())
        assert workspace.view == View(tz=workspace.view.tz)
    finally:
        workspace.close()


def test_a_forgotten_folder_drops_the_merged_devices_from_a_warm_cache(homes: Homes) -> None:
    alone_a, alone_b = homes.export("a"), homes.export("b")
    homes.sync("a")
    homes.sync("b")
    merged = homes.export("b")  # merges a's partitions; the cache keeps them
    assert totals(merged) == added(alone_a, alone_b)
    (homes.tmp / "b" / "sync.json").unlink()  # no folder any more
    assert totals(homes.export("b")) == totals(alone_b)
