"""Finding each source's files under its roots, without ever failing on the file system.

Walks every root recursively (following directory symlinks, each real directory once per root, so
symlink loops end; a file reached by two roots is listed once) and asks the root's source which
files are its own and in which format. Store files with companions (a sqlite ``-wal``) get the
companions' size and mtime folded into theirs, so a write to the companion is seen as a change.
Unreadable directories and files are recorded, not raised.

A walk can remember what it saw (:class:`DirRecord` per directory, persisted by the cache): the
next walk lists again only the directories whose mtime changed (an entry added, removed or
renamed changes it) and only stats the files of the others (an append changes no directory).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

from tokentree.data.read.identity import file_id
from tokentree.data.source import Source, StoreFormat


@dataclass(frozen=True, slots=True)
class SourceRoot:
    """A directory (or single file) holding one source's data."""

    source: Source
    path: Path
    glob: str | None = None
    """Only files whose path relative to ``path`` matches (``fnmatch``)."""

    @property
    def key(self) -> str:
        return f"{self.source.name}:{self.path}" + (f":{self.glob}" if self.glob else "")

    def accepts(self, path: str) -> str | None:
        """The format of ``path`` if this root reads it: under the root (or the root itself),
        matching the glob if there is one and the source's patterns."""
        relative = os.path.relpath(path, self.path)
        if relative == ".":
            return self.source.match(path)
        if relative.startswith(".."):
            return None
        if self.glob is not None and not fnmatchcase(relative, self.glob):
            return None
        return self.source.match(path)

    def descends_to(self, directory: str) -> bool:
        """Whether a walk of this root enters ``directory``: it is under the root and the
        source descends into it and into every directory between."""
        relative = os.path.relpath(directory, self.path)
        if relative == ".":
            return True
        if relative.startswith(".."):
            return False
        current = str(self.path)
        for part in relative.split(os.sep):
            current = os.path.join(current, part)
            if not self.source.descend(current):
                return False
        return True


class FoundFile(NamedTuple):
    """A file a walk found: a tuple, because a warm start makes one per file (≈16 k on a
    1 GB history) and a frozen dataclass costs three times as much to build."""

    path: str
    size: int
    mtime_ns: int
    source: str = ""
    format: str = ""

    @property
    def file_id(self) -> int:
        return file_id(self.source, self.path)


@dataclass(slots=True)
class DirRecord:
    """What a walk found in one directory (names, not paths: the directory's own path is
    the record's key)."""

    mtime_ns: int
    subdirs: list[str]
    """Entered by the walk."""
    pruned: list[str]
    """Not entered (the source's ``descend`` said no)."""
    names: str = ""
    """The source's files (before their stat), NUL-separated: a few strings per directory
    load far faster than a tuple per file when the walk memory is read back."""
    formats: str = ""
    """Their formats, NUL-separated, in the same order."""

    def files(self) -> Iterator[tuple[str, str]]:
        """(name, format) of each of the source's files."""
        if not self.names:
            return iter(())
        return zip(self.names.split("\0"), self.formats.split("\0"), strict=True)


_FILE_TYPE = 0o170000
"""The file-type bits of ``st_mode`` (``stat.S_IFMT``, inlined in the revisit loop)."""

SETTLED_NS = 2_000_000_000
"""A directory modified less than this before a walk is not remembered: a later change within
the file system's mtime granularity could leave its mtime as it was."""


def record_key(root: SourceRoot, directory: str) -> str:
    return f"{root.key}\0{directory}"


