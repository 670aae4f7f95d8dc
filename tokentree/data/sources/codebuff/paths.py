"""Where Codebuff keeps its chats, and which files under a root are ours.

Codebuff (formerly Manicode) writes each chat to
``~/.config/<channel>/projects/<project>/chats/<chat-id>/chat-messages.json``, the channel being
``manicode``, ``manicode-dev`` or ``manicode-staging`` and the chat id its start time
(``2026-01-02T03-04-05.000Z``). The default roots are explicit directories (a machine without
Codebuff watches nothing under ``~/.config``): ``manicode/projects``, and the development
channels' when they exist.
``$CODEBUFF_DATA_DIR`` (comma-separated, as ccusage accepts) names channel directories or their
``projects``. Beside each chat, ``run-state.json`` and
``chat-meta.json`` hold no per-message usage.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CHAT = "chat"
CHAT_NAME = "chat-messages.json"
ENV = "CODEBUFF_DATA_DIR"
CHANNELS = ("manicode", "manicode-dev", "manicode-staging")
PROJECTS = "projects"
DEFAULT_CHANNEL = "manicode"
CONFIG = ".config"


def root_for(path: Path) -> Path:
    """A channel directory's ``projects`` (a path already inside it is walked as given)."""
    projects = path / PROJECTS
    return projects if path.name != PROJECTS and projects.is_dir() else path


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``$CODEBUFF_DATA_DIR``'s directories, else ``~/.config/manicode/projects`` and the
    development channels' ``projects`` that exist (Codebuff's own developers use them)."""
    listed = [part.strip() for part in (env.get(ENV) or "").split(",") if part.strip()]
    if listed:
        candidates = [Path(part).expanduser() for part in listed]
    else:
        config = Path(env.get("HOME") or Path.home()) / CONFIG
        candidates = [config / DEFAULT_CHANNEL]
        candidates += [config / c for c in CHANNELS[1:] if (config / c / PROJECTS).is_dir()]
    seen: set[str] = set()
    roots: list[Path] = []
    for candidate in candidates:
        root = candidate if candidate.name == PROJECTS else candidate / PROJECTS
        key = os.path.realpath(root)
        if key not in seen:
            seen.add(key)
            roots.append(root)
    return roots


def match(path: str) -> str | None:
    return CHAT if os.path.basename(path) == CHAT_NAME else None


def descend(path: str) -> bool:
    """Under ``~/.config`` (``--root codebuff=~/.config``), only into Codebuff's channels."""
    name = os.path.basename(path)
    if os.path.basename(os.path.dirname(path)) == CONFIG and not name.startswith(DEFAULT_CHANNEL):
        return False
    return name not in ("node_modules", ".git")


def claims(path: Path) -> bool:
    if path.is_file():
        return match(str(path)) is not None
    return path.name in CHANNELS and (path / PROJECTS).is_dir()


def session_of(path: str) -> tuple[str, str, str]:
    """(session id ``<channel>/<project>/<chat-id>``, project, chat id) of a chat file, as
    ccusage names its sessions."""
    chat_dir = os.path.dirname(path)
    chat_id = os.path.basename(chat_dir) or "unknown"
    project_dir = os.path.dirname(os.path.dirname(chat_dir))
    project = os.path.basename(project_dir) or "unknown"
    channel = os.path.basename(os.path.dirname(os.path.dirname(project_dir))) or DEFAULT_CHANNEL
    return f"{channel}/{project}/{chat_id}", project, chat_id
