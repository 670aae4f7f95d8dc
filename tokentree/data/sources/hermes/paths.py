"""Where Hermes Agent keeps its state, and which files under a root are ours.

``$HERMES_HOME`` (default ``~/.hermes``) holds ``state.db`` (sqlite, WAL) and, per named
profile, ``profiles/<name>/state.db``. Everything else there (the agent's own checkout, skills,
logs, session JSON snapshots) holds no usage and is never walked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

STATE = "state"
ENV_HOME = "HERMES_HOME"
DB_NAME = "state.db"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``$HERMES_HOME`` (comma-separated, as ccusage accepts) or ``~/.hermes``."""
    named = [part.strip() for part in (env.get(ENV_HOME) or "").split(",") if part.strip()]
    if named:
        roots: list[Path] = []
        for part in named:
            path = Path(part).expanduser()
            if path not in roots:
                roots.append(path)
        return roots
    return [Path(env.get("HOME") or Path.home()) / ".hermes"]


def match(path: str) -> str | None:
    return STATE if os.path.basename(path) == DB_NAME else None


def descend(path: str) -> bool:
    """Only ``profiles`` and the profile directories in it."""
    name = os.path.basename(path)
    return name == "profiles" or os.path.basename(os.path.dirname(path)) == "profiles"


def claims(path: Path) -> bool:
    return path.name == DB_NAME if path.is_file() else (path / DB_NAME).is_file()


def profile(path: str) -> str | None:
    """The named profile a database belongs to (None: the default one)."""
    directory = os.path.dirname(path)
    if os.path.basename(os.path.dirname(directory)) == "profiles":
        return os.path.basename(directory)
    return None
