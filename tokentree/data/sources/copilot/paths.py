"""Where GitHub Copilot CLI's OpenTelemetry file exporter writes, and which files are ours.

Copilot CLI keeps no token usage in its own files; its OpenTelemetry instrumentation does, when
the user turns the file exporter on (docs/data-sources.md, "GitHub Copilot CLI"): one JSON object
per line (spans, log records, metrics) appended to ``$COPILOT_OTEL_FILE_EXPORTER_PATH``. Peers and
users keep those files in ``~/.copilot/otel/`` (``$COPILOT_HOME/otel`` when Copilot's home is
moved), one per session; that directory (all ``*.jsonl`` below it) and the file the variable
names are read. Elsewhere under a root, Copilot's own ``session-state/``, ``logs/`` and
``pkg/`` trees are never walked (their ``events.jsonl`` files are not telemetry).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

OTEL = "otel"
ENV_FILE = "COPILOT_OTEL_FILE_EXPORTER_PATH"
ENV_HOME = "COPILOT_HOME"
_SKIP_DIRS = frozenset(
    {
        "session-state",
        "history-session-state",
        "logs",
        "pkg",
        "ide",
        "installed-plugins",
        "plugin-data",
        "skills",
        "agents",
        "hooks",
        "node_modules",
        ".git",
    }
)


def copilot_home(env: Mapping[str, str]) -> Path:
    named = (env.get(ENV_HOME) or "").strip()
    if named:
        return Path(named).expanduser()
    return Path(env.get("HOME") or Path.home()) / ".copilot"


def default_roots(env: Mapping[str, str]) -> list[Path]:
    """``<Copilot home>/otel`` and the exporter's file when it lies elsewhere."""
    directory = copilot_home(env) / "otel"
    roots = [directory]
    named = (env.get(ENV_FILE) or "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_relative_to(directory):
            roots.append(path)
    return roots


def match(path: str) -> str | None:
    return OTEL if path.endswith(".jsonl") else None


def descend(path: str) -> bool:
    return os.path.basename(path) not in _SKIP_DIRS


def root_for(path: Path) -> Path:
    """``--root ~/.copilot`` means its ``otel`` directory."""
    otel = path / "otel"
    return otel if otel.is_dir() and (path / "session-state").exists() else path


def claims(path: Path) -> bool:
    """A file or directory of Copilot CLI telemetry (its first lines name the service)."""
    if path.is_dir():
        if path.name == "otel" and path.parent.name == ".copilot":
            return True
        candidates = sorted(path.glob("*.jsonl"))[:3]
    else:
        candidates = [path] if path.suffix == ".jsonl" else []
    for candidate in candidates:
        try:
            with open(candidate, "rb") as handle:
                head = handle.read(65536)
        except OSError:
            continue
        if b'"github-copilot"' in head or b'"github.copilot' in head:
            return True
    return False
