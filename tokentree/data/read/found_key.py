"""One key for a set of files as a walk sees them: source, path, format, size and mtime.

The persisted cache saves the key of its manifest (:func:`manifest_key`); a later walk whose
files have the same key (:func:`walk_key`) would find every file unchanged and none gone, so
the cache is served without reading its manifest or planning anything. A manifest holding a
file that could not be read has no key: such a file is read again by every walk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tokentree.data.sync import SYNC_FORMAT

if TYPE_CHECKING:
    from tokentree.data.read.discovery import FoundFile
    from tokentree.data.read.scan import FileState


def _key(entries: Iterable[str]) -> str:
    text = "\n".join(sorted(entries)).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def walk_key(files: Iterable[FoundFile]) -> str:
    """The key of the files a walk found (in any order)."""
    return _key(f"{f.source}\0{f.path}\0{f.format}\0{f.size}\0{f.mtime_ns}" for f in files)


def manifest_key(states: Iterable[FileState]) -> str:
    """The key a walk finding exactly these files unchanged has; "" when one of them could
    not be read (never equal to a walk's). Other devices' partitions are not walked: they
    are left out."""
    entries = []
    for s in states:
        if s.error:
            return ""
        if s.format != SYNC_FORMAT:
            entries.append(f"{s.source}\0{s.path}\0{s.format}\0{s.size}\0{s.mtime_ns}")
    return _key(entries)
