"""One user's data as tokentree sees it: roots, store, cache, view and prices, kept fresh.

The headless commands and the explorer both drive a :class:`Workspace`; it knows nothing about
how results are shown.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tokentree import paths
from tokentree.config import Settings
from tokentree.data import sources
from tokentree.data.cache import PersistedCache
from tokentree.data.discovery import FoundFile, SourceRoot
from tokentree.data.ingest import IngestReport, ProgressCallback, ingest
from tokentree.data.results import ResultCache, data_key
from tokentree.data.scan import FileState
from tokentree.data.source import Root, Source, SourceUsage
from tokentree.data.store import UsageStore, View
from tokentree.data.watch_plan import watch_targets

RootArg = Path | tuple[str, Path]
"""A ``--root``: a path, or ``(source name, path)`` when the user named the source."""


def demo_root() -> Path:
    """The embedded demo data shipped inside the package (``demo/<source>/``)."""
    return Path(str(resources.files("tokentree").joinpath("demo")))


@dataclass(slots=True)
class Options:
    """What the user asked for on the command line (and in config)."""

    roots: list[RootArg] = field(default_factory=list)
    """Explicit ``--root`` paths; empty = discover the default locations."""
    sources: tuple[str, ...] = ()
    """``--source`` names; empty = every source."""
    since: date | None = None
    until: date | None = None
    tz: str | None = None
    demo: bool = False
    use_cache: bool = True
    settings: Settings = field(default_factory=Settings)


def resolve_roots(options: Options) -> list[SourceRoot]:
    """The directories (or files) to walk, each with the source whose data it holds.

    With ``--root``, a path labelled ``NAME=PATH`` belongs to that source; an unlabelled one to
    the only ``--source`` given, else to the first source that recognises it, else to Claude
    Code. Without, every selected source's default locations (``$CLAUDE_CONFIG_DIR``,
    ``$CODEX_HOME`` …). Sources not selected are never walked.
    """
    selected = sources.select(options.sources)
    if options.demo:
        demo = demo_root()
        return [
            SourceRoot(source, source.root_for(demo / source.name))
            for source in selected
            if (demo / source.name).exists()
        ]
    if options.roots:
        wanted = {source.name for source in selected}
        roots: list[SourceRoot] = []
        for arg in options.roots:
            name, path = arg if isinstance(arg, tuple) else (None, arg)
            path = path.expanduser()
            source = sources.get(name) if name else _owner(path, selected)
            if source.name in wanted:
                roots.append(SourceRoot(source, source.root_for(path)))
        return roots
    env = dict(os.environ)
    found: list[SourceRoot] = []
    for source in selected:
        for root in source.default_roots(env, options.settings):
            if isinstance(root, Root):
                found.append(SourceRoot(source, root.path, root.glob))
            else:
                found.append(SourceRoot(source, root))
    return found


def _owner(path: Path, selected: list[Source]) -> Source:
    if len(selected) == 1:
        return selected[0]
    for source in selected:
        if source.name != "claude" and source.claims(path):
            return source
    return sources.get("claude") if "claude" in sources.names() else selected[0]


class Workspace:
    def __init__(self, options: Options) -> None:
        from tokentree.data.pricing import LongContextRule, PriceTable

        self.options = options
        self.sources = sources.select(options.sources)
        """The sources read (``--source``, validated: ValueError names the valid ones)."""
        self.roots = resolve_roots(options)
        tz = options.tz or options.settings.timezone or paths.local_timezone()
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {tz!r}: use an IANA name such as Europe/Berlin or UTC"
            ) from None
        self.view = View(tz=tz, since=options.since, until=options.until)
        self.store = UsageStore(
            threads=int(os.environ.get("TOKENTREE_THREADS", "2")),
            temp_directory=paths.cache_dir() / "spill",
        )
        self.store.set_prices(
            PriceTable.bundled(
                options.settings.pricing_models or None,
                rule=LongContextRule(options.settings.long_context),
            )
        )
        self.cache = (
            PersistedCache(paths.cache_dir(), [(r.source.name, r.path) for r in self.roots])
            if options.use_cache
            else None
        )
        self._states: dict[int, FileState] | None = None
        self._copies: list[FoundFile] = []
        self._pruned: list[str] = []
        self._dirty = False
        self.last_report: IngestReport | None = None

    @property
    def root_paths(self) -> list[Path]:
        return [root.path for root in self.roots]

    @property
    def source_names(self) -> list[str]:
        """The sources read: selected and with at least one root, and every source named with
        ``--source`` (asked for, even where it has no root to walk)."""
        walked = {root.source.name for root in self.roots}
        asked = set(self.options.sources or ())
        return [source.name for source in self.sources if source.name in walked | asked]

    def source_usage(self) -> list[SourceUsage]:
        """Every source read (or asked for), with its calls and tokens, hidden ones included."""
        from tokentree.data.sqlfiles import sql

        self.store.build_calls()
        counts = {
            name: (calls, tokens)
            for name, calls, tokens in self.store.cursor().execute(sql("source_usage")).fetchall()
        }
        names = [*self.source_names, *(n for n in counts if n not in self.source_names)]
        return [
            SourceUsage(
                name,
                sources.get(name).label if name in sources.names() else name,
                sources.get(name).marker if name in sources.names() else name[:2],
                *counts.get(name, (0, 0)),
                name in self.view.hidden_sources,
            )
            for name in names
        ]

    def set_hidden_sources(self, names: frozenset[str]) -> None:
        """Leave these sources' calls out of every level, export and insight (the explorer's
        source toggle); the derived tables are rebuilt for the new view."""
        self.view = replace(self.view, hidden_sources=frozenset(names))
        self.store.set_view(self.view)

    def watch_targets(self) -> list[tuple[Path, bool]]:
        """What live mode watches: ``(directory, with its whole tree)`` pairs covering what
        discovery walks, around the directories it skipped (:mod:`.watch_plan`)."""
        return watch_targets(self.roots, self._pruned)

    def watches(self, path: str) -> bool:
        """Whether a change to ``path`` can change the data (the watcher's filter): a file of
        a selected source under its root, or a companion of one (a sqlite ``-wal``); or a
        directory under a root that appeared (its files are looked for) or vanished (its
        files are dropped)."""
        for root in self.roots:
            if root.path.is_file():
                if path == str(root.path) or root.source.companion_owner(path) == str(root.path):
                    return True
            elif (
                root.accepts(path) is not None
                or (
                    (owner := root.source.companion_owner(path)) is not None
                    and root.accepts(owner) is not None
                )
            ) and root.descends_to(os.path.dirname(path)):
                return True
        return self._tree_changed(path)

    def _tree_changed(self, path: str) -> bool:
        if all(os.path.relpath(path, root.path).startswith("..") for root in self.roots):
            return False
        if os.path.isdir(path):
            return any(root.descends_to(path) for root in self.roots if not root.path.is_file())
        if os.path.lexists(path):
            return False
        prefix = path.rstrip(os.sep) + os.sep
        return any(state.path.startswith(prefix) for state in (self._states or {}).values())

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.view.tz)

    def since_ns(self) -> int | None:
        if self.view.since is None:
            return None
        start = datetime.combine(self.view.since, time.min, tzinfo=self.zone)
        return int(start.timestamp() * 1_000_000_000)

    def refresh(
        self, progress: ProgressCallback | None = None, paths: Iterable[Path | str] | None = None
    ) -> IngestReport:
        """Read what changed on disk (everything, the first time) into the store.

        ``paths``: the files (or directories) known to have changed since the last refresh (a
        watcher's batch); only they are looked at then, instead of walking every root. The
        derived tables are brought up to date lazily (``store.build``), for what changed only.

        The persisted cache is not written here: :meth:`save_cache` (also called by
        :meth:`close`) writes it once the caller has computed what is worth keeping with it.
        """
        report, self._states = ingest(
            self.store,
            self.roots,
            cache=self.cache,
            since_ns=self.since_ns(),
            progress=progress,
            known=self._states,
            paths=paths if self._states is not None else None,
            copies=self._copies,
        )
        self._copies = report.copies
        if report.pruned is not None:
            self._pruned = report.pruned
        self.store.set_view(self.view)
        self._dirty = self._dirty or report.cache_dirty
        self.last_report = report
        return report

    def prepare_for_changes(self) -> None:
        """Copy what an unchanged cache serves as views over its file into memory, so that the
        first live change does not wait for the copy. The copy runs without the store's lock
        (only the swap takes it): call it from a background thread after the first read."""
        cache = self.cache
        if cache is None or not cache.attached or not cache.copy_out(self.store.cursor()):
            return
        with self.store.lock:
            if cache.attached:
                cache.materialize(self.store.cursor())
                self.store.derived.forget_adopted_activity()

    def adopt_cached_activity(self) -> bool:
        """Serve the activity split saved with an unchanged cache, if it was computed with the
        same rules and prices (it always covers the whole range). Only for callers that need
        nothing but ``call_activity`` (an export whose insights are remembered)."""
        from tokentree.data.activity import adopt_activity

        if self.cache is None or self._dirty:
            return False
        with self.store.lock:
            if not self.cache.adopt_activity(self.store.cursor(), self.activity_key()):
                return False
            adopt_activity(self.store, self.options.settings.activity_rules)
        return True

    def activity_key(self) -> str:
        """Everything besides the calls that the activity split depends on."""
        from tokentree.data.annotate import ATTRIBUTION

        prices = self.store.prices
        parts = (
            ATTRIBUTION["rule"],
            sorted(self.options.settings.activity_rules.items()),
            prices.header.get("sha256"),
            sorted((k, repr(v)) for k, v in prices.overrides.items()),
            str(prices.rule),
        )
        return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()

    def data_key(self) -> str:
        """Identifies this data state, view and settings (for results remembered between runs)."""
        states = [
            (f"{s.source}:{s.path}", s.size, s.mtime_ns, s.end_offset)
            for s in (self._states or {}).values()
        ]
        settings = self.options.settings
        return data_key(
            states,
            self.view,
            self.activity_key(),
            settings.plan_name,
            settings.plan_monthly_usd,
        )

    def results(self) -> tuple[ResultCache, str] | None:
        """Where export annotations can remember results, and under which key (the data state
        about to be cached, so results of a first run serve the next one)."""
        if self.cache is None:
            return None
        return self.cache.results, self.data_key()

    def save_cache(self) -> None:
        """Persist the raw tables, the derived calls and (when current for the whole range)
        the activity split."""
        if self.cache is None:
            return
        from tokentree.data.activity import activity_is_current

        full_range = self.view.since is None and self.view.until is None
        rules = self.options.settings.activity_rules
        activity_key = (
            self.activity_key() if full_range and activity_is_current(self.store, rules) else None
        )
        if activity_key and self.cache.meta.get("activity_key") != activity_key:
            self._dirty = True
        if not self._dirty:
            return
        self.store.build_calls()
        with self.store.lock:
            self.cache.save(self.store.cursor(), activity_key=activity_key)
        self._dirty = False

    def close(self) -> None:
        self.save_cache()
        if self.cache is not None:
            self.cache.detach(self.store.cursor())
        self.store.close()
