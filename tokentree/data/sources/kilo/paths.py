"""Where Kilo (the Kilo Code CLI, a fork of OpenCode) keeps its data, and which files are ours.

Kilo writes under ``$XDG_DATA_HOME/kilo`` (default ``~/.local/share/kilo``) in OpenCode's layout:

* ``kilo.db`` (releases) and ``kilo-<channel>.db`` (other channels; a channel database created
  before Kilo renamed them, ``opencode-<channel>.db``, is kept in use), sqlite in WAL mode;
* ``storage/`` — the legacy JSON tree of the builds before the database (``message/<session>/
  <message>.json`` is what discovery looks for; parts and sessions are read with their message);
* ``snapshot/``, ``log/``, ``bin/``, ``tool-output/`` — nothing to count.

``$KILO_DATA_DIR`` (comma-separated; ccusage's variable) replaces the data directory;
``$KILO_DB`` (Kilo's own) names a database elsewhere (absolute, or relative to the data
directory), which is read as well.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

DATABASE = "database"
MESSAGE = "message"

ENV_DATA_DIR = "KILO_DATA_DIR"
ENV_DB = "KILO_DB"

_DB_NAME = re.compile(r"^(?:kilo(?:-[A-Za-z0-9_.-]+)?|opencode-[A-Za-z0-9_.-]+)\.db$")
_SKIP_DIRS = frozenset({"snapshot", "log", "bin", "tool-output", ".git", "node_modules"})


def _named(value: str | None) -> list[Path]:
    found: list[Path] = []
    for part in (value or "").split(","):
        path = Path(part.strip()).expanduser() if part.strip() else None
        if path is not None and path not in found:
            found.append(path)
    return found


def data_dirs(env: Mapping[str, str]) -> list[Path]:
    """``$KILO_DATA_DIR`` when set, else Kilo's data directory."""
    named = _named(env.get(ENV_DATA_DIR))
    if named:
        return named
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return [base / "kilo"]


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """The data directories, and the database ``$KILO_DB`` names when it lies outside them."""
    roots = data_dirs(env)
    db = (env.get(ENV_DB) or "").strip()
    if db and db != ":memory:":
        path = Path(db).expanduser()
        if not path.is_absolute():
            path = roots[0] / path
        if not any(path.is_relative_to(root) for root in roots):
            roots.append(path)
    return roots


def is_database(name: str) -> bool:
    return bool(_DB_NAME.match(name))


def match(path: str) -> str | None:
    """A Kilo database; ``storage/message/<session>/<id>.json``."""
    name = os.path.basename(path)
    if is_database(name):
        return DATABASE
    if name.endswith(".json"):
        message_dir = os.path.dirname(os.path.dirname(path))
        if (
            os.path.basename(message_dir) == "message"
            and os.path.basename(os.path.dirname(message_dir)) == "storage"
        ):
            return MESSAGE
    return None


def descend(path: str) -> bool:
    """Inside ``storage`` only ``message``; never the snapshot repositories, logs or binaries."""
    name = os.path.basename(path)
    if os.path.basename(os.path.dirname(path)) == "storage":
        return name == "message"
    return name not in _SKIP_DIRS


def _own_database(name: str) -> bool:
    """``kilo.db`` / ``kilo-<channel>.db`` (an ``opencode-<channel>.db`` alone could be
    OpenCode's)."""
    return name.startswith("kilo") and is_database(name)


def claims(path: Path) -> bool:
    """A directory that looks like Kilo's data directory (or one of its databases)."""
    if path.is_file():
        return _own_database(path.name)
    try:
        return any(_own_database(entry.name) for entry in os.scandir(path))
    except OSError:
        return False
