"""Where OpenCode keeps its data, and which files under a root are ours.

OpenCode writes under ``$XDG_DATA_HOME/opencode`` (default ``~/.local/share/opencode``, on every
platform: it uses ``xdg-basedir``):

* ``opencode.db`` (1.2+) and ``opencode-<channel>.db`` (channel builds), sqlite in WAL mode;
* ``storage/`` (≤ 1.1, left in place by the 1.2 migration): ``message/<sessionID>/<id>.json``
  (one file per message), ``part/<messageID>/<id>.json`` (one per part — the bulk of the tree),
  ``session/<projectID>/<sessionID>.json`` and more;
* ``snapshot/`` (git repositories of file snapshots), ``log/``, ``bin/``, ``tool-output/``.

Discovery only needs the databases and the message files: the part and session files are read
by the message reader when a message needs them (:mod:`.legacy`), so the walk never enters
``storage/part`` or the snapshot repositories.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

DATABASE = "database"
MESSAGE = "message"

ENV_DATA_DIR = "OPENCODE_DATA_DIR"
"""Not OpenCode's own: ccusage and CodeBurn honour it (comma-separated data directories)."""

_DB_NAME = re.compile(r"^opencode(?:-[A-Za-z0-9_.-]+)?\.db$")
_SKIP_DIRS = frozenset({"snapshot", "log", "bin", "tool-output", ".git", "node_modules"})


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``$OPENCODE_DATA_DIR`` (comma-separated) when set, else OpenCode's own data directory."""
    named = [part.strip() for part in (env.get(ENV_DATA_DIR) or "").split(",") if part.strip()]
    if named:
        roots: list[Path] = []
        for part in named:
            path = Path(part).expanduser()
            if path not in roots:
                roots.append(path)
        return roots
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return [base / "opencode"]


def is_database(name: str) -> bool:
    return bool(_DB_NAME.match(name))


def match(path: str) -> str | None:
    """``opencode.db`` / ``opencode-<channel>.db``; ``storage/message/<session>/<id>.json``."""
    name = os.path.basename(path)
    if is_database(name):
        return DATABASE
    if name.endswith(".json"):
        session_dir = os.path.dirname(path)
        message_dir = os.path.dirname(session_dir)
        if (
            os.path.basename(message_dir) == "message"
            and os.path.basename(os.path.dirname(message_dir)) == "storage"
        ):
            return MESSAGE
    return None


def descend(path: str) -> bool:
    """Inside ``storage`` only ``message`` holds files we discover; snapshot repositories, logs
    and binaries never hold usage."""
    name = os.path.basename(path)
    if os.path.basename(os.path.dirname(path)) == "storage":
        return name == "message"
    return name not in _SKIP_DIRS


def claims(path: Path) -> bool:
    """A directory that looks like OpenCode's data directory (or one of its databases)."""
    if path.is_file():
        return is_database(path.name)
    if (path / "storage" / "message").is_dir():
        return True
    try:
        return any(is_database(entry.name) for entry in os.scandir(path))
    except OSError:
        return False
