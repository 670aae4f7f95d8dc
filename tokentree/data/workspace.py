"""One user's data as tokentree sees it: roots, store, cache, view and prices, kept fresh.

The headless commands and the explorer both drive a :class:`Workspace`; it knows nothing about
how results are shown.
"""

from __future__ import annotations

import hashlib
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
from tokentree.data.results import ResultCache, data_key
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
        )
        self.store.set_view(self.view)
        self._dirty = self._dirty or report.cache_dirty
        self.last_report = report
        return report

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
        states = [(s.path, s.size, s.mtime_ns, s.end_offset) for s in (self._states or {}).values()]
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
