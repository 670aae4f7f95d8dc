"""Where Kimi CLI keeps its wire logs, and which files under a root are ours.

The share directory (``$KIMI_SHARE_DIR``, default ``~/.kimi``) holds ``config.toml`` (or the
older ``config.json``), ``kimi.json`` (the working directories) and the sessions:

* ``sessions/<work-dir-md5>/<session>/wire.jsonl`` — a session's wire log;
* ``sessions/<work-dir-md5>/<session>/subagents/<agent>/wire.jsonl`` — a subagent's own log;
* ``imported_sessions/<session>/wire.jsonl`` (and its subagents) — sessions imported by
  ``kimi vis``.

``context.jsonl`` (the model's context) and ``state.json`` hold no per-request usage.

Kimi Code, the successor (``$KIMI_CODE_HOME``, default ``~/.kimi-code``), keeps one log per agent:
``sessions/wd_<slug>_<hash>/<session>/agents/<agent>/wire.jsonl`` (read by ``code.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

WIRE = "wire"
CODE = "code"
WIRE_NAME = "wire.jsonl"
SESSIONS = "sessions"
IMPORTED = "imported_sessions"
SUBAGENTS = "subagents"
ENV_DATA = "KIMI_DATA_DIR"
"""ccusage's variable (comma-separated share directories)."""
ENV_SHARE = "KIMI_SHARE_DIR"
"""Kimi CLI's own variable."""
ENV_CODE = "KIMI_CODE_HOME"
"""Kimi Code's own variable."""
AGENTS = "agents"
WORK_DIR_PREFIX = "wd_"

SKIPPED_DIRS = frozenset(
    {"logs", "credentials", "mcp-oauth", "plans", "user-history", "skills", "node_modules", ".git"}
)
"""Directories of a share directory that hold no wire logs."""


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``$KIMI_DATA_DIR`` (comma-separated, as ccusage accepts; Kimi CLI and Kimi Code homes
    alike), else Kimi CLI's (``$KIMI_SHARE_DIR``, else ``~/.kimi``) and Kimi Code's
    (``$KIMI_CODE_HOME``, else ``~/.kimi-code`` when it exists); each real directory once."""
    listed = [part.strip() for part in (env.get(ENV_DATA) or "").split(",") if part.strip()]
    if not listed:
        home = Path(env.get("HOME") or Path.home())
        listed = [env.get(ENV_SHARE) or str(home / ".kimi")]
        if env.get(ENV_CODE) or (home / ".kimi-code").is_dir():
            listed.append(env.get(ENV_CODE) or str(home / ".kimi-code"))
    seen: set[str] = set()
    roots: list[Path] = []
    for part in listed:
        path = Path(part).expanduser()
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            roots.append(path)
    return roots


@dataclass(frozen=True, slots=True)
class Place:
    """What a wire log's path says: its share directory, work-directory hash, session and
    subagent."""

    share: str
    work_dir: str | None
    session: str
    agent: str | None


def place(path: str) -> Place | None:
    """The place of a ``wire.jsonl`` under ``sessions/`` or ``imported_sessions/`` (None for any
    other file)."""
    parts = Path(path).parts
    if not parts or parts[-1] != WIRE_NAME:
        return None
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] not in (SESSIONS, IMPORTED):
            continue
        rest = list(parts[index + 1 : -1])
        work_dir: str | None = None
        if parts[index] == SESSIONS:
            if len(rest) < 2:
                continue
            work_dir = rest.pop(0)
        if len(rest) == 1:
            agent = None
        elif len(rest) == 3 and rest[1] == SUBAGENTS:
            agent = rest[2]
        else:
            continue
        return Place(str(Path(*parts[:index])), work_dir, rest[0], agent)
    return None


@dataclass(frozen=True, slots=True)
class CodePlace:
    """What a Kimi Code wire log's path says: its home, work-directory key, session and agent."""

    home: str
    work_dir: str
    session: str
    agent: str


def code_place(path: str) -> CodePlace | None:
    """The place of ``sessions/<wd>/<session>/agents/<agent>/wire.jsonl`` (None otherwise)."""
    parts = Path(path).parts
    if len(parts) < 6 or parts[-1] != WIRE_NAME or parts[-3] != AGENTS or parts[-6] != SESSIONS:
        return None
    return CodePlace(str(Path(*parts[:-6])), parts[-5], parts[-4], parts[-2])


def code_project(work_dir: str) -> str:
    """The project a work-directory key names: ``wd_<slug>_<hash12>`` → ``<slug>``."""
    body = work_dir.removeprefix(WORK_DIR_PREFIX)
    slug, _, digest = body.rpartition("_")
    return slug if slug and len(digest) == 12 else body


def match(path: str) -> str | None:
    if os.path.basename(path) != WIRE_NAME:
        return None
    if place(path) is not None:
        return WIRE
    return CODE if code_place(path) is not None else None


def descend(path: str) -> bool:
    return os.path.basename(path) not in SKIPPED_DIRS


def claims(path: Path) -> bool:
    """A share directory (``kimi.json`` beside ``sessions/``, or named ``.kimi``) or a Kimi Code
    home (named ``.kimi-code``, with ``sessions/``)."""
    if path.is_file():
        return match(str(path)) is not None
    if path.name == ".kimi-code":
        return (path / SESSIONS).is_dir()
    if not (path / SESSIONS).is_dir() and not (path / IMPORTED).is_dir():
        return False
    return path.name == ".kimi" or (path / "kimi.json").is_file()
