"""What a front end tells the user about a refresh and about an empty data set (headless
wording, shared by every front end)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.model.format import plural
from tokentree.service.refresh import Reason

if TYPE_CHECKING:
    from tokentree.data.read.discovery import SourceRoot
    from tokentree.data.read.ingest import IngestReport
    from tokentree.data.store.store import View


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    empty: bool
    """No transcripts at all (say where we looked, offer the demo)."""
    notice: str | None
    """Something worth a lasting line (skipped or unreadable input), from the first read."""
    reply: str | None
    """The answer to a user's ``r``."""


def refresh_outcome(report: IngestReport, reason: Reason, *, demo: bool) -> RefreshOutcome:
    """How to report ``report``. The embedded demo is clean by definition: its deliberately
    unfinished last line is part of the data it shows, not a problem with the user's logs."""
    notice = None
    if reason is Reason.INITIAL and not demo:
        summary = report.summary()
        notice = summary.removeprefix("tokentree: ") if summary else None
    reply = None
    if reason is Reason.USER:
        changed = report.files_read + report.files_appended
        reply = (
            f"Reloaded: {plural(changed, 'changed file')}"
            if changed
            else "Up to date: no transcript changed"
        )
    return RefreshOutcome(empty=report.files == 0 and not demo, notice=notice, reply=reply)


def empty_message(roots: list[SourceRoot], report: IngestReport | None) -> str:
    """What to say when no logs were found: the demo offer first (it must stay on a small
    screen), then where we looked, one line per source, home shortened to ``~``."""
    missing = set(report.missing_roots) if report else set()
    places: dict[str, list[str]] = {}
    for root in roots:
        note = "" if root in missing else " (no usage logs)"
        places.setdefault(root.source.label, []).append(f"{_home_relative(root.path)}{note}")
    width = max((len(label) for label in places), default=0)
    looked = (
        "\n".join(f"  {label:<{width}}  {', '.join(paths)}" for label, paths in places.items())
        or "  (nowhere)"
    )
    return (
        "No usage logs found.\n\n"
        "Press d to explore the embedded demo data, or point tokentree at your logs with "
        "--root PATH (or CLAUDE_CONFIG_DIR, CODEX_HOME …); `tokentree paths` lists every place.\n\n"
        f"Looked in (missing unless marked):\n{looked}"
    )


def _home_relative(path: Path) -> str:
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def nothing_in_range(view: View) -> str:
    """What to say when transcripts exist but no call falls in the chosen dates."""
    since = view.since.isoformat() if view.since else "the beginning"
    until = view.until.isoformat() if view.until else "today"
    return f"No usage from {since} to {until} ({view.tz}). Try other --since/--until dates."
