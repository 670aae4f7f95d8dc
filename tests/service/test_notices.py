"""What the user is told about a refresh: start-up notices (never about the demo's own data),
the answer to ``r``, the progress worth showing, and the empty state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tokentree.data import sources
from tokentree.data.read.discovery import SourceRoot
from tokentree.data.read.ingest import IngestReport
from tokentree.data.store.store import View
from tokentree.service.notices import empty_message, nothing_in_range, refresh_outcome
from tokentree.service.refresh import Reason


def report(**fields: object) -> IngestReport:
    base = {"roots": [Path("/logs")], "files": 3}
    return IngestReport(**{**base, **fields})  # type: ignore[arg-type]


def test_start_up_notice_for_skipped_input_but_not_for_the_demo() -> None:
    skipped = report(skipped_lines=2, files_with_skipped=1, truncated_files=1)
    outcome = refresh_outcome(skipped, Reason.INITIAL, demo=False)
    assert outcome.notice is not None and not outcome.notice.startswith("tokentree:")
    assert "skipped 2 malformed lines in 1 file" in outcome.notice
    assert refresh_outcome(skipped, Reason.INITIAL, demo=True).notice is None
    assert refresh_outcome(skipped, Reason.LIVE, demo=False).notice is None
    assert refresh_outcome(report(), Reason.INITIAL, demo=False).notice is None


def test_the_answer_to_r() -> None:
    assert refresh_outcome(report(), Reason.USER, demo=False).reply == (
        "Up to date: no transcript changed"
    )
    changed = refresh_outcome(report(files_read=1, files_appended=2), Reason.USER, demo=False)
    assert changed.reply == "Reloaded: 3 changed files"
    assert refresh_outcome(report(files_read=1), Reason.LIVE, demo=False).reply is None


def test_empty() -> None:
    assert refresh_outcome(report(files=0), Reason.INITIAL, demo=False).empty
    assert not refresh_outcome(report(files=0), Reason.INITIAL, demo=True).empty
    claude, codex = sources.get("claude"), sources.get("jsonl")
    a, b = SourceRoot(claude, Path("/a")), SourceRoot(codex, Path("/b"))
    home = SourceRoot(claude, Path.home() / ".claude" / "projects")
    text = empty_message([a, b, home], report(files=0, missing_roots=[a, home]))
    lines = text.splitlines()
    assert lines[0] == "No usage logs found." and lines[2].startswith("Press d to explore")
    # one line per source, paths shortened under the home directory, found-but-empty marked
    assert "  Claude Code  /a, ~/.claude/projects" in lines
    assert "  JSONL feed   /b (no usage logs)" in lines
    view = View(tz="UTC", since=date(2030, 1, 1))
    assert nothing_in_range(view) == (
        "No usage from 2030-01-01 to today (UTC). Try other --since/--until dates."
    )


def test_progress_is_throttled_and_empty_reads_report_nothing() -> None:
    from tokentree.service.progress import throttled

    now = [0.0]
    seen: list[tuple[int, int, int, int]] = []
    progress = throttled(lambda *counts: seen.append(counts), interval=1.0, clock=lambda: now[0])
    progress(0, 0, 0, 0)  # nothing to read (r with nothing changed)
    assert seen == []
    progress(0, 3, 0, 300)
    progress(1, 3, 100, 300)  # too soon
    now[0] = 1.5
    progress(2, 3, 200, 300)
    progress(3, 3, 300, 300)  # the last one always
    assert seen == [(0, 3, 0, 300), (2, 3, 200, 300), (3, 3, 300, 300)]
