"""Where OpenClaw keeps its transcripts, which files under a root are transcripts, and what a
transcript's path tells.

OpenClaw's state directory is ``$OPENCLAW_STATE_DIR``, else ``~/.openclaw``
(``~/.openclaw-<profile>`` for a named profile; ``~/.clawdbot``, ``~/.moltbot`` and
``~/.moldbot`` under its former names).
Each agent's transcripts are ``agents/<agent id>/sessions/<session id>.jsonl`` (pi's session
format), beside its ``sessions.json`` index. OpenClaw archives a transcript instead of deleting
it: ``<id>.jsonl.reset.<time>`` when the session is reset, ``<id>.jsonl.deleted.<time>`` when it
is deleted — both were billed and OpenClaw itself counts them — and copies it to
``<id>.checkpoint.<uuid>.jsonl`` before compacting it. ``*.jsonl.bak.<time>`` repair backups,
``*.trajectory.jsonl`` runtime traces and ``*.lock`` files are not transcripts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

TRANSCRIPT = "transcript"
"""The format's name: pi's session JSONL as OpenClaw writes it."""
STATE_DIRS = (".openclaw", ".clawdbot", ".moltbot", ".moldbot")
"""OpenClaw's state directory under its current and former names."""
PROFILE_PREFIX = ".openclaw-"
"""``openclaw --profile <name>`` (and ``--dev``) keep their state in ``~/.openclaw-<name>``."""
TRANSCRIPT_DIRS = frozenset({"sessions", "checkpoints"})
"""Directories holding transcripts: an agent's ``sessions``, and the ``checkpoints`` copies some
builds keep before a reset."""
PRUNED = frozenset({"node_modules", ".git", "extensions", "media", "browser", "canvas"})
"""Directories of a state directory that hold no transcripts (besides the agent workspaces)."""
WORKSPACE_PREFIX = "workspace"
"""Agent workspaces (``workspace``, ``workspace-<agent>``): the user's files, never transcripts."""

_ARCHIVE = re.compile(r"\.jsonl\.(?:reset|deleted)\.\d{4}-\d{2}-\d{2}T[0-9.:-]+Z?$")
_CHECKPOINT = re.compile(r"\.checkpoint\.[0-9a-fA-F-]{36}\.jsonl$")
_TRAJECTORY = ".trajectory.jsonl"


def state_dirs(env: Mapping[str, str]) -> list[Path]:
    """``$OPENCLAW_DIR`` (comma-separated, as ccusage reads it) and ``$OPENCLAW_STATE_DIR``,
    then the state directories in the home directory: the current name always, the profiles
    and the former names where they exist (no current OpenClaw creates a former name);
    duplicates (by real path) removed, order kept."""
    home = Path(env.get("HOME") or Path.home())
    candidates = [
        Path(part.strip()).expanduser()
        for part in (env.get("OPENCLAW_DIR") or "").split(",")
        if part.strip()
    ]
    if env.get("OPENCLAW_STATE_DIR"):
        candidates.append(Path(env["OPENCLAW_STATE_DIR"]).expanduser())
    candidates.append(home / STATE_DIRS[0])
    try:
        profiles = sorted(name for name in os.listdir(home) if name.startswith(PROFILE_PREFIX))
    except OSError:
        profiles = []
    candidates += [home / name for name in profiles]
    candidates += [home / name for name in STATE_DIRS[1:] if (home / name).is_dir()]
    seen: set[str] = set()
    roots: list[Path] = []
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            roots.append(candidate)
    return roots


def claims(path: Path) -> bool:
    """A state directory (it has ``agents/``), its ``agents`` directory, an agent directory or
    its ``sessions``."""
    state_dir = path.name in STATE_DIRS or path.name.startswith(PROFILE_PREFIX)
    return (
        (state_dir and (path / "agents").is_dir())
        or (path.name == "agents" and path.parent.name in STATE_DIRS)
        or (path.name == "sessions" and path.parent.parent.name == "agents")
    )


def match(path: str) -> str | None:
    """Transcripts in a ``sessions`` (or ``checkpoints``) directory: ``*.jsonl`` but for runtime
    traces, and the ``.reset.`` / ``.deleted.`` archives."""
    pure = PurePath(path)
    if pure.parent.name not in TRANSCRIPT_DIRS:
        return None
    name = pure.name
    if name.endswith(".jsonl"):
        return None if name.endswith(_TRAJECTORY) else TRANSCRIPT
    return TRANSCRIPT if _ARCHIVE.search(name) else None


def descend(path: str) -> bool:
    name = os.path.basename(path)
    return name not in PRUNED and not name.startswith(WORKSPACE_PREFIX)


def session_id(path: str) -> str:
    """The session a transcript belongs to, as OpenClaw names it: the file name before
    ``.jsonl`` (an archive is its session's), less a checkpoint copy's ``.checkpoint.<uuid>``."""
    name = PurePath(path).name
    stem = name[: name.index(".jsonl")] if ".jsonl" in name else name
    copy = _CHECKPOINT.search(name)
    return name[: copy.start()] if copy else stem


def agent_id(path: str) -> str | None:
    """The agent of ``agents/<agent id>/sessions/…``."""
    parts = PurePath(path).parts
    for index in range(len(parts) - 3, -1, -1):
        if parts[index] == "agents":
            return parts[index + 1]
    return None


def is_copy(path: str) -> bool:
    """A copy of a transcript that lives on (a checkpoint before compaction or reset)."""
    pure = PurePath(path)
    return bool(_CHECKPOINT.search(pure.name)) or pure.parent.name == "checkpoints"


def file_context(path: str) -> list[str | None]:
    """[session id, project (the agent), 'copy' for a checkpoint copy]."""
    return [session_id(path), agent_id(path), "copy" if is_copy(path) else None]
