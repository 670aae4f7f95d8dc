"""One key for a set of files as a walk sees them: source, path, format, size and mtime.

The persisted cache saves the key of its manifest (:func:`manifest_key`); a later walk whose
files have the same key (:func:`walk_key`) would find every file unchanged and none gone, so
the cache is served without reading its manifest or planning anything. A manifest holding a
file that could not be read has no key: such a file is read again by every walk.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tokentree.data.sync import SYNC_FORMAT

if TYPE_CHECKING:
    from tokentree.data.read.discovery import FoundFile
    from tokentree.data.read.scan import FileState


def _key(rows: list[tuple[str, int, int, str, str]]) -> str:
    """The key of (path, size, mtime_ns, source, format) rows, in any order: one column at a
    time (a few C-level joins instead of a string per file: a warm start keys ≈ 16 k files)."""
    rows.sort()
    digest = hashlib.blake2b(digest_size=16)
    for column in (0, 3, 4):
        text = "\n".join([row[column] for row in rows])
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
    for column in (1, 2):
        digest.update(array("q", [row[column] for row in rows]).tobytes())
    return digest.hexdigest()


def walk_key(files: Iterable[FoundFile]) -> str:
    """The key of the files a walk found (in any order)."""
    return _key(list(files))


def manifest_key(states: Iterable[FileState]) -> str:
    """The key a walk finding exactly these files unchanged has; "" when one of them could
    not be read (never equal to a walk's). Other devices' partitions are not walked: they
    are left out."""
    rows = []
    for s in states:
        if s.error:
            return ""
        if s.format != SYNC_FORMAT:
            rows.append((s.path, s.size, s.mtime_ns, s.source, s.format))
    return _key(rows)
