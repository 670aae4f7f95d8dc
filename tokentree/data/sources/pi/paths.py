"""Where pi keeps its sessions, which files under a root are sessions, and what a session
file's path tells.

pi writes ``<agent dir>/sessions/--<cwd with / as ->--/<UTC time>_<session id>.jsonl``; the
agent directory is ``$PI_CODING_AGENT_DIR`` (pi's own variable), else ``~/.pi/agent``.
``$PI_AGENT_DIR`` (comma-separated) names sessions directories directly, as ccusage reads it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath

SESSION = "session"
"""The format's name: pi's session JSONL."""
SESSIONS_DIR = "sessions"
SUFFIX = ".jsonl"
PRUNED = frozenset({".git", "node_modules"})


def agent_dir(env: Mapping[str, str]) -> Path:
    """pi's agent directory: ``$PI_CODING_AGENT_DIR`` (``~`` expanded), else ``~/.pi/agent``."""
    home = Path(env.get("HOME") or Path.home())
    configured = env.get("PI_CODING_AGENT_DIR")
    if configured:
        if configured == "~" or configured.startswith("~/"):
            return home / configured[2:] if configured != "~" else home
        return Path(configured)
    return home / ".pi" / "agent"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """Every directory in ``$PI_AGENT_DIR``, then the agent directory's ``sessions``;
    duplicates (by real path) removed, order kept."""
    candidates = [
        Path(part.strip()).expanduser()
        for part in (env.get("PI_AGENT_DIR") or "").split(",")
        if part.strip()
    ]
    candidates.append(agent_dir(env) / SESSIONS_DIR)
    seen: set[str] = set()
    roots: list[Path] = []
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            roots.append(candidate)
    return roots


def root_for(path: Path) -> Path:
    """A home (its ``.pi/agent/sessions``), an agent directory (its ``sessions``), a ``.pi``
    directory, or the directory itself."""
    for below in (Path(".pi", "agent", SESSIONS_DIR), Path("agent", SESSIONS_DIR)):
        if (path / below).is_dir():
            return path / below
    if path.name == "agent" and (path / SESSIONS_DIR).is_dir():
        return path / SESSIONS_DIR
    return path


def claims(path: Path) -> bool:
    """A ``.pi`` directory, pi's agent directory, or its ``sessions`` directory."""
    return (
        (path.name == ".pi" and (path / "agent" / SESSIONS_DIR).is_dir())
        or (path.name == "agent" and (path / SESSIONS_DIR).is_dir() and path.parent.name == ".pi")
        or (path.name == SESSIONS_DIR and path.parent.name == "agent")
    )


def match(path: str) -> str | None:
    """Sessions are ``*.jsonl`` files."""
    return SESSION if path.endswith(SUFFIX) else None


def descend(path: str) -> bool:
    return os.path.basename(path) not in PRUNED


def session_id(path: str) -> str:
    """The session id in a file name ``<time>_<id>.jsonl`` (the header's id); a name without
    ``_`` is the id itself."""
    stem = PurePath(path).name.removesuffix(SUFFIX)
    return stem.split("_", 1)[1] if "_" in stem else stem


def file_context(path: str) -> list[str | None]:
    """[session id, project (none: the tree shows the working directory), whole-file copy]."""
    return [session_id(path), None, None]
