"""Where Gemini CLI keeps its chat recordings, and which files under a root are ours.

Gemini CLI records each session under ``<home>/.gemini/tmp/<project>/chats/`` (``<home>`` is
``$GEMINI_CLI_HOME``, else the user's home): ``session-<UTC minute>-<id8>.json`` (the legacy
single-object format) or ``.jsonl`` (the streaming format), and a subagent's chat as
``chats/<parent session id>/<session id>.jsonl``. ``<project>`` is the sha256 of the project
root (before 2026-02) or a short slug (see :mod:`.projects`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath

CHAT = "chat"
"""The streaming ``.jsonl`` format (read in place by DuckDB)."""
LEGACY = "legacy"
"""The legacy ``.json`` format: one ConversationRecord, rewritten whole on every update."""

CHATS_DIR = "chats"
SESSION_PREFIX = "session-"
PRUNED = frozenset({".git", "node_modules"})


def gemini_dir(env: Mapping[str, str]) -> Path:
    """Gemini CLI's own directory: ``$GEMINI_CLI_HOME/.gemini``, else ``~/.gemini``."""
    home = env.get("GEMINI_CLI_HOME") or env.get("HOME") or str(Path.home())
    return Path(home).expanduser() / ".gemini"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """Every directory in ``$GEMINI_DATA_DIR`` (comma-separated; the variable ccusage reads),
    then Gemini CLI's ``tmp`` directory; duplicates (by real path) removed, order kept. Data
    seen through two roots is counted once (the same file once, the same message by its
    session and message id)."""
    candidates = [
        Path(part.strip()).expanduser()
        for part in (env.get("GEMINI_DATA_DIR") or "").split(",")
        if part.strip()
    ]
    candidates.append(gemini_dir(env) / "tmp")
    seen: set[str] = set()
    roots: list[Path] = []
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            roots.append(candidate)
    return roots


def _is_gemini_dir(path: Path) -> bool:
    return (path / "tmp").is_dir() and (path.name == ".gemini" or (path / "projects.json").exists())


def root_for(path: Path) -> Path:
    """The directory to walk for a root the user named: a home (its ``.gemini/tmp``), a
    ``.gemini`` directory (its ``tmp``), or the directory itself."""
    if (path / ".gemini" / "tmp").is_dir():
        return path / ".gemini" / "tmp"
    if _is_gemini_dir(path):
        return path / "tmp"
    return path


def claims(path: Path) -> bool:
    """A ``.gemini`` directory, its ``tmp``, a project's temp directory or a ``chats`` one."""
    return (
        _is_gemini_dir(path)
        or (path.name == "tmp" and path.parent.name == ".gemini")
        or path.name == CHATS_DIR
        or (path / CHATS_DIR).is_dir()
    )


def match(path: str) -> str | None:
    """Chats are ``*.jsonl`` (streaming) and ``*.json`` (legacy) files in a ``chats``
    directory or in a subagent directory below it; ``session-*`` files anywhere (copies)."""
    name = os.path.basename(path)
    if name.endswith(".jsonl"):
        fmt = CHAT
    elif name.endswith(".json"):
        fmt = LEGACY
    else:
        return None
    if name.startswith(SESSION_PREFIX):
        return fmt
    parts = PurePath(path).parts
    if len(parts) >= 2 and parts[-2] == CHATS_DIR:
        return fmt
    if len(parts) >= 3 and parts[-3] == CHATS_DIR:
        return fmt
    return None


def descend(path: str) -> bool:
    """Walk everything except VCS/vendor trees and directories more than one level below a
    ``chats`` directory (only subagent chats live there)."""
    parts = PurePath(path).parts
    if parts and parts[-1] in PRUNED:
        return False
    if CHATS_DIR in parts[:-1]:
        last = len(parts) - 1 - parts[::-1].index(CHATS_DIR)
        return last >= len(parts) - 2
    return True
