"""Finding transcript files under the data roots, without ever failing on the file system.

Walks each root recursively (following directory symlinks, each real directory once, so symlink
loops end), collects regular ``*.jsonl`` files with their size and mtime, and the
``agent-*.meta.json`` sidecars of subagents. Unreadable directories and files are recorded, not
raised.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Discovery:
    roots: list[Path]
    """Roots that exist and were walked."""
    missing: list[Path] = field(default_factory=list)
    """Roots that do not exist (explains an empty result)."""
    files: list[FoundFile] = field(default_factory=list)
    sidecars: list[FoundFile] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) for directories and files that could not be read."""

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def discover(roots: list[Path], *, min_mtime_ns: int | None = None) -> Discovery:
    """Walk ``roots`` for transcripts; ``min_mtime_ns`` skips files not modified since then
    (a line is always written before its file's mtime, so such files hold nothing newer)."""
    found = Discovery(roots=[])
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    for root in roots:
        try:
            root_stat = os.stat(root)
        except OSError:
            found.missing.append(root)
            continue
        if stat.S_ISREG(root_stat.st_mode):
            _add_file(found, str(root), root_stat, seen_files, min_mtime_ns)
            found.roots.append(root)
            continue
        found.roots.append(root)
        stack = [str(root)]
        while stack:
            directory = stack.pop()
            try:
                dir_stat = os.stat(directory)
            except OSError as error:
                found.errors.append((directory, _reason(error)))
                continue
            identity = (dir_stat.st_dev, dir_stat.st_ino)
            if identity in seen_dirs:
                continue
            seen_dirs.add(identity)
            try:
                entries = list(os.scandir(directory))
            except OSError as error:
                found.errors.append((directory, _reason(error)))
                continue
            for entry in sorted(entries, key=lambda e: e.name):
                _visit(found, entry, stack, seen_files, min_mtime_ns)
    found.files.sort(key=lambda f: f.path)
    return found


def _visit(
    found: Discovery,
    entry: os.DirEntry[str],
    stack: list[str],
    seen_files: set[tuple[int, int]],
    min_mtime_ns: int | None,
) -> None:
    name = entry.name
    try:
        if entry.is_dir(follow_symlinks=True):
            stack.append(entry.path)
            return
        if not (name.endswith(".jsonl") or name.endswith(".meta.json")):
            return
        entry_stat = entry.stat(follow_symlinks=True)
    except OSError as error:
        if name.endswith(".jsonl"):
            found.errors.append((entry.path, _reason(error)))
        return
    if not stat.S_ISREG(entry_stat.st_mode):
        if name.endswith(".jsonl"):
            found.errors.append((entry.path, "not a regular file"))
        return
    if name.endswith(".meta.json"):
        found.sidecars.append(FoundFile(entry.path, entry_stat.st_size, entry_stat.st_mtime_ns))
        return
    _add_file(found, entry.path, entry_stat, seen_files, min_mtime_ns)


def _add_file(
    found: Discovery,
    path: str,
    file_stat: os.stat_result,
    seen_files: set[tuple[int, int]],
    min_mtime_ns: int | None,
) -> None:
    identity = (file_stat.st_dev, file_stat.st_ino)
    if identity in seen_files:
        return  # the same file reached twice through a symlink
    seen_files.add(identity)
    if min_mtime_ns is not None and file_stat.st_mtime_ns < min_mtime_ns:
        return
    found.files.append(FoundFile(path, file_stat.st_size, file_stat.st_mtime_ns))
