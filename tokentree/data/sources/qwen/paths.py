"""Where Qwen Code keeps its chats, and which files under a root are ours.

``$QWEN_DATA_DIR`` (comma-separated, as ccusage accepts; default ``~/.qwen``) holds
``projects/<sanitised-cwd>/chats/<session>.jsonl``, one file per session. The rest of the
directory (settings, ``tmp/``, memories, the file-history store) holds no usage.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CHAT = "chat"
ENV = "QWEN_DATA_DIR"
PROJECTS = "projects"
CHATS = "chats"
SUFFIX = ".jsonl"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """The ``projects`` directory of every data directory, each real directory once."""
    listed = [part.strip() for part in (env.get(ENV) or "").split(",") if part.strip()]
    if not listed:
        listed = [str(Path(env.get("HOME") or Path.home()) / ".qwen")]
    seen: set[str] = set()
    roots: list[Path] = []
    for part in listed:
        root = root_for(Path(part).expanduser())
        key = os.path.realpath(root)
        if key not in seen:
            seen.add(key)
            roots.append(root)
    return roots


def root_for(path: Path) -> Path:
    """A data directory's ``projects`` (a path already inside it is walked as given)."""
    projects = path / PROJECTS
    return projects if path.name != PROJECTS and projects.is_dir() else path


def match(path: str) -> str | None:
    """Chats are ``<project>/chats/<session>.jsonl``."""
    if not path.endswith(SUFFIX):
        return None
    return CHAT if os.path.basename(os.path.dirname(path)) == CHATS else None


def descend(path: str) -> bool:
    """Into project directories and their ``chats`` (nothing else holds chats)."""
    name = os.path.basename(path)
    parent = os.path.basename(os.path.dirname(path))
    return name not in ("tmp", "node_modules", ".git") and parent != CHATS


def claims(path: Path) -> bool:
    """A Qwen data directory (``.qwen``) or its ``projects`` directory of ``*/chats``."""
    if path.is_file():
        return match(str(path)) is not None
    if path.name == ".qwen" and (path / PROJECTS).is_dir():
        return True
    projects = root_for(path)
    if projects.name != PROJECTS:
        return False
    try:
        return any((projects / name / CHATS).is_dir() for name in os.listdir(projects)[:50])
    except OSError:
        return False


def project_dir(path: str) -> str | None:
    """The project directory name of a chat (``projects/<name>/chats/<file>``)."""
    chats = os.path.dirname(path)
    if os.path.basename(chats) != CHATS:
        return None
    return os.path.basename(os.path.dirname(chats)) or None
