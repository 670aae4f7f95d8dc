"""The archive and devices together: a machine's archived calls still reach the other devices,
and other devices' partitions are never archived as if they were this machine's logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import export, run_cli
from tests.data.test_archive import VICTIM
from tokentree.data.store import cache as cache_module

TOTALS = ("input", "output", "cache_read", "cache_write", "calls", "cost_usd")


class Machines:
    """Two machines (own config, cache and archive) and one shared folder."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logs: Path) -> None:
        self.tmp, self.monkeypatch, self.logs = tmp_path, monkeypatch, logs
        self.folder = tmp_path / "shared"
        self.empty = tmp_path / "no-logs"
        self.empty.mkdir()

    def use(self, name: str) -> list[str]:
        for variable, leaf in (
            ("TOKENTREE_SYNC_CONFIG", "sync.json"),
            ("TOKENTREE_CACHE_DIR", "cache"),
            ("TOKENTREE_DATA_DIR", "data"),
        ):
            self.monkeypatch.setenv(variable, str(self.tmp / name / leaf))
        root = self.logs if name == "laptop" else self.empty
        return [f"--root=claude={root}"]

    def sync(self, name: str) -> None:
        code, _, err = run_cli("sync", str(self.folder), "--device", name, *self.use(name))
        assert code == 0, err

    def export(self, name: str) -> dict[str, Any]:
        document, _ = export(*self.use(name))
        return document


def totals(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document["totals"][key] for key in TOTALS}


def sessions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        session["id"]: session
        for week in document["children"]
        for day in week["children"]
        for session in day["children"]
    }


@pytest.fixture
def machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claude_samples: Path) -> Machines:
    return Machines(tmp_path, monkeypatch, claude_samples)


def test_archived_calls_are_synced_and_seen_by_the_other_device(machines: Machines) -> None:
    machines.sync("laptop")
    machines.sync("desktop")
    before = totals(machines.export("desktop"))
    assert before == totals(machines.export("laptop"))

    next(machines.logs.rglob(f"{VICTIM}.jsonl")).unlink()  # the assistant's clean-up
    laptop = machines.export("laptop")
    assert totals(laptop) == before and sessions(laptop)[VICTIM].get("archived") is True
    machines.sync("laptop")
    assert totals(machines.export("desktop")) == before
    assert VICTIM in sessions(machines.export("desktop"))


def test_an_upgrade_archives_no_partition_of_another_device(
    machines: Machines, monkeypatch: pytest.MonkeyPatch
) -> None:
    machines.sync("laptop")
    machines.sync("desktop")
    before = machines.export("desktop")
    assert totals(before)["calls"] > 0

    monkeypatch.setattr(cache_module, "PARSER_VERSION", cache_module.PARSER_VERSION + 1)
    after = machines.export("desktop")
    assert totals(after) == totals(before)
    assert not [s for s, node in sessions(after).items() if node.get("archived")]
    archive = machines.tmp / "desktop" / "data"
    assert not list(archive.rglob("*.parquet")), "another device's partitions were archived"
