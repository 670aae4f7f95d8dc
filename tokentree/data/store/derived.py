"""The derived tables of one store and their single owner: what is built, for which data and
view, and what a change of the raw tables makes stale.

Stages, each a group of tables built together from those before it:

========== ======================================================= ============================
stage      tables                                                  built from
========== ======================================================= ============================
calls      ``calls``, ``prompts``                                  the raw tables
priced     ``model_rates``, ``priced``                             calls; the view, the prices
turns      ``call_turns``                                          priced, prompts, raw_agents
activity   ``activity_map``, ``call_flow``, ``call_cost_parts``,   calls, priced, prompts; the
           ``call_tools``, ``call_activity``                       activity rules
insights   ``whatif_rates``, ``insight_turns`` (``_agents``,       all of the above; the price
           ``_models``), ``insight_rebuilds``, ``insight_reads``   table
========== ======================================================= ============================

A stage is built in full when what it was built *for* changed (its key: the view, the prices,
the rules, or a full build of a stage it reads). A change of the raw tables confined to some
files is applied as a *delta* (:mod:`tokentree.data.store.delta`): ``calls`` is recomputed for the
call keys the change touched, ``priced`` for those calls, and every later stage for the sessions
they belong to (all of them are per session: threads, turns and windows never cross one). A
delta is kept as *pending* by each built stage and applied when the stage is next needed, so a
stage nobody looks at (insights while the info panel is closed) costs nothing per refresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store import delta
from tokentree.data.store.working_set import MIRRORED, WorkingSet

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.store.store import UsageStore, View

DEPTH_CALLS = 0
DEPTH_DAYS = 1
DEPTH_TURNS = 2

PERSISTED: dict[str, tuple[str, ...]] = {
    "priced": ("model_rates", "priced"),
    "days": ("day_totals",),
    "turns": ("call_turns",),
    "activity": ("activity_map", "call_flow", "call_cost_parts", "call_tools", "call_activity"),
    "insights": (
        "whatif_rates",
        "insight_turns",
        "insight_agents",
        "insight_models",
        "insight_rebuilds",
        "insight_reads",
    ),
}
"""The stages the persisted cache keeps (in build order) and the tables each is read from."""
READS: dict[str, tuple[str, ...]] = {
    "priced": (),
    "days": ("priced",),
    "turns": ("priced",),
    "activity": ("priced",),
    "insights": ("activity", "turns"),
}
"""The persisted stages each is built from (besides ``calls``): it is current, saved and served
only with them."""


@dataclass(slots=True)
class Stage:
    """One group of derived tables: what it was built for and the changes not applied yet."""

    name: str
    key: Any = None
    """What the tables were built for; None: not built."""
    generation: int = 0
    """Bumped by every full build (later stages key on it)."""
    changes: int = 0
    """Bumped by every delta applied."""
    pending: delta.Scope | None = None
    adopted: bool = False
    """Its tables are views over the persisted cache's file: read-only, a change rebuilds."""

    @property
    def token(self) -> tuple[int, int]:
        """Changes whenever the stage's tables change."""
        return (self.generation, self.changes)

    def built(self, key: Any) -> None:
        self.key, self.pending, self.adopted = key, None, False
        self.generation += 1

    def invalidate(self) -> None:
        self.key, self.pending, self.adopted = None, None, False

    def note(self, scope: delta.Scope) -> None:
        """A delta upstream: remember what to recompute (nothing to do when not built). A
        stage nobody asks for while live mode appends would remember every call:
        past :data:`~tokentree.data.store.delta.DELTA_KEYS` calls it is built in full when next
        needed."""
        if self.key is None:
            return
        if self.pending is None:
            self.pending = delta.Scope()
        self.pending.add(scope)
        if len(self.pending.cids) > delta.DELTA_KEYS and not self.adopted:
            self.invalidate()


