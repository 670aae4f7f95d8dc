"""Reopening serves the derived stages saved with the cache (prices, turns, activity,
insights) for the same view, prices and rules; any other run builds its own, and every
export equals one read from scratch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import export
from tokentree.data.workspace import Options, Workspace

ANNOTATED = ("--level", "turn", "--annotate")


def stable(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "generated_at"}


def scratch(root: Path, *args: str) -> dict[str, Any]:
    document, _ = export("--root", str(root), "--no-cache", *args)
    return stable(document)


def adopted(root: Path, tz: str = "UTC") -> dict[str, bool]:
    """Which stages a fresh process serves from the cache after an unchanged reopen."""
    workspace = Workspace(Options(roots=[root], tz=tz))
    try:
        report = workspace.refresh()
        assert report.exposed
        derived = workspace.store.derived
        return {stage.name: stage.adopted for stage in derived.later}
    finally:
        workspace.close()


def test_an_annotated_reopen_serves_every_stage_and_equals_a_cold_read(
    claude_samples: Path,
) -> None:
    cold, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    served = adopted(claude_samples)
    assert list(served) == ["priced", "days", "turns", "activity", "insights"]
    assert all(served.values())
    warm, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert stable(warm) == stable(cold) == scratch(claude_samples, "--tz", "UTC", *ANNOTATED)
    plain, _ = export("--root", str(claude_samples), "--tz", "UTC", "--level", "day")
    assert stable(plain) == scratch(claude_samples, "--tz", "UTC", "--level", "day")


def test_a_plain_reopen_serves_the_prices_only(claude_samples: Path) -> None:
    export("--root", str(claude_samples), "--tz", "UTC", "--level", "day")
    served = adopted(claude_samples)
    assert served["priced"] and served["days"]
    assert not served["turns"] and not served["activity"] and not served["insights"]
    warm, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert stable(warm) == scratch(claude_samples, "--tz", "UTC", *ANNOTATED)
    assert all(adopted(claude_samples).values())  # the annotated run saved its stages


def test_another_time_zone_builds_its_own_prices(claude_samples: Path) -> None:
    export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert not any(adopted(claude_samples, tz="Asia/Tokyo").values())
    tokyo, _ = export("--root", str(claude_samples), "--tz", "Asia/Tokyo", *ANNOTATED)
    assert stable(tokyo) == scratch(claude_samples, "--tz", "Asia/Tokyo", *ANNOTATED)


def test_a_file_changed_after_a_reopen_is_read(claude_samples: Path) -> None:
    export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)  # served from the cache
    files = sorted(claude_samples.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
    grown, copied = files[-1], files[-2]
    lines = copied.read_text(encoding="utf-8").splitlines(keepends=True)
    with open(grown, "a", encoding="utf-8") as handle:
        handle.write(lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n")
    (grown.parent / "new-session.jsonl").write_text("".join(lines[: len(lines) // 2]), "utf-8")
    warm, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert stable(warm) == scratch(claude_samples, "--tz", "UTC", *ANNOTATED)


def test_a_reopen_after_a_change_applies_it_as_a_delta(claude_samples: Path) -> None:
    """The saved stages are served, then what changed is applied to them for its sessions
    only, as in live mode: no stage is built again in full."""
    export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    files = sorted(claude_samples.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
    lines = files[-2].read_text(encoding="utf-8").splitlines(keepends=True)
    with open(files[-1], "a", encoding="utf-8") as handle:
        handle.write(lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n")
    workspace = Workspace(Options(roots=[claude_samples], tz="UTC"))
    try:
        report = workspace.refresh()
        assert report.files_appended == 1 and not report.exposed
        derived = workspace.store.derived
        derived.ensure_insights(workspace.options.settings.activity_rules, workspace.store.prices)
        stages = (derived.calls, derived.priced, derived.turns, derived.activity, derived.insights)
        assert [(s.generation, s.changes) for s in stages] == [(1, 1)] * 5
        assert not derived.days.adopted  # rebuilt with the prices' change: one small aggregate
    finally:
        workspace.close()
    warm, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert stable(warm) == scratch(claude_samples, "--tz", "UTC", *ANNOTATED)
