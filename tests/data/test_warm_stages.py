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
        stages = (derived.priced, derived.turns, derived.activity, derived.insights)
        return {stage.name: stage.adopted for stage in stages}
    finally:
        workspace.close()


def test_an_annotated_reopen_serves_every_stage_and_equals_a_cold_read(
    claude_samples: Path,
) -> None:
    cold, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert adopted(claude_samples) == dict.fromkeys(
        ("priced", "turns", "activity", "insights"), True
    )
    warm, _ = export("--root", str(claude_samples), "--tz", "UTC", *ANNOTATED)
    assert stable(warm) == stable(cold) == scratch(claude_samples, "--tz", "UTC", *ANNOTATED)
    plain, _ = export("--root", str(claude_samples), "--tz", "UTC", "--level", "day")
    assert stable(plain) == scratch(claude_samples, "--tz", "UTC", "--level", "day")


def test_a_plain_reopen_serves_the_prices_only(claude_samples: Path) -> None:
    export("--root", str(claude_samples), "--tz", "UTC", "--level", "day")
    served = adopted(claude_samples)
    assert served["priced"] and not served["activity"] and not served["insights"]
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