@dataclass(slots=True)
class DerivedTables:
    """The store's derived tables (see the module docstring). Every method expects the store's
    lock to be held or takes it."""

    store: UsageStore
    calls: Stage = field(default_factory=lambda: Stage("calls"))
    priced: Stage = field(default_factory=lambda: Stage("priced"))
    days: Stage = field(default_factory=lambda: Stage("days"))
    """``day_totals``: a row per day and session, its changed sessions' rows redone."""
    turns: Stage = field(default_factory=lambda: Stage("turns"))
    activity: Stage = field(default_factory=lambda: Stage("activity"))
    insights: Stage = field(default_factory=lambda: Stage("insights"))
    view: View | None = None
    """The view last built for (or announced by ``set_view``)."""
    raw: delta.RawChange | None = None
    """Raw rows changed since ``calls`` was last brought up to date."""
    activity_money: str = "HUGEINT"
    """The SQL type of per-call money in the activity tables (``activity_build.money_type``)."""
    insight_money: str = "HUGEINT"
    """The type the insight queries fetch money as."""
    whatif: list[tuple[Any, ...]] | None = None
    """The rows of ``whatif_rates`` the insight tables were built with."""
    memo: dict[Any, Any] = field(default_factory=dict)
    """Results computed from the insight tables (``insight_set``), for ``memo_token``."""
    memo_token: Any = None
    working: WorkingSet = field(default_factory=WorkingSet)
    """The sessions live refreshes keep touching, their wide rows at hand."""
    scoped: dict[str, Any] = field(default_factory=dict)
    """For each other table read by a delta: the version its ``delta_<t>`` holds."""
    prompt_mark: int | None = None
    """The last ``raw_prompts`` row before the rows being read (:func:`delta.prompt_mark`)."""

    @property
    def later(self) -> tuple[Stage, ...]:
        return (self.priced, self.days, self.turns, self.activity, self.insights)

    # ------------------------------------------------------------------ raw changes

    def raw_replaced(self) -> None:
        """The raw tables were replaced wholesale: everything is built again."""
        self.calls.invalidate()
        self.raw = None

    def raw_from_cache(self) -> None:
        """The raw tables, ``calls`` and ``prompts`` were just exposed, mutually consistent,
        from the persisted cache: only the later stages are built."""
        self.calls.built("current")
        self.raw = None

    def raw_changing(self, cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> None:
        """The rows of ``file_ids`` are about to be dropped, and rows read: note what the
        dropped ones are, and where the rows read will start (call :meth:`raw_changed` with
        the ids of every file read or dropped afterwards)."""
        if self.calls.key is None:
            return
        self.prompt_mark = delta.prompt_mark(cursor)
        if file_ids:
            self._add_raw(delta.capture(cursor, file_ids))

    def raw_changed(
        self, cursor: duckdb.DuckDBPyConnection, file_ids: list[int], *, whole: bool = False
    ) -> None:
        """The rows of ``file_ids`` were replaced or extended: note the rows just read.
        ``whole``: every row of those files is new (rows inserted with their key already set,
        such as another device's synced calls)."""
        if self.calls.key is None or not file_ids:
            return
        new_after = None if whole else self.prompt_mark
        self._add_raw(delta.capture(cursor, file_ids, new_after=new_after))

    def _add_raw(self, change: delta.RawChange) -> None:
        if self.raw is None:
            self.raw = change
        else:
            self.raw.add(change)
        if self.raw.size > delta.DELTA_KEYS:
            self.raw_replaced()  # cheaper to build everything

    def cache_materialized(self) -> None:
        """The persisted cache's views became in-memory tables: every stage takes deltas."""
        for stage in self.later:
            stage.adopted = False

    def _rebuilding(self, stage: Stage) -> None:
        """A stage is about to be built in full: views of the cache standing in for its
        tables make way."""
        if stage.adopted:
            _drop_views(self.store.cursor(), PERSISTED[stage.name])
            stage.adopted = False

    # ------------------------------------------------------------------ building

    def set_view(self, view: View) -> None:
        self.view = view

    def build(self, view: View, depth: int = DEPTH_TURNS) -> None:
        """Bring the tables up to date for ``view``, down to ``depth``."""
        with self.store.lock:
            self.view = view
            self.ensure_calls()
            self._ensure_priced(view)
            if depth >= DEPTH_TURNS:
                self._ensure_turns()

    def ensure_calls(self) -> None:
        """``calls`` and ``prompts`` current (they depend on the raw tables only)."""
        with self.store.lock:
            cursor = self.store.cursor()
            if self.calls.key is None:
                delta.build_calls(cursor)
                self.calls.built("current")
                self.raw = None
            elif self.raw is not None:
                raw, self.raw = self.raw, None
                before = self.calls.token
                scope = delta.apply_calls(cursor, raw)
                self.calls.changes += 1
                self.working.calls_changed(
                    cursor, sorted(raw.uuids), raw.sessions, before, self.calls.token
                )
                delta.drop(cursor, "delta_new_calls", "delta_new_prompts")
                for stage in self.later:
                    stage.note(scope)

    def _ensure_priced(self, view: View) -> None:
        stage = self.priced
        key = (self.calls.generation, view, self.store.prices_version)
        cursor = self.store.cursor()
        if stage.key != key or (stage.adopted and stage.pending is not None):
            self._rebuilding(stage)
            delta.build_priced(cursor, self.store.prices, view)
            stage.built(key)
        elif stage.pending is not None:
            scope, stage.pending = stage.pending, None
            before = stage.token
            held = self.working.covers(scope.sessions, self.calls.token, before)
            calls = "delta_calls" if held else "calls"
            delta.apply_priced(cursor, self.store.prices, view, scope.cids, calls=calls)
            stage.changes += 1
            self.working.priced_changed(cursor, before, stage.token)
            delta.drop(cursor, "delta_new_priced")

    def _ensure_turns(self) -> None:
        stage = self.turns
        key = self.priced.generation
        cursor = self.store.cursor()
        if stage.key != key or (stage.adopted and stage.pending is not None):
            self._rebuilding(stage)
            cursor.execute(delta.turns_sql(scoped=False))
            stage.built(key)
        elif stage.pending is not None:
            scope, stage.pending = stage.pending, None
            self.scope(scope, delta.TURNS_INPUTS)
            if scope.appended:  # the new calls' rows only
                from tokentree.data.store import tail_delta

                tail_delta.apply_turns(cursor)
            else:
                cursor.execute(delta.turns_sql(scoped=True))
                delta.merge(cursor, ["call_turns"])
            stage.changes += 1

    def ensure_days(self) -> None:
        """``day_totals`` current for the last view (what the week and day levels read)."""
        with self.store.lock:
            self.build(self._view(), DEPTH_DAYS)
            stage = self.days
            key = self.priced.generation
            cursor = self.store.cursor()
            if stage.key != key or (stage.adopted and stage.pending is not None):
                self._rebuilding(stage)
                cursor.execute(sql("day_totals", package=__package__))
                stage.built(key)
            elif stage.pending is not None:
                scope, stage.pending = stage.pending, None
                sessions = {"sessions": sorted(scope.sessions)}
                for statement in statements("day_totals_delta", package=__package__):
                    cursor.execute(statement, sessions)
                stage.changes += 1

    # ------------------------------------------------------------------ activity

    def activity_key(self, rules: Mapping[str, str] | None) -> tuple[Any, ...]:
        """What the activity split depends on besides the calls: the prices and which calls are
        in the date range (the time zone only through the range) and the rules."""
        view = self.view
        ranged = view is not None and bool(
            view.since or view.until or view.hidden_sources or view.devices is not None
        )
        window = (
            (view.since, view.until, view.tz, view.hidden_sources, view.devices) if ranged else None
        )
        return (
            self.calls.generation,
            self.store.prices_version,
            window,
            tuple(sorted((rules or {}).items())),
        )

    def ensure_activity(self, rules: Mapping[str, str] | None = None) -> tuple[int, int]:
        """The attribution tables current for the last view; returns a token that changes
        whenever they do."""
        from tokentree.data.activity import build as activity_build
        from tokentree.data.store import tail_delta

        with self.store.lock:
            self.build(self._view(), DEPTH_DAYS)
            stage = self.activity
            key = self.activity_key(rules)
            rebuild = stage.key != key or (stage.adopted and stage.pending is not None)
            if not rebuild and stage.pending is not None:
                scope, stage.pending = stage.pending, None
                cursor = self.store.cursor()
                self.scope(scope, activity_build.INPUTS)
                if not activity_build.fits(cursor, self.activity_money):
                    rebuild = True
                elif scope.appended:  # the new calls' rows only
                    tail_delta.apply_activity(self, rules)
                    stage.changes += 1
                else:
                    activity_build.build_tables(self, rules, scoped=True)
                    stage.changes += 1
            if rebuild:
                self._rebuilding(stage)
                activity_build.build_tables(self, rules, scoped=False)
                stage.built(key)
            return stage.token

    def activity_current(self, rules: Mapping[str, str] | None = None) -> bool:
        """Whether ``call_activity`` is up to date without any work."""
        stage = self.activity
        return (
            self.calls.key is not None
            and self.raw is None
            and stage.key == self.activity_key(rules)
            and stage.pending is None
        )

    def discard_activity(self) -> None:
        """Forget the attribution tables (the next use rebuilds them)."""
        with self.store.lock:
            self.activity.invalidate()

    # ------------------------------------------------------------------ insights

    def ensure_insights(
        self, rules: Mapping[str, str] | None, prices: PriceTable | None
    ) -> tuple[Any, ...]:
        """The insight tables current (after the attribution tables); returns their token."""
        from tokentree.data.insights import prepare as insight_prepare

        with self.store.lock:
            self.build(self._view(), DEPTH_TURNS)
            activity = self.ensure_activity(rules)
            stage = self.insights
            key = self.insights_key(prices)
            rebuild = stage.key != key or (stage.adopted and stage.pending is not None)
            if not rebuild and stage.pending is not None:
                scope, stage.pending = stage.pending, None
                rows = insight_prepare.whatif_rows(self.store, prices)
                if self.whatif is None:  # adopted: the rows the tables were built with
                    self.whatif = insight_prepare.loaded_whatif(self.store)
                if rows == self.whatif:
                    self.scope(scope, insight_prepare.INPUTS)
                    insight_prepare.build_tables(self, scoped=True)
                    stage.changes += 1
                else:
                    rebuild = True  # the what-if's alternative model changed: all turns
            if rebuild:
                self._rebuilding(stage)
                self.whatif = insight_prepare.whatif_rows(self.store, prices)
                insight_prepare.load_whatif(self.store, self.whatif)
                insight_prepare.build_tables(self, scoped=False)
                stage.built(key)
            token = (*activity, *stage.token, id(prices))
            if token != self.memo_token:
                self.memo, self.memo_token = {}, token
            return token

    def insights_key(self, prices: PriceTable | None) -> tuple[Any, ...]:
        return (self.activity.generation, self.priced.generation, self.turns.generation, id(prices))

    # ------------------------------------------------------------------ persisted stages

    def stage_keys(self, rules: Mapping[str, str] | None, prices: PriceTable | None) -> dict:
        """Each persisted stage's key as it would be if built now for the last view."""
        view = self._view()
        return {
            "priced": (self.calls.generation, view, self.store.prices_version),
            "days": self.priced.generation,
            "turns": self.priced.generation,
            "activity": self.activity_key(rules),
            "insights": self.insights_key(prices),
        }

    def current(self, rules: Mapping[str, str] | None, prices: PriceTable | None) -> list[str]:
        """The persisted stages whose tables are up to date for the last view (with those
        they read), in build order: what the cache may keep."""
        if self.calls.key is None or self.raw is not None:
            return []
        keys = self.stage_keys(rules, prices)
        names: list[str] = []
        for stage in self.later:
            built = stage.key == keys[stage.name] and stage.pending is None
            if built and all(name in names for name in READS[stage.name]):
                names.append(stage.name)
        return names

    def adopt(
        self,
        name: str,
        rules: Mapping[str, str] | None,
        prices: PriceTable | None,
        money: str = "HUGEINT",
    ) -> None:
        """Declare stage ``name`` built, its tables served by the persisted cache (computed
        from the same calls for the same view, prices and rules); the stages it reads must
        be current. ``money``: the type its money was computed as."""
        with self.store.lock:
            stage: Stage = getattr(self, name)
            stage.built(self.stage_keys(rules, prices)[name])
            stage.adopted = True
            if name == "activity":
                from tokentree.data.activity import build as activity_build

                self.activity_money = money
                activity_build.prepare(self.store.cursor(), money)
            elif name == "insights":
                self.insight_money, self.whatif = money, None  # read back when a delta comes

    # ------------------------------------------------------------------ scopes

    def scope(self, scope: delta.Scope, inputs: tuple[str, ...]) -> None:
        """The ``delta_`` tables of ``scope`` for a stage reading ``inputs``: the working set
        (widened to hold the scope's sessions; the scope becomes all of it), then the other
        inputs' rows of its calls, made once per table version."""
        cursor = self.store.cursor()
        working = self.working
        if not working.covers(scope.sessions, self.calls.token, self.priced.token):
            working.take(cursor, scope.sessions, self.calls.token, self.priced.token)
            self.scoped = {}
        delta.scope_keys(cursor, scope.cids)
        for table in inputs:
            if table in MIRRORED:
                continue
            version = (working.sessions, working.calls_token, self._version_of(table))
            if self.scoped.get(table) != version:
                delta.scope_table(cursor, table)
                self.scoped[table] = version

    def _version_of(self, table: str) -> Any:
        if table in ("calls", "prompts", "raw_agents"):
            return self.calls.token
        if table == "priced":
            return self.priced.token
        if table == "call_turns":
            return self.turns.token
        return self.activity.token

    # ------------------------------------------------------------------ versions

    def _view(self) -> View:
        if self.view is None:
            from tokentree.data.store.store import View

            self.view = View()
        return self.view

    @property
    def version(self) -> tuple[Any, ...]:
        """Changes whenever ``calls``, ``priced`` or ``call_turns`` may have changed."""
        return (self.calls.token, self.priced.token, self.turns.token, self.calls.key)


def _drop_views(cursor: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Drop the views of a persisted stage (a no-op for tables: materialised copies)."""
    names = {row[0] for row in cursor.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for table in tables:
        if table in names:
            cursor.execute(f"DROP VIEW main.{table}")