@dataclass(slots=True)
class Discovery:
    roots: list[SourceRoot] = field(default_factory=list)
    """Roots that exist and were walked."""
    missing: list[SourceRoot] = field(default_factory=list)
    """Roots that do not exist (explains an empty result)."""
    files: list[FoundFile] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) for directories and files that could not be read."""
    copies: list[FoundFile] = field(default_factory=list)
    """Files a source's ``select`` dropped as copies of others (a later change may make one
    the copy to read: live mode keeps them in mind)."""
    pruned: list[str] = field(default_factory=list)
    """Directories the walk did not enter (the source's ``descend`` said no): live mode
    watches around them."""
    dirs: dict[str, DirRecord] = field(default_factory=dict)
    """What each settled directory held (by :func:`record_key`), for the next walk."""
    listed: int = 0
    """Directories listed (the others were known and unchanged)."""

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def by_source(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for found in self.files:
            counts[found.source] = counts.get(found.source, 0) + 1
        return counts


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


class _Walk:
    """One root's walk: the source decides what is a file of its own."""

    def __init__(
        self,
        found: Discovery,
        source: Source,
        min_mtime_ns: int | None,
        known: dict[str, DirRecord] | None = None,
    ) -> None:
        self.found = found
        self.known = known or {}
        self.settled_ns = time.time_ns() - SETTLED_NS
        self.source = source
        self.current: SourceRoot = SourceRoot(source, Path())
        self.min_mtime_ns = min_mtime_ns
        self.files: list[FoundFile] = []
        self.seen_dirs: set[tuple[int, int]] = set()
        self.seen_files: set[tuple[int, int]] = set()
        self.companions: dict[str, tuple[str, ...]] = {}
        """Per format, the companion suffixes whose size and mtime fold into a file's."""

    def root(self, spec: SourceRoot) -> None:
        self.current = spec
        self.seen_dirs = set()  # per root: two globs over one directory both walk it
        root = spec.path
        try:
            root_stat = os.stat(root)
        except OSError:
            self.found.missing.append(spec)
            return
        self.found.roots.append(spec)
        if stat.S_ISREG(root_stat.st_mode):
            fmt = self.source.match(str(root))
            if fmt is not None:
                self.add(str(root), root_stat, fmt)
            return
        stack = [str(root)]
        while stack:
            directory = stack.pop()
            try:
                dir_stat = os.stat(directory)
            except OSError as error:
                self.found.errors.append((directory, _reason(error)))
                continue
            identity = (dir_stat.st_dev, dir_stat.st_ino)
            if identity in self.seen_dirs:
                continue
            self.seen_dirs.add(identity)
            key = record_key(spec, directory)
            record = self.known.get(key)
            if record is None or record.mtime_ns != dir_stat.st_mtime_ns:
                record = self.listing(directory, dir_stat.st_mtime_ns)
                if record is None:
                    continue
            else:
                self.revisit(directory, record)
            if record.mtime_ns < self.settled_ns:
                self.found.dirs[key] = record
            stack += [os.path.join(directory, name) for name in record.subdirs]

    def listing(self, directory: str, mtime_ns: int) -> DirRecord | None:
        """List a directory and visit its entries; what it holds, or None when it could not
        be listed or one of its entries could not be told apart (then it is listed again
        next time)."""
        self.found.listed += 1
        try:
            entries = list(os.scandir(directory))
        except OSError as error:
            self.found.errors.append((directory, _reason(error)))
            return None
        record = DirRecord(mtime_ns, [], [])
        files: list[tuple[str, str]] = []
        complete = True
        for entry in sorted(entries, key=lambda e: e.name):
            complete = self.visit(entry, record, files) and complete
        record.names = "\0".join(name for name, _ in files)
        record.formats = "\0".join(fmt for _, fmt in files)
        return record if complete else None

    def revisit(self, directory: str, record: DirRecord) -> None:
        """An unchanged directory: its entries are as recorded; only its files are stat'ed.
        The loop a warm start spends its walk in: plain files of formats without companions
        are added inline (what :meth:`add_regular` does for them)."""
        prefix = directory if directory.endswith(os.sep) else directory + os.sep
        self.found.pruned += [prefix + name for name in record.pruned]
        seen, files, name_of = self.seen_files, self.files, self.source.name
        floor, companions, new = self.min_mtime_ns, self.companions, tuple.__new__
        for name, fmt in record.files():
            path = prefix + name
            try:
                st = os.stat(path)
            except OSError as error:
                self.found.errors.append((path, _reason(error)))
                continue
            if companions.get(fmt, True) or st.st_mode & _FILE_TYPE != stat.S_IFREG:
                self.add_regular(path, st, fmt)  # companions to fold, not a file, new format
                continue
            identity = (st.st_dev, st.st_ino)
            if identity in seen or (floor is not None and st.st_mtime_ns < floor):
                seen.add(identity)
                continue
            seen.add(identity)
            files.append(new(FoundFile, (path, st.st_size, st.st_mtime_ns, name_of, fmt)))

    def visit(
        self, entry: os.DirEntry[str], record: DirRecord, files: list[tuple[str, str]]
    ) -> bool:
        """Classify one entry into ``record`` (a file of the source into ``files``); False
        when it could not be told apart."""
        fmt: str | None = None
        try:
            if entry.is_dir(follow_symlinks=True):
                if self.source.descend(entry.path):
                    record.subdirs.append(entry.name)
                else:
                    record.pruned.append(entry.name)
                    self.found.pruned.append(entry.path)
                return True
            fmt = self.source.match(entry.path)
            if fmt is None or (
                self.current.glob is not None and not self.current.accepts(entry.path)
            ):
                return True
            files.append((entry.name, fmt))
            entry_stat = entry.stat(follow_symlinks=True)
        except OSError as error:
            if fmt is not None:
                self.found.errors.append((entry.path, _reason(error)))
                return True
            return False
        self.add_regular(entry.path, entry_stat, fmt)
        return True

    def add_regular(self, path: str, file_stat: os.stat_result, fmt: str) -> None:
        if not stat.S_ISREG(file_stat.st_mode):
            self.found.errors.append((path, "not a regular file"))
            return
        self.add(path, file_stat, fmt)

    def add(self, path: str, file_stat: os.stat_result, fmt: str) -> None:
        identity = (file_stat.st_dev, file_stat.st_ino)
        if identity in self.seen_files:
            return  # the same file reached twice through a symlink
        self.seen_files.add(identity)
        companions = self.companions.get(fmt)
        if companions is None:
            format_ = self.source.format(fmt)
            companions = format_.companions if isinstance(format_, StoreFormat) else ()
            self.companions[fmt] = companions
        if companions:
            found = found_file(self.source, path, file_stat, fmt)
        else:
            found = FoundFile(path, file_stat.st_size, file_stat.st_mtime_ns, self.source.name, fmt)
        if self.min_mtime_ns is not None and found.mtime_ns < self.min_mtime_ns:
            return
        self.files.append(found)


def found_file(source: Source, path: str, file_stat: os.stat_result, fmt: str) -> FoundFile:
    """A file as discovery lists it: a store file's companions (``-wal``) fold their size and
    mtime into its own."""
    size, mtime_ns = file_stat.st_size, file_stat.st_mtime_ns
    format_ = source.format(fmt)
    if isinstance(format_, StoreFormat):
        for suffix in format_.companions:
            try:
                companion = os.stat(path + suffix)
            except OSError:
                continue
            size += companion.st_size
            mtime_ns = max(mtime_ns, companion.st_mtime_ns)
    return FoundFile(path, size, mtime_ns, source.name, fmt)


def discover(
    roots: list[SourceRoot],
    *,
    min_mtime_ns: int | None = None,
    known: dict[str, DirRecord] | None = None,
) -> Discovery:
    """Walk every root for its source's files; ``min_mtime_ns`` skips files not modified since
    then (a line is always written before its file's mtime, so such files hold nothing newer).
    Files are returned in path order; each source may drop copies (:meth:`Source.select`).
    ``known``: the last walk's ``dirs`` (unchanged directories are not listed again)."""
    found = Discovery()
    walks: dict[str, _Walk] = {}
    for root in roots:
        walk = walks.get(root.source.name)
        if walk is None:
            walk = walks[root.source.name] = _Walk(found, root.source, min_mtime_ns, known)
        walk.root(root)
    for walk in walks.values():
        listed = sorted(walk.files)  # by path: the first field, unique
        kept = walk.source.select(listed)
        found.files += kept
        if len(kept) != len(listed):
            chosen = {id(f) for f in kept}
            found.copies += [f for f in listed if id(f) not in chosen]
    return found


def walk_directory(
    roots: list[SourceRoot], directory: str, found: Discovery | None = None
) -> Discovery:
    """The files under ``directory`` (a directory inside some roots, e.g. one just created)
    that those roots read, unselected: live mode decides about copies itself."""
    found = found or Discovery()
    for root in roots:
        relative = os.path.relpath(directory, root.path)
        if relative.startswith("..") or root.path.is_file():
            continue
        walk = _Walk(found, root.source, None)
        before = len(found.roots)
        walk.root(SourceRoot(root.source, Path(directory)))
        del found.roots[before:]  # not a root of its own
        found.missing = [m for m in found.missing if m.path != Path(directory)]
        found.files += [f for f in walk.files if root.accepts(f.path) == f.format]
    return found
