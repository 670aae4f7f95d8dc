"""Which project a chat file belongs to, and the other facts its path tells.

A chat lives in ``<tmp>/<project>/chats/``. ``<project>`` is either the sha256 of the project
root (the hashed era, before Gemini CLI 2026-02) or a slug of the root's basename (``my-app``,
``my-app-1`` on collision). The project root is found, most reliable first:

1. the marker ``<tmp>/<slug>/.project_root`` (the CLI writes it when it claims a slug and checks
   it before reusing one, so it is authoritative for that directory);
2. the registry ``<gemini dir>/projects.json`` (``{"projects": {root: slug}}``): a slug maps back
   to its root, a hashed directory to the root whose sha256 it is (the CLI rewrites the registry
   and may reset it when corrupt, so it comes second);
3. (in SQL, from the file's own lines) a ``directories`` entry whose sha256 equals the
   record's ``projectHash`` — the CLI records workspace directories for subagents and after
   ``/directory add``.

Otherwise the session is labelled by its slug, or by the first 8 hex digits of its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import PurePath

from tokentree.data.sources.gemini.paths import CHATS_DIR

PROJECT_ROOT_MARKER = ".project_root"
REGISTRY = "projects.json"
MAX_MARKER_BYTES = 1 << 16
MAX_REGISTRY_BYTES = 16 << 20
HASHED = re.compile(r"^[0-9a-f]{64}$")
FILE_TIME = re.compile(r"^session-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})")

CONTEXT_FIELDS = ("project_root", "project_label", "parent_session_id", "file_stem", "file_time")
"""What :func:`file_context` returns, in order (``stage.sql`` addresses them by position)."""

_registries: dict[str, tuple[int, int, dict[str, str]]] = {}


def _read_small(path: str, limit: int) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        return None
    if len(data) > limit:
        return None
    return data.decode("utf-8", "replace")


def _registry(path: str) -> dict[str, str]:
    """``projects.json``'s ``{root: slug}``, re-read only when the file changes."""
    try:
        stat = os.stat(path)
    except OSError:
        return {}
    cached = _registries.get(path)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    text = _read_small(path, MAX_REGISTRY_BYTES)
    mapping: dict[str, str] = {}
    try:
        projects = json.loads(text).get("projects") if text else None
    except (ValueError, AttributeError):
        projects = None
    if isinstance(projects, dict):
        mapping = {k: v for k, v in projects.items() if isinstance(k, str) and isinstance(v, str)}
    _registries[path] = (stat.st_mtime_ns, stat.st_size, mapping)
    return mapping


def project_hash(root: str) -> str:
    """Gemini CLI's ``getProjectHash``: the sha256 hex digest of the root path."""
    return hashlib.sha256(root.encode("utf-8", "surrogatepass")).hexdigest()


def project_root(project_dir: str) -> str | None:
    """The project root of a project temp directory (marker, then registry), or None."""
    marker = _read_small(os.path.join(project_dir, PROJECT_ROOT_MARKER), MAX_MARKER_BYTES)
    if marker is not None and marker.strip():
        return marker.strip()
    name = os.path.basename(project_dir)
    registry = _registry(os.path.join(os.path.dirname(os.path.dirname(project_dir)), REGISTRY))
    if HASHED.match(name):
        return next((root for root in registry if project_hash(root) == name), None)
    return next((root for root, slug in registry.items() if slug == name), None)


def file_context(path: str) -> list[str | None]:
    """Facts a chat file's path tells (:data:`CONTEXT_FIELDS`): its project root and label, the
    parent session of a subagent chat (``chats/<parent>/<id>.jsonl``), the file name without
    extension, and the UTC minute in a ``session-`` file name (ISO 8601)."""
    pure = PurePath(path)
    parent = pure.parent
    parent_session: str | None = None
    chats: PurePath | None = None
    if parent.name == CHATS_DIR:
        chats = parent
    elif parent.parent.name == CHATS_DIR:
        chats, parent_session = parent.parent, parent.name
    root = label = None
    if chats is not None:
        project_dir = chats.parent
        root = project_root(str(project_dir))
        label = project_dir.name[:8] if HASHED.match(project_dir.name) else project_dir.name
    stem = pure.name.rsplit(".", 1)[0]
    found = FILE_TIME.match(pure.name)
    when = f"{found[1]}T{found[2]}:{found[3]}:00Z" if found else None
    return [root, label, parent_session, stem, when]
