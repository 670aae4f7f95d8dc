"""The source seam: what a coding assistant's log reader declares, and nothing more.

A source is a package ``tokentree/data/sources/<name>/`` whose ``SOURCE`` object is an instance
of a :class:`Source` subclass. It says where its data lives (default roots, environment
variables), which files under a root are its own and in which format (used by discovery **and**
the watcher), and how one file becomes rows of the shared raw tables. Everything else —
discovery, the DuckDB scan and its tolerant fallback, the persisted cache, deduplication,
pricing, the tree — is the engine's, and the engine imports no concrete source (the registry in
:mod:`tokentree.data.sources` loads them by name).

Two read paths:

* :class:`LineFormat` — JSONL files read in place by DuckDB in bulk, verified byte for byte,
  with a Python twin for the lines DuckDB cannot read and for appended tails;
* :class:`StoreFormat` — files read whole by Python (one JSON document, a sqlite database, a
  small sidecar), returning rows for the raw tables.

The raw tables (``sql/raw_tables.sql``) are the contract between the two sides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

StagingFields = dict[str, Any]
"""One parsed line in the staging shape: ``{"kind": str, "x": list[str | None],
"overflow": list[dict] | None}`` (see ``sql/staging.sql``)."""


@dataclass(frozen=True, slots=True)
class LineFormat:
    """JSONL files that DuckDB reads in place.

    ``scan_sql`` is a query over the engine's CTE ``lines(file_id, line, nbytes)`` returning
    staging rows ``(file_id, kind, nbytes, x, overflow, bad, broken)``, one per line: ``kind``
    names what the line is (NULL: not parsed, only counted), ``x`` the extracted fields, ``bad``
    the raw text of a line that was meant to be parsed but DuckDB could not (it is re-parsed in
    Python), ``broken`` marks an unparsed line that is certainly malformed (counted as skipped;
    the ``broken_line(kind, line)`` macro is the usual test). ``stage_sql`` types the staging
    rows of one batch into the raw tables; a statement whose leading comment has the line
    ``-- staging kinds: A, P`` runs only when the batch holds rows of one of those kinds (a tail
    of assistant lines skips the statements for prompts: a live refresh runs fewer).
    ``classify``/``parse`` are the Python twin used by the tolerant reader: they must produce
    what the SQL produces for the same line.
    """

    name: str
    scan_sql: str
    stage_sql: Sequence[str]
    classify: Callable[[str], str | None]
    """The kind of a raw line by cheap tests (None: not parsed)."""
    parse: Callable[[Any, str], StagingFields | None]
    """Staging fields of a parsed JSON value of that kind (None: not an object)."""
    setup_sql: Sequence[str] = ()
    """Statements run once per connection before the first scan (macros)."""
    appendable: bool = True
    """Lines appended to a file can be read on their own; otherwise a grown file is re-read."""
    file_context: Callable[[str], Sequence[str | None]] | None = None
    """Values derived from a file's path rather than its lines (the project a directory
    belongs to, a parent session named by the directory …), computed once per file read and
    given to ``stage_sql`` as the temp table ``file_context(file_id UBIGINT, ctx VARCHAR[])``,
    one row per file of the batch. It must not raise; if it does, the file's ``ctx`` is empty."""
    ordered: bool = False
    """The format needs each line's position in its file (a file's events depend on the lines
    before them). ``lines`` then has an ``ordinal`` column, increasing with the line's offset
    within its file (not dense, not starting at 0), and ``scan_sql`` returns it as an eighth
    column; rows made by ``parse`` get it from the tolerant reader. A file DuckDB could not read
    whole is read again whole by the tolerant reader, never patched line by line, so one file's
    ordinals always come from one reader."""


_STAGING_KINDS = re.compile(r"^-- staging kinds: (.+)$", re.MULTILINE)


def staging_kinds(statement: str) -> frozenset[str] | None:
    """The staging kinds a ``stage_sql`` statement reads, from its ``-- staging kinds:`` line
    (None: it runs for every batch)."""
    found = _STAGING_KINDS.search(statement)
    if found is None:
        return None
    return frozenset(kind.strip() for kind in found.group(1).split(","))


Rows = list[dict[str, Any]] | dict[str, list[Any]]
"""Rows for one raw table: a list of row dicts, or columns (``{column: values}``, all of the same
length) — cheaper when a store holds hundreds of thousands of rows."""


@dataclass(slots=True)
class RawRows:
    """What a store reader returns: rows for the raw tables, and what it could not read."""

    calls: Rows = field(default_factory=list)
    prompts: Rows = field(default_factory=list)
    events: Rows = field(default_factory=list)
    agents: Rows = field(default_factory=list)
    limits: Rows = field(default_factory=list)
    records: int = 0
    """Records looked at (a file's "lines")."""
    skipped: int = 0
    """Records that may carry data but could not be read (reported to the user)."""


