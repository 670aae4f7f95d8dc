"""Where Codex keeps its rollouts, which files under a root are rollouts, and which copies of
one rollout to read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROLLOUT = "rollout"
SESSIONS = "sessions"
ARCHIVED = "archived_sessions"
COMPRESSED = ".zst"

SKIPPED_DIRS = frozenset(
    {"log", "shell_snapshots", "worktrees", "plugins", "skills", "memories", "node_modules", ".git"}
)
"""Directories of a Codex home that hold no rollouts (pruned when a whole home is a root)."""


def homes(env: Mapping[str, str]) -> list[Path]:
    """Codex homes: ``$CODEX_HOME`` (comma-separated, as ccusage accepts) or ``~/.codex``."""
    listed = [part.strip() for part in (env.get("CODEX_HOME") or "").split(",") if part.strip()]
    if listed:
        return [Path(part).expanduser() for part in listed]
    return [Path(env.get("HOME") or Path.home()) / ".codex"]


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``sessions/`` and ``archived_sessions/`` of every Codex home, each real directory once."""
    seen: set[str] = set()
    roots: list[Path] = []
    for home in homes(env):
        for name in (SESSIONS, ARCHIVED):
            root = home / name
            key = os.path.realpath(root)
            if key not in seen:
                seen.add(key)
                roots.append(root)
    return roots


def is_home(path: Path) -> bool:
    return (path / SESSIONS).is_dir() or (path / ARCHIVED).is_dir()


def match(path: str) -> str | None:
    """Rollouts are ``rollout-*.jsonl``, or ``rollout-*.jsonl.zst`` once Codex recompressed
    them; ``history.jsonl``, ``session_index.jsonl`` and the sqlite indexes are not usage."""
    name = os.path.basename(path)
    if name.startswith("rollout-") and (name.endswith(".jsonl") or name.endswith(".jsonl.zst")):
        return ROLLOUT
    return None


def descend(path: str) -> bool:
    return os.path.basename(path) not in SKIPPED_DIRS


def _place(path: str) -> tuple[str, str, int]:
    """(Codex home or directory, rollout name without .zst, preference: lower wins)."""
    parts = Path(path).parts
    name = parts[-1].removesuffix(COMPRESSED)
    compressed = parts[-1].endswith(COMPRESSED)
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in (SESSIONS, ARCHIVED):
            archived = parts[index] == ARCHIVED
            return str(Path(*parts[:index])), name, 2 * archived + compressed
    return str(Path(*parts[:-1])), name, int(compressed)


def select(files: list[Any]) -> list[Any]:
    """One copy of each rollout per Codex home: the plain file before its ``.zst`` twin, the
    one in ``sessions/`` before the one in ``archived_sessions/`` (rollout names carry the
    thread id, so the same name is the same rollout). Copies that differ are still merged call
    by call (dedup_key)."""
    best: dict[tuple[str, str], tuple[int, Any]] = {}
    for found in files:
        home, name, rank = _place(found.path)
        kept = best.get((home, name))
        if kept is None or rank < kept[0]:
            best[(home, name)] = (rank, found)
    chosen = {id(found) for _, found in best.values()}
    return [found for found in files if id(found) in chosen]
