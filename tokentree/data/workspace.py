"""One user's data as tokentree sees it: roots, store, cache, view and prices, kept fresh.

The headless commands and the explorer both drive a :class:`Workspace`; it knows nothing about
how results are shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tokentree import paths
from tokentree.config import Settings
from tokentree.data.cache import PersistedCache
from tokentree.data.ingest import IngestReport, ProgressCallback, ingest
from tokentree.data.scan import FileState
from tokentree.data.sources import claude
from tokentree.data.store import UsageStore, View

SOURCES = ("claude",)
"""Sources this version reads (``--source``)."""


def demo_root() -> Path:
    """The embedded demo transcripts shipped inside the package."""
    return Path(str(resources.files("tokentree").joinpath("demo")))


@dataclass(slots=True)
class Options:
    """What the user asked for on the command line (and in config)."""

    roots: list[Path] = field(default_factory=list)
    """Explicit ``--root`` paths; empty = discover the default locations."""
    source: str | None = None
    since: date | None = None
    until: date | None = None
    tz: str | None = None
    demo: bool = False
    use_cache: bool = True
    settings: Settings = field(default_factory=Settings)


def resolve_roots(options: Options) -> list[Path]:
    """The transcript directories to walk."""
    if options.demo:
        return [demo_root()]
    if options.roots:
        return [claude.transcript_dir(root.expanduser()) for root in options.roots]
    return [root / "projects" for root in claude.default_roots()]


class Workspace:
    def __init__(self, options: Options) -> None:
        from tokentree.data.pricing import LongContextRule, PriceTable

        if options.source is not None and options.source not in SOURCES:
            raise ValueError(
                f"unknown source {options.source!r}; this version reads: {', '.join(SOURCES)}"
            )
        self.options = options
        self.roots = resolve_roots(options)
        tz = options.tz or options.settings.timezone or paths.local_timezone()
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {tz!r}: use an IANA name such as Europe/Berlin or UTC"
            ) from None
        self.view = View(tz=tz, since=options.since, until=options.until)
        self.store = UsageStore(threads=int(os.environ.get("TOKENTREE_THREADS", "2")))
        self.store.set_prices(
            PriceTable.bundled(
                options.settings.pricing_models or None,
                rule=LongContextRule(options.settings.long_context),
            )
        )
        self.cache = PersistedCache(paths.cache_dir(), self.roots) if options.use_cache else None
        self._states: dict[str, FileState] | None = None
        self._dirty = False
        self.last_report: IngestReport | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.view.tz)

    def since_ns(self) -> int | None:
        if self.view.since is None:
            return None
        start = datetime.combine(self.view.since, time.min, tzinfo=self.zone)
        return int(start.timestamp() * 1_000_000_000)

    def refresh(self, progress: ProgressCallback | None = None) -> IngestReport:
        """Read what changed on disk (everything, the first time) into the store.

        The first refresh writes the cache at once when it changed (a one-shot export must leave
        it behind); later refreshes (live mode) only mark it dirty and :meth:`close` saves it.
        """
        first = self._states is None
        report, self._states = ingest(
            self.store,
            self.roots,
            cache=self.cache,
            since_ns=self.since_ns(),
            progress=progress,
            known=self._states,
        )
        self._dirty = self._dirty or report.cache_dirty
        if first and self._dirty:
            self.save_cache()
            if self.cache is not None and self.cache.status == "unwritable":
                report.cache_status = "unwritable"
        self.last_report = report
        return report

    def save_cache(self) -> None:
        """Persist the raw tables and the derived calls (built here if needed)."""
        if self.cache is None or not self._dirty:
            return
        self.store.build_calls()
        with self.store.lock:
            self.cache.save(self.store.cursor())
        self._dirty = False

    def close(self) -> None:
        self.save_cache()
        if self.cache is not None:
            self.cache.detach(self.store.cursor())
        self.store.close()
