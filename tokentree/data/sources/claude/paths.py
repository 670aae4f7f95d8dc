"""Where Claude Code keeps its transcripts, and which files under a root are ours."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

TRANSCRIPT = "transcript"
AGENT_META = "agent-meta"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """Claude Code data directories: ``$CLAUDE_CONFIG_DIR`` (comma-separated), the XDG config
    location and ``~/.claude``; duplicates (by real path) removed, order kept."""
    home = Path(env.get("HOME") or Path.home())
    candidates: list[Path] = []
    for part in (env.get("CLAUDE_CONFIG_DIR") or "").split(","):
        if part.strip():
            candidates.append(Path(part.strip()).expanduser())
    xdg = env.get("XDG_CONFIG_HOME")
    candidates.append((Path(xdg) if xdg else home / ".config") / "claude")
    candidates.append(home / ".claude")
    seen: set[str] = set()
    roots: list[Path] = []
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            roots.append(candidate / "projects")
    return roots


def transcript_dir(root: Path) -> Path:
    """The directory holding transcripts under a data root (``<root>/projects`` if present)."""
    projects = root / "projects"
    return projects if projects.is_dir() else root


def match(path: str) -> str | None:
    """Transcripts are ``*.jsonl``; subagent sidecars are ``subagents/**/agent-*.meta.json``."""
    name = os.path.basename(path)
    if name.endswith(".jsonl"):
        return TRANSCRIPT
    if name.startswith("agent-") and name.endswith(".meta.json") and _under_subagents(path):
        return AGENT_META
    return None


def _under_subagents(path: str) -> bool:
    return f"{os.sep}subagents{os.sep}" in path