class StoreError(Exception):
    """A store file cannot be read at all (corrupt, locked, not what it claims to be); the
    message is shown to the user and the file is skipped."""


@dataclass(frozen=True, slots=True)
class StoreFormat:
    """Files read whole by Python: a JSON document, a sqlite database, a sidecar."""

    name: str
    read: Callable[[str], RawRows]
    """Read one file; raises ``OSError`` or :class:`StoreError` when it cannot."""
    companions: tuple[str, ...] = ()
    """Suffixes of files that belong to this one (``-wal``): their size and mtime are part of
    its state, and a change to them is a change to it."""


Format = LineFormat | StoreFormat


@dataclass(frozen=True, slots=True)
class Root:
    """A default location narrowed by a glob: only files whose path relative to ``path``
    matches ``glob`` (``fnmatch``: ``*`` also crosses ``/``) are read and watched."""

    path: Path
    glob: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryPrompt:
    """A prompt the assistant keeps apart from its transcripts (Claude Code's
    ``history.jsonl``), which outlives them: it labels archived sessions that have none."""

    path: str
    """The file it was read from."""
    ts: datetime
    text: str
    project: str | None = None
    """The working directory it was typed in."""
    session_id: str | None = None


@dataclass(frozen=True, slots=True)
class SourceUsage:
    """One source's share of what was read (what the explorer's source toggle lists)."""

    name: str
    label: str
    marker: str
    calls: int
    tokens: int
    hidden: bool


class LazyFormats:
    """A source's ``formats``, imported from its modules when first asked for
    (``"module:NAME"`` relative to the source's package): most runs never read most sources'
    files, and a warm start reads none, so their parsers and SQL stay unimported."""

    def __init__(self, package: str, *refs: str) -> None:
        self.package = package
        self.refs = refs

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = name

    def __get__(self, instance: object, owner: type) -> tuple[Format, ...]:
        import importlib

        found = tuple(
            getattr(importlib.import_module(f"{self.package}.{module}"), name)
            for module, _, name in (ref.partition(":") for ref in self.refs)
        )
        setattr(owner, self.attribute, found)  # imported once: the class holds them now
        return found


class Source:
    """One coding assistant's logs. Subclasses set the class attributes and override the
    methods whose defaults do not fit."""

    name: ClassVar[str]
    """Identifier in ``--source``, the export's ``"source"`` and the cache."""
    label: ClassVar[str]
    """Human name (``Claude Code``)."""
    marker: ClassVar[str]
    """One or two characters marking its sessions in the explorer."""
    rank: ClassVar[int] = 100
    """Display order (lower first)."""
    env_vars: ClassVar[tuple[str, ...]] = ()
    """Environment variables that move its data (documented, shown by ``tokentree paths``)."""
    formats: ClassVar[tuple[Format, ...]]
    """How its files become rows (:class:`LazyFormats` imports them when first needed)."""

    def default_roots(self, env: Mapping[str, str], settings: Any) -> list[Path | Root]:
        """Directories (or files) to walk when the user names none, most specific first.
        ``settings`` is the user's :class:`~tokentree.config.Settings` (e.g. configured globs)."""
        raise NotImplementedError

    def root_for(self, path: Path) -> Path:
        """The directory to walk for a root the user named (e.g. a config dir's ``projects``)."""
        return path

    def claims(self, path: Path) -> bool:
        """Whether an unlabelled ``--root PATH`` looks like this source's data."""
        return False

    def match(self, path: str) -> str | None:
        """The format name of a file under a root, or None when it is not this source's."""
        raise NotImplementedError

    def descend(self, path: str) -> bool:
        """Whether discovery walks into a directory (skip bulky trees that hold no usage)."""
        return True

    def select(self, files: list[Any]) -> list[Any]:
        """Drop copies among the discovered files (e.g. a compressed twin of a plain file)."""
        return files

    def prompt_history(self, roots: Sequence[Path]) -> list[HistoryPrompt]:
        """The prompts kept apart from the transcripts under ``roots`` (none by default). It
        must not raise: an unreadable history is no history."""
        return []

    # ------------------------------------------------------------------ helpers

    def format(self, name: str) -> Format:
        for fmt in self.formats:
            if fmt.name == name:
                return fmt
        raise KeyError(f"{self.name}: no format {name!r}")

    def companion_owner(self, path: str) -> str | None:
        """The file a companion path belongs to (``x.db-wal`` → ``x.db``), if it is one."""
        for fmt in self.formats:
            if isinstance(fmt, StoreFormat):
                for suffix in fmt.companions:
                    if path.endswith(suffix):
                        owner = path[: -len(suffix)]
                        if self.match(owner) == fmt.name:
                            return owner
        return None

    def watches(self, path: str) -> bool:
        """Whether a change to ``path`` can change this source's data (the watcher's filter)."""
        return self.match(path) is not None or self.companion_owner(path) is not None

    def __repr__(self) -> str:
        return f"<source {self.name}>"
