"""Live mode's view of the disk: the files a batch of changed paths stands for, without walking
the roots.

Each changed path is mapped to the roots that read it: a file of a source's patterns, or a
companion such as a sqlite ``-wal`` (then its owner). A directory that appeared is walked (files
created in it before the watcher saw it are found too); a path that vanished covers the known
files at or under it. Sources that drop copies (``select``) decide again over their known files,
the copies remembered from the last walk and the changed files.

The result says which files are *covered* (their state is decided by this lookup: present ones
are listed, absent ones are dropped); every other known file is left as it is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tokentree.data.read.discovery import FoundFile, SourceRoot, found_file, walk_directory
from tokentree.data.read.identity import file_id
from tokentree.data.read.scan import FileState
from tokentree.data.source import Source


@dataclass(slots=True)
class Located:
    files: list[FoundFile] = field(default_factory=list)
    """Present files the changed paths stand for (copies left out)."""
    covered: set[int] = field(default_factory=set)
    """File ids decided here: listed in ``files``, or gone."""
    copies: list[FoundFile] = field(default_factory=list)
    """The copies a source's ``select`` drops, as they are now."""
    errors: list[tuple[str, str]] = field(default_factory=list)


def locate(
    roots: list[SourceRoot],
    paths: Iterable[str | Path],
    known: dict[int, FileState],
    copies: list[FoundFile],
) -> Located:
    """The files behind ``paths`` (see the module docstring); ``copies``: those of the last
    walk or lookup."""
    result = Located()
    candidates: dict[int, tuple[Source, str, str]] = {}
    for changed in {os.path.abspath(str(p)) for p in paths}:
        for root in roots:
            _map(root, changed, candidates, result, known)
    found: dict[int, FoundFile] = {}
    for fid, (source, path, fmt) in candidates.items():
        result.covered.add(fid)
        present = _stat(source, path, fmt, result)
        if present is not None:
            found.setdefault(fid, present)
    result.copies = list(copies)
    _select_again(roots, found, known, result)
    result.files = sorted(found.values(), key=lambda f: f.path)
    return result


def _in_root(root: SourceRoot, path: str) -> str | None:
    """``path`` spelled the way discovery spells paths under ``root`` (None: not under it)."""
    relative = os.path.relpath(path, os.path.abspath(root.path))
    if relative.startswith(".."):
        return None
    return str(root.path) if relative == "." else os.path.join(str(root.path), relative)


def _map(
    root: SourceRoot,
    changed: str,
    candidates: dict[int, tuple[Source, str, str]],
    result: Located,
    known: dict[int, FileState],
) -> None:
    source = root.source
    path = _in_root(root, changed)
    if path is None:
        owner = source.companion_owner(changed)
        if root.path.is_file() and owner is not None and _in_root(root, owner) == str(root.path):
            path = str(root.path)
        else:
            return
    fmt = root.accepts(path)
    if fmt is None:
        owner = source.companion_owner(path)
        if owner is not None and (owner_fmt := root.accepts(owner)) is not None:
            path, fmt = owner, owner_fmt
    if fmt is not None:
        candidates.setdefault(file_id(source.name, path), (source, path, fmt))
        return
    if os.path.isdir(path):
        walked = walk_directory([root], path)
        result.errors += walked.errors
        for found in walked.files:
            candidates.setdefault(found.file_id, (source, found.path, found.format))
        prefix = path.rstrip(os.sep) + os.sep
    elif not os.path.lexists(path):
        prefix = path.rstrip(os.sep) + os.sep  # a vanished directory: its known files
    else:
        return
    for fid, state in known.items():
        if state.source == source.name and state.path.startswith(prefix):
            candidates.setdefault(fid, (source, state.path, state.format))


def _stat(source: Source, path: str, fmt: str, result: Located) -> FoundFile | None:
    try:
        file_stat = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        result.errors.append((path, error.strerror or type(error).__name__))
        return None
    if not stat.S_ISREG(file_stat.st_mode):
        return None
    return found_file(source, path, file_stat, fmt)


def _select_again(
    roots: list[SourceRoot],
    found: dict[int, FoundFile],
    known: dict[int, FileState],
    result: Located,
) -> None:
    """For each source that drops copies: choose again among its known files, its remembered
    copies and the changed files. A copy that becomes the one to read is read; a known file
    that becomes a copy is dropped."""
    sources = {root.source.name: root.source for root in roots}
    for name, source in sources.items():
        if type(source).select is Source.select:
            continue
        pool: dict[int, FoundFile] = {}
        for fid, state in known.items():
            if state.source == name and fid not in result.covered:
                pool[fid] = FoundFile(state.path, state.size, state.mtime_ns, name, state.format)
        for copy in result.copies:
            if copy.source == name and copy.file_id not in result.covered:
                pool[copy.file_id] = copy
        pool.update((fid, f) for fid, f in found.items() if f.source == name)
        if not any(f.source == name for f in found.values()) and not any(
            known.get(fid) is not None and known[fid].source == name for fid in result.covered
        ):
            continue  # nothing of this source changed
        chosen = {f.file_id for f in source.select(sorted(pool.values(), key=lambda f: f.path))}
        result.copies = [c for c in result.copies if c.source != name] + [
            f for fid, f in pool.items() if fid not in chosen
        ]
        for fid, entry in pool.items():
            if fid in chosen and fid not in known and fid not in found:
                fresh = _stat(source, entry.path, entry.format, result)  # a copy promoted
                result.covered.add(fid)
                if fresh is not None:
                    found[fid] = fresh
            elif fid not in chosen:
                found.pop(fid, None)
                if fid in known:
                    result.covered.add(fid)  # now a copy: dropped
