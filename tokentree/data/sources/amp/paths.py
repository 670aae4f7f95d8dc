"""Where Amp keeps its threads, and which files under a root are threads.

Amp (Sourcegraph's coding agent) stores each thread as one JSON document,
``<data dir>/threads/T-<uuid>.json``; the data directory is ``$AMP_DATA_DIR`` (comma-separated,
as ccusage reads it), else ``$XDG_DATA_HOME/amp`` when set, else ``~/.local/share/amp``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePath

THREAD = "thread"
"""The format's name: one thread document."""
THREADS_DIR = "threads"
THREAD_PREFIX = "T-"
SUFFIX = ".json"


def data_dirs(env: Mapping[str, str]) -> list[Path]:
    """Amp's data directories, most specific first; duplicates (by real path) removed."""
    candidates = [
        Path(part.strip()).expanduser()
        for part in (env.get("AMP_DATA_DIR") or "").split(",")
        if part.strip()
    ]
    if env.get("XDG_DATA_HOME"):
        candidates.append(Path(env["XDG_DATA_HOME"]) / "amp")
    candidates.append(Path(env.get("HOME") or Path.home()) / ".local" / "share" / "amp")
    seen: set[str] = set()
    unique: list[Path] = []
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            unique.append(candidate)
    return unique


def default_roots(env: Mapping[str, str]) -> list[Path]:
    return [directory / THREADS_DIR for directory in data_dirs(env)]


def root_for(path: Path) -> Path:
    """A data directory's ``threads``; the directory itself otherwise."""
    threads = path / THREADS_DIR
    return threads if threads.is_dir() else path


def claims(path: Path) -> bool:
    """Amp's data directory or its ``threads`` directory."""
    return (path.name == "amp" and (path / THREADS_DIR).is_dir()) or (
        path.name == THREADS_DIR and path.parent.name == "amp"
    )


def match(path: str) -> str | None:
    """Threads are ``T-*.json`` files, or any ``*.json`` directly in a ``threads`` directory."""
    pure = PurePath(path)
    if not pure.name.endswith(SUFFIX):
        return None
    if pure.name.startswith(THREAD_PREFIX) or pure.parent.name == THREADS_DIR:
        return THREAD
    return None
