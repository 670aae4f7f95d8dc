"""Where Goose keeps its sessions, and which files under a root are ours.

Goose (block/goose, ``crates/goose/src/config/paths.rs``) stores everything under its data
directory: ``$GOOSE_PATH_ROOT/data`` when that variable holds an absolute path, else
``$XDG_DATA_HOME/goose`` (default ``~/.local/share/goose``; Goose's XDG strategy applies on macOS
too). Windows builds use ``%APPDATA%\\Block\\goose\\data``; ccusage also looks in
``~/Library/Application Support/goose`` and ``~/.local/share/Block/goose``, which older or
packaged builds used: those are read where they exist. Sessions live in
``sessions/sessions.db`` (sqlite, WAL; ``session_manager.rs``: ``SESSIONS_FOLDER`` /
``DB_NAME``) beside the pre-database ``sessions/*.jsonl`` files, which Goose imports into the
database once and which are not read. Database backups (``backup_*.db``) are copies and never
read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SESSIONS = "sessions"
ENV_ROOT = "GOOSE_PATH_ROOT"
DB_NAME = "sessions.db"
FOLDER = "sessions"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """Goose's data directory (``$GOOSE_PATH_ROOT/data`` when set), else ``$XDG_DATA_HOME/goose``
    and those of the other known locations that exist."""
    root = (env.get(ENV_ROOT) or "").strip()
    if root and os.path.isabs(root):
        return [Path(root) / "data"]
    home = Path(env.get("HOME") or Path.home())
    xdg = env.get("XDG_DATA_HOME")
    roots = [(Path(xdg) if xdg else home / ".local" / "share") / "goose"]
    others = [home / "Library" / "Application Support" / "goose", home / ".local/share/Block/goose"]
    appdata = env.get("APPDATA")
    if appdata:
        others.append(Path(appdata) / "Block" / "goose" / "data")
    for path in others:
        if path not in roots and path.is_dir():
            roots.append(path)
    return roots


def root_for(path: Path) -> Path:
    """``--root $GOOSE_PATH_ROOT`` means its ``data`` directory."""
    data = path / "data"
    if (data / FOLDER / DB_NAME).is_file() and not (path / FOLDER / DB_NAME).is_file():
        return data
    return path


def match(path: str) -> str | None:
    return SESSIONS if os.path.basename(path) == DB_NAME else None


def descend(path: str) -> bool:
    """Only the sessions folder (and a root's ``data``): logs, memory, backups hold no usage."""
    return os.path.basename(path) in (FOLDER, "data")


def claims(path: Path) -> bool:
    if path.is_file():
        return path.name == DB_NAME
    return any((base / DB_NAME).is_file() for base in (path, path / FOLDER, path / "data" / FOLDER))
