"""Where Factory Droid keeps its sessions, and which files under a root are ours.

``$DROID_SESSIONS_DIR`` (comma-separated, as ccusage accepts; default ``~/.factory/sessions``)
holds, per working directory, ``<folder>/<session>.settings.json`` (the session's settings and
its cumulative token usage) beside ``<session>.jsonl`` (the conversation). Only the settings
files are read as such; the conversation is read with them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SETTINGS = "settings"
SETTINGS_SUFFIX = ".settings.json"
TRANSCRIPT_SUFFIX = ".jsonl"
ENV = "DROID_SESSIONS_DIR"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    listed = [part.strip() for part in (env.get(ENV) or "").split(",") if part.strip()]
    if not listed:
        listed = [str(Path(env.get("HOME") or Path.home()) / ".factory" / "sessions")]
    seen: set[str] = set()
    roots: list[Path] = []
    for part in listed:
        path = Path(part).expanduser()
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            roots.append(path)
    return roots


def root_for(path: Path) -> Path:
    """A Factory directory's ``sessions`` (a path already inside it is walked as given)."""
    sessions = path / "sessions"
    return sessions if path.name == ".factory" and sessions.is_dir() else path


def match(path: str) -> str | None:
    name = os.path.basename(path)
    return SETTINGS if name.endswith(SETTINGS_SUFFIX) and len(name) > len(SETTINGS_SUFFIX) else None


def session_id(path: str) -> str:
    return os.path.basename(path)[: -len(SETTINGS_SUFFIX)]


def transcript(path: str) -> str:
    """The conversation beside a settings file."""
    return path[: -len(SETTINGS_SUFFIX)] + TRANSCRIPT_SUFFIX


def folder(path: str) -> str | None:
    return os.path.basename(os.path.dirname(path)) or None


def claims(path: Path) -> bool:
    """A ``.factory`` directory, its ``sessions``, or a directory holding settings files."""
    if path.is_file():
        return match(str(path)) is not None
    if path.name == ".factory":
        return (path / "sessions").is_dir()
    if not path.is_dir():
        return False
    try:
        for entry in list(os.scandir(path))[:50]:
            if entry.is_file() and match(entry.path):
                return True
            if entry.is_dir() and any(match(name) for name in os.listdir(entry.path)[:50]):
                return True
    except OSError:
        return False
    return False
