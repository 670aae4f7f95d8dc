"""One user's data as tokentree sees it: roots, store, cache, view and prices, kept fresh.

The headless commands and the explorer both drive a :class:`Workspace`; it knows nothing about
how results are shown.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from time import time_ns
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tokentree import paths
from tokentree.config import Settings
from tokentree.data import sources
from tokentree.data.history.archive import Archive
from tokentree.data.read.discovery import DirRecord, Discovery, FoundFile, SourceRoot, discover
from tokentree.data.read.file_states import FileStates
from tokentree.data.read.first_frame import FirstFrame
from tokentree.data.read.found_key import manifest_key
from tokentree.data.read.ingest import IngestReport, ProgressCallback, ingest
from tokentree.data.read.watch_plan import watch_targets
from tokentree.data.source import Root, Source, SourceUsage
from tokentree.data.sqlfiles import sql
from tokentree.data.store.background import Background
from tokentree.data.store.cache import (
    DERIVED_TABLES,
    RAW_SAVED,
    EarlySave,
    PersistedCache,
    read_states,
)
from tokentree.data.store.derived import PERSISTED, READS
from tokentree.data.store.memory import configured_limit
from tokentree.data.store.opening import open_store
from tokentree.data.store.store import UsageStore, View
from tokentree.data.sync import SYNC_FORMAT
from tokentree.data.sync.devices import Devices
from tokentree.data.sync.settings import SyncSettings

DEVICE_PREFIX = "device:"
"""Marks a device in the explorer's source toggle (:meth:`Workspace.source_usage`)."""

RootArg = Path | tuple[str, Path]
"""A ``--root``: a path, or ``(source name, path)`` when the user named the source."""


