"""Claude Code's prompt history, ``<config dir>/history.jsonl``: one line per prompt typed
(``display``: the text, ``timestamp``: milliseconds, ``project``: the working directory,
``sessionId`` in newer versions). Claude Code's clean-up of old transcripts leaves it, so it
still names the prompts of sessions whose transcripts are gone."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tokentree.data.source import HistoryPrompt

NAME = "history.jsonl"


def history_files(roots: Sequence[Path]) -> list[Path]:
    """The history beside each transcript root (``<config dir>/projects``), once each."""
    found: dict[str, Path] = {}
    for root in roots:
        base = root.parent if root.name == "projects" else root
        candidate = base / NAME
        if candidate.is_file():
            found.setdefault(os.path.realpath(candidate), candidate)
    return list(found.values())


def read_history(roots: Sequence[Path]) -> list[HistoryPrompt]:
    """Every readable prompt of the histories of ``roots``; a broken line is skipped."""
    prompts: list[HistoryPrompt] = []
    for path in history_files(roots):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    prompt = _prompt(str(path), line)
                    if prompt is not None:
                        prompts.append(prompt)
        except OSError:
            continue
    return prompts


def _prompt(path: str, line: str) -> HistoryPrompt | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    text, stamp = entry.get("display"), entry.get("timestamp")
    if not isinstance(text, str) or not text.strip() or not isinstance(stamp, int | float):
        return None
    try:
        ts = datetime.fromtimestamp(stamp / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    project, session = entry.get("project"), entry.get("sessionId")
    return HistoryPrompt(
        path,
        ts,
        text,
        project if isinstance(project, str) else None,
        session if isinstance(session, str) else None,
    )
