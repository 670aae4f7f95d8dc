"""``tokentree forget``: archived calls removed by session, project or date, and nothing else;
``--dry-run`` removes nothing; the command never loads Textual."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.data.test_archive import export_root, sessions

VICTIM = "1af7fc5e-8455-4414-9ccd-011d40f70b2a"
SHORT = "55604662-cf2a-4331-851a-ec234028f8ca"
"""spotter/short.jsonl's session (project spotter)."""


def minus(total: dict[str, Any], *parts: dict[str, Any]) -> dict[str, int]:
    keys = ("input", "output", "cache_read", "cache_write", "calls")
    return {k: total[k] - sum(p[k] for p in parts) for k in keys}


def counts(total: dict[str, Any]) -> dict[str, int]:
    return minus(total)


@pytest.fixture
def archived(claude_samples: Path) -> tuple[Path, dict[str, Any]]:
    """Two sessions whose files were deleted (one of project spotter), and the export before."""
    before = export_root(claude_samples)
    next(claude_samples.rglob(f"{VICTIM}.jsonl")).unlink()
    next(claude_samples.rglob("short.jsonl")).unlink()
    after = export_root(claude_samples)
    assert {s for s, n in sessions(after).items() if n.get("archived")} == {VICTIM, SHORT}
    return claude_samples, before


def forget(*args: str) -> str:
    code, out, err = run_cli("forget", *args)
    assert code == 0, err
    return out


def test_a_dry_run_says_what_it_would_forget_and_keeps_it(archived) -> None:
    root, before = archived
    said = forget("--session", VICTIM, "--dry-run")
    calls = sessions(before)[VICTIM]["totals"]["calls"]
    assert f"would forget {calls} archived calls in 1 session" in said
    assert export_root(root)["totals"] == before["totals"]


def test_forget_a_session(archived) -> None:
    root, before = archived
    said = forget("--session", VICTIM)
    gone = sessions(before)[VICTIM]["totals"]
    assert f"forgot {gone['calls']} archived calls in 1 session (1 archived file emptied)" in said
    after = export_root(root)
    assert VICTIM not in sessions(after)
    assert sessions(after)[SHORT]["archived"] is True
    assert counts(after["totals"]) == minus(before["totals"], gone)
    assert "nothing forgotten" in forget("--session", VICTIM)


def test_forget_a_project(archived) -> None:
    root, before = archived
    project = sessions(before)[SHORT]["project"]
    assert project == "spotter"
    forget("--project", project)
    after = export_root(root)
    assert SHORT not in sessions(after)
    assert sessions(after)[VICTIM]["archived"] is True  # another project
    live = [s for s in sessions(after).values() if s["project"] == project]
    assert live and not any(s.get("archived") for s in live)  # files on disk stay
    gone = sessions(before)[SHORT]["totals"]
    assert counts(after["totals"]) == minus(before["totals"], gone)


def test_forget_before_a_date(archived, tmp_path: Path) -> None:
    root, before = archived
    forget("--before", "2000-01-01")  # older than every call: nothing
    assert export_root(root)["totals"] == before["totals"]
    forget("--before", "2099-01-01")  # every archived call
    after = export_root(root)
    assert not any(s.get("archived") for s in sessions(after).values())
    on_disk = tmp_path / "elsewhere"
    shutil.copytree(root, on_disk)  # the same files under another root: no archive there
    assert after["totals"] == export_root(on_disk)["totals"]


def test_forget_needs_a_selector() -> None:
    code, _, err = run_cli("forget")
    assert code == 2 and "--before, --session or --project" in err


def test_forget_never_imports_textual(archived) -> None:
    code = (
        "import sys; from tokentree.cli import main; "
        "assert main(['forget', '--session', 'none', '--dry-run']) == 0; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr


def test_forgetting_a_session_removes_its_subagent_records(
    small_corpus: tuple[Path, Any], tmp_path: Path
) -> None:
    """A subagent's record (its sidecar's row) goes with the last archived call of its session
    and file; the other sessions' records stay."""
    import duckdb

    from tokentree import paths

    root = tmp_path / "projects"
    shutil.copytree(small_corpus[0], root)
    transcripts = list(root.rglob("*.jsonl"))

    def only_here(session_dir: Path) -> bool:  # no other file (a resume, a copy) names it
        own = {*session_dir.rglob("*.jsonl"), *root.rglob(f"{session_dir.name}.jsonl")}
        return not any(
            session_dir.name in t.read_text(errors="replace") for t in transcripts if t not in own
        )

    # <project>/<session>/subagents/<agent>.meta.json
    session_dir = next(
        d for d in {m.parent.parent for m in root.rglob("subagents/*.meta.json")} if only_here(d)
    )
    victim = session_dir.name
    export_root(root)  # the cache knows the session's files
    shutil.rmtree(session_dir)
    for transcript in root.rglob(f"{victim}.jsonl"):
        transcript.unlink()
    assert sessions(export_root(root))[victim]["archived"] is True

    def archived_agents() -> dict[str, int]:
        archive = paths.data_dir() / "archive"
        files = [str(p) for p in archive.rglob("raw_agents.parquet")]
        if not files:
            return {}
        rows = duckdb.sql(
            "SELECT session_id, count(*) FROM read_parquet($files, union_by_name = true) "
            "GROUP BY ALL",
            params={"files": files},
        ).fetchall()
        return dict(rows)

    before = archived_agents()
    assert before.get(victim, 0) > 0, "the deleted session's subagent records were archived"
    forget("--session", victim)
    after = archived_agents()
    assert victim not in after
    assert {k: v for k, v in before.items() if k != victim} == after