def demo_root() -> Path:
    """The embedded demo data shipped inside the package (``demo/<source>/``)."""
    import tokentree

    return Path(tokentree.__file__).parent / "demo"


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
    devices: tuple[str, ...] = ()
    """``--device`` names: only these devices' calls; empty = every device."""
    sync: SyncSettings = field(default_factory=SyncSettings)
    """This machine's device name and the sync folder whose other devices are merged in."""


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
        from tokentree.data.pricing.prices import LongContextRule, PriceTable

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
        self.view = View(
            tz=tz,
            since=options.since,
            until=options.until,
            devices=frozenset(options.devices) if options.devices else None,
        )
        self.device = options.sync.device_name
        """This machine's device name (its own calls are labelled with it)."""
        configured_limit()  # a bad value is an error of the options, said now
        self._opening = Background(
            partial(
                open_store,
                threads=int(os.environ.get("TOKENTREE_THREADS", "2")),
                temp_directory=_spill_directory(options.use_cache),
                device=self.device,
                prices=PriceTable.bundled(
                    options.settings.pricing_models or None,
                    rule=LongContextRule(options.settings.long_context),
                ),
            ),
            "tokentree-open-store",
        )
        """The store, opened while the first walk stats the files (:mod:`.opening`)."""
        self.devices = Devices(self, options.sync)
        """The other devices' partitions merged in (docs/sync.md)."""
        self.cache = (
            PersistedCache(paths.cache_dir(), [(r.source.name, r.path) for r in self.roots])
            if options.use_cache
            else None
        )
        self.archive = None if options.demo else Archive(paths.data_dir() / "archive")
        """Where the calls of vanished files are kept (none for the demo)."""
        self._archive_failed = False
        self._read_ns: int | None = None
        """When the last read started (the files it found were seen then)."""
        self._states: FileStates | None = None
        self._states_unread = False
        """The store's manifest holds the states, not yet read (:meth:`_load_states`)."""
        self._copies: list[FoundFile] = []
        self._pruned: list[str] = []
        self._dirs: dict[str, DirRecord] | None = None
        """What the last walk found in each directory (loaded from the cache at first)."""
        self._dirty = False
        self._saved_generation: str | None = None
        """The generation this process saved, while the store still holds that data."""
        self.last_report: IngestReport | None = None
        self._older: Discovery | None = None
        """A split cold start's walk while its older files wait to be read (the view shows
        the weeks the first read made complete meanwhile: :mod:`.first_frame`)."""
        self._early_save: EarlySave | None = None
        """A save begun by :meth:`begin_save`."""
        self._incomplete = False
        self._older_failed = False
        """A read of the older files failed part way (the next one drops its rows first)."""
        """The read of the older files was given up: the store must not be saved."""

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
        self.store.build_calls()
        counts = {
            name: (calls, tokens)
            for name, calls, tokens in self.store.cursor()
            .execute(sql("source_usage", package=__package__))
            .fetchall()
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
        ] + self._device_usage()

    def _device_usage(self) -> list[SourceUsage]:
        """With more than one device: each device's calls and tokens, as toggle entries named
        ``device:<name>`` (the explorer's source panel lists them below the sources)."""
        rows = self.store.cursor().execute(sql("device_usage", package=__package__)).fetchall()
        if len(rows) < 2:
            return []
        shown = self.view.devices
        return [
            SourceUsage(
                f"{DEVICE_PREFIX}{name}",
                f"{name} (this device)" if name == self.device else name,
                "@",
                calls,
                tokens,
                shown is not None and name not in shown,
            )
            for name, calls, tokens in rows
        ]

    def device_names(self) -> list[str]:
        """Every device with calls in the store (this machine's name for its own), sorted."""
        self.store.build_calls()
        rows = self.store.cursor().execute(
            "SELECT DISTINCT coalesce(device, local_device()) FROM calls ORDER BY 1"
        )
        return [name for (name,) in rows.fetchall()]

    def set_devices(self, names: frozenset[str] | None) -> None:
        """Keep only these devices' calls (None: every device); rebuilt for the new view."""
        self.view = replace(self.view, devices=None if names is None else frozenset(names))
        self.store.set_view(self.view)

    def set_hidden_sources(self, names: frozenset[str]) -> None:
        """Leave these sources' calls out of every level, export and insight (the explorer's
        source toggle; names ``device:<name>`` hide a device's calls); the derived tables are
        rebuilt for the new view."""
        hidden_devices = {n[len(DEVICE_PREFIX) :] for n in names if n.startswith(DEVICE_PREFIX)}
        devices = frozenset(set(self.device_names()) - hidden_devices) if hidden_devices else None
        self.view = replace(
            self.view,
            hidden_sources=frozenset(n for n in names if not n.startswith(DEVICE_PREFIX)),
            devices=devices,
        )
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
        states = self._load_states() or {}
        return any(state.path.startswith(prefix) for state in states.values())

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.view.tz)

    def since_ns(self) -> int | None:
        return None if self.view.since is None else self._start_ns(self.view.since)

    def _start_ns(self, day: date) -> int:
        start = datetime.combine(day, time.min, tzinfo=self.zone)
        return int(start.timestamp() * 1_000_000_000)

    @property
    def older_pending(self) -> bool:
        """A split cold start read the newest weeks; :meth:`read_older` reads the rest."""
        return self._older is not None

    def refresh(
        self,
        progress: ProgressCallback | None = None,
        paths: Iterable[Path | str] | None = None,
        *,
        first_frame: FirstFrame | None = None,
    ) -> IngestReport:
        """Read what changed on disk (everything, the first time) into the store.

        ``paths``: the files (or directories) known to have changed since the last refresh (a
        watcher's batch); only they are looked at then, instead of walking every root. The
        derived tables are brought up to date lazily (``store.build``), for what changed only.

        ``first_frame``: on a cold start (no cache file) with much to read, read only the files
        modified in the newest weeks and show only those weeks (``view.since``) until
        :meth:`read_older` reads the rest (:attr:`older_pending`).

        The persisted cache is not written here: :meth:`save_cache` (also called by
        :meth:`close`) writes it once the caller has computed what is worth keeping with it.
        """
        self._load_states()
        started_ns = time_ns()
        # a watcher's batch: the vanished files were there until just now
        seen_ns = started_ns if paths is not None else self._read_ns
        walking = self._states is None or paths is None
        if walking and self._dirs is None and self.cache is not None:
            self._dirs = self.cache.load_walk()
        walked = None
        if walking and first_frame is None:
            # before the store is first needed: the walk's stats overlap its opening
            walked = discover(self.roots, known=self._dirs)
        self.store.set_view(self.view)  # before the cache's derived stages are adopted
        if first_frame is not None and self._states is None and self._cold():
            walked = discover(self.roots, known=self._dirs)
            cutoff = first_frame.cutoff(walked.files, self.view.tz, self.view.since)
            until = self.view.until
            if cutoff is not None and (until is None or cutoff <= until):
                self._older = walked
                self.view = replace(self.view, since=cutoff)
                self.store.set_view(self.view)
        report, states = ingest(
            self.store,
            self.roots,
            cache=self.cache,
            since_ns=self.since_ns(),
            progress=progress,
            known=self._states,
            paths=paths if self._states is not None else None,
            copies=self._copies,
            archive=self.archive,
            seen_ns=seen_ns,
            dirs=self._dirs,
            adopt=self._adopt_cached_stages,
            walked=walked,
        )
        self._states = states if states is not None else FileStates()
        self._states_unread = states is None
        self._read_ns = started_ns
        self._archive_failed = self._archive_failed or report.archive_error is not None
        if report.dirs is not None:
            if self.cache is not None and report.dirs != self._dirs:
                self.cache.save_walk(report.dirs)
            self._dirs = report.dirs
        self._copies = report.copies
        if report.pruned is not None:
            self._pruned = report.pruned
        if self.devices.due(walked=paths is None) and (
            self.devices.configured or self._holds_partitions()
        ):
            merged = self.devices.merge(self._load_states())
            report.errors += merged.errors
            self._dirty = self._dirty or merged.changed
        self.store.set_view(self.view)
        self._dirty = self._dirty or report.cache_dirty
        if self._dirty:
            self._saved_generation = None
        self.last_report = report
        return report

    @property
    def store(self) -> UsageStore:
        """The DuckDB store (waits for its opening, the first time)."""
        return self._opening.result()

    def _holds_partitions(self) -> bool:
        """Whether the store holds other devices' partitions (a sync folder no longer set
        drops them); asked of the manifest table, so a warm start need not read every state."""
        if not self._states_unread and self._states is not None:
            return any(s.format == SYNC_FORMAT for s in self._states.values())
        with self.store.lock:
            row = (
                self.store.cursor()
                .execute("SELECT count(*) FROM files WHERE format = ?", [SYNC_FORMAT])
                .fetchone()
            )
        return bool(row and row[0])

    def _cold(self) -> bool:
        """No cache file to start from (a first run, a new version, ``--no-cache``)."""
        return self.cache is None or not self.cache.path.exists()

    def read_older(
        self,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> IngestReport:
        """Read the files a split cold start left for later (:mod:`.older`) and show every
        week again; returns the start's report, counting them. ``cancel``: give up (the front
        end closes; nothing is saved then)."""
        from tokentree.data.read.older import Cancelled, read_older

        walked, report = self._older, self.last_report
        assert walked is not None and report is not None and self._states is not None
        since = self.options.since
        floor = None if since is None else self._start_ns(since)
        files = [f for f in walked.files if floor is None or f.mtime_ns >= floor]
        try:
            self._states = read_older(
                self.store,
                self.roots,
                files,
                self._states,
                report,
                progress=progress,
                cancel=cancel,
                again=self._older_failed,
            )
        except Cancelled:
            self._incomplete = True
            raise
        except Exception:
            self._older_failed = True
            raise
        with self.store.lock:
            self._older = None
            self.view = replace(self.view, since=since)
            self.store.set_view(self.view)
        self._dirty = True
        return report

    def _load_states(self) -> FileStates | None:
        """The known files' states; read from the store's manifest when the first read served
        the cache without reading them."""
        if self._states_unread:
            with self.store.lock:
                self._states = FileStates(read_states(self.store.cursor()))
            self._states_unread = False
        return self._states

    def served_generation(self) -> str | None:
        """The persisted cache's generation when the store holds exactly the data saved in it
        (served unchanged, or saved by this process, and nothing read or merged since); None
        otherwise."""
        report, cache = self.last_report, self.cache
        if cache is None or report is None or self._dirty:
            return None
        return cache.meta.get("generation") if report.exposed else self._saved_generation

    def materialize_cache(self) -> None:
        """Turn tables served as views over the cache file into in-memory tables (under the
        store's lock, before raw rows change outside ingest: another device's partitions)."""
        cache = self.cache
        if cache is not None and cache.attached:
            cache.materialize(self.store.cursor())
            self.store.derived.cache_materialized()

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
                self.store.derived.cache_materialized()

    def stage_keys(self) -> dict[str, str]:
        """What each persisted derived stage depends on besides the calls (saved with it, so
        a run with another view, price table or rule set builds its own)."""
        from tokentree.data.tree.annotate import ATTRIBUTION

        prices = self.store.prices
        view = self.view
        base = (
            _view_key(view),
            prices.header.get("sha256"),
            sorted((k, repr(v)) for k, v in prices.overrides.items()),
            str(prices.rule),
        )
        rules = (ATTRIBUTION["rule"], sorted(self.options.settings.activity_rules.items()))
        parts = {
            "priced": base,
            "days": (base, "days/2"),
            "turns": base,
            "activity": (base, rules),
            "insights": (base, rules, "insights/1"),
        }
        return {
            name: hashlib.blake2b(repr((name, part)).encode(), digest_size=12).hexdigest()
            for name, part in parts.items()
        }

    def _adopt_cached_stages(self) -> None:
        """Serve the derived stages saved with an unchanged cache for this view, prices and
        rules as views over its file, in build order (a stage is only as good as those it
        reads)."""
        cache = self.cache
        if cache is None:
            return
        rules, prices = self.options.settings.activity_rules, self.store.prices
        keys = self.stage_keys()
        served: set[str] = set()
        with self.store.lock:
            for name in PERSISTED:
                if not all(need in served for need in READS[name]):
                    continue
                if cache.expose_stage(self.store.cursor(), name, keys[name]):
                    money = cache.meta.get(f"money:{name}") or "HUGEINT"
                    self.store.derived.adopt(name, rules, prices, money)
                    served.add(name)

    def begin_save(self) -> None:
        """For a one-shot command (an export) after its read: start writing the cache's raw
        tables on a thread while the command builds and writes its answer; :meth:`save_cache`
        waits for it and writes the rest. Nothing may change the raw tables in between (the
        thread holds no lock, so that the two overlap). Only when a save is certain (the read
        changed the data)."""
        cache = self.cache
        if (
            cache is None
            or not self._dirty
            or self._archive_failed
            or self._older is not None
            or self._incomplete
            or self._early_save is not None
        ):
            return
        store = self.store
        store.set_call_keys()  # the rows saved keyed, as a later build would have left them
        writer = cache.writer(store.cursor())
        if writer is not None:
            self._early_save = EarlySave(writer)
            self._early_save.copy(store, RAW_SAVED)

    def save_calls_early(self) -> None:
        """After :meth:`begin_save`: build the deduplicated calls (if not built) and write
        them on a thread of their own, beside the raw tables', while the command goes on."""
        if self._early_save is not None:
            self.store.build_calls()
            self._early_save.copy(self.store, DERIVED_TABLES)

    def save_cache(self) -> None:
        """Persist the raw tables, the derived calls and every later stage that is current
        for this view (prices, turns, and the activity split and insight tables when they
        were computed)."""
        cache = self.cache
        if cache is None:
            return
        early, self._early_save = self._early_save, None
        writer = early.finish(self.store.cursor()) if early is not None else None
        derived = self.store.derived
        rules, prices = self.options.settings.activity_rules, self.store.prices
        keys = self.stage_keys()
        with self.store.lock:
            current = derived.current(rules, prices) if derived.view == self.view else []
            money = {"activity": derived.activity_money, "insights": derived.insight_money}
            stages = {name: (keys[name], money.get(name, "")) for name in current}
        saved = {
            name: (cache.meta[f"stage:{name}"], cache.meta.get(f"money:{name}", ""))
            for name in PERSISTED
            if cache.meta.get(f"stage:{name}")
        }
        unsaved = (
            self._archive_failed  # the cache still lists the vanished files: read them again
            or self._older is not None  # the newest weeks only: the next start reads all
            or self._incomplete
        )
        if unsaved or (not self._dirty and (not stages or stages.items() <= saved.items())):
            if writer is not None:
                writer.abort(self.store.cursor())
            if not unsaved:
                cache.touch()  # its files were seen again
            return
        self.store.build_calls()
        archive_key = self.archive.reflected_key() if self.archive is not None else ""
        states = self._states if not self._states_unread else None
        found = manifest_key(states.values()) if states is not None else cache.meta.get("found")
        with self.store.lock:
            saved = cache.save(
                self.store.cursor(),
                stages,
                archive_key=archive_key,
                found=found or "",
                writer=writer,
            )
        self._saved_generation = cache.meta.get("generation") if saved else None
        self._dirty = False

    def close(self) -> None:
        self.save_cache()
        if self.cache is not None:
            self.cache.detach(self.store.cursor())
        self.store.close()


def _view_key(view: View) -> tuple[tuple[str, str], ...]:
    """Every field of the view, sets sorted (their order varies between processes): a stage
    saved for one view is never served to another (a device filter, hidden sources …)."""
    from dataclasses import fields

    def stable(value: object) -> str:
        return repr(sorted(value)) if isinstance(value, frozenset | set) else repr(value)

    return tuple((f.name, stable(getattr(view, f.name))) for f in fields(view))


def _spill_directory(use_cache: bool) -> Path:
    """Where DuckDB spills beyond its memory ceiling: under the cache directory (made now, so
    that a first run can spill), or, when nothing may be cached, a directory of its own in the
    system's temporary directory (DuckDB creates it only if it spills, and removes it)."""
    if use_cache:
        directory = paths.cache_dir()
        with contextlib.suppress(OSError):
            directory.mkdir(parents=True, exist_ok=True)
        return directory / "spill"
    return Path(tempfile.gettempdir()) / f"tokentree-spill-{os.getpid()}"
