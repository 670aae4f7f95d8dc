"""One data set as a front end sees it: levels of the tree, node details, export, refresh.

Every method may block (DuckDB, file reads), so front ends call them from worker threads. The
workspace itself is created lazily by :meth:`Backend.open`, so importing DuckDB and the price
table never delays a first frame. Errors leave :meth:`Backend.open` and :meth:`Backend.refresh`
as :class:`~tokentree.service.errors.ServiceError` subclasses.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentree.model.navigation import child_kind, query_filters
from tokentree.model.tree import LEVELS, Kind, Node, NodePath
from tokentree.service.errors import OptionsError, service_error

FOLLOW_RECENT_HOURS = 48
"""Live mode follows the session with the latest call: looked for among recent calls first."""
COMPACT_EVERY = 30.0
"""Seconds between compactions of the store while live changes arrive (each costs tens of
milliseconds; between them the rows deltas deleted keep their memory)."""
LIVE_GAP = 0.25
"""Seconds from the end of one refresh of watched changes to the start of the next at the
earliest. While a log streams, each refresh reads everything appended since the last one, so
the pane costs a fraction of a core (at most a refresh's share of refresh + gap) instead of
refreshing back to back (≈ 0.9 of a core at 10 appends a second on a 1 GB history); a change
after a quiet spell is read at once."""
SESSION_ROWS_EVERY = 30.0
"""Seconds the followed session's own rows (its project, first prompt) are reused while calls
are only appended to its turns: its totals, time span and models come from its turns, whose
rows a live refresh reads anyway (the session's query costs as much as the other two)."""

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.read.discovery import SourceRoot
    from tokentree.data.read.ingest import IngestReport, ProgressCallback
    from tokentree.data.source import SourceUsage
    from tokentree.data.store.store import View
    from tokentree.data.tree.info import NodeInfo
    from tokentree.data.workspace import Options, Workspace
    from tokentree.service.follow import FollowSpec, SessionView
    from tokentree.service.summary import Summary


def check_time_zone(options: Options) -> None:
    """Refuse an unknown ``--tz`` / config ``timezone`` before any window opens (cheap: no
    DuckDB); the workspace checks everything else when it is opened."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    tz = options.tz or options.settings.timezone
    if tz:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise OptionsError(f"unknown time zone {tz!r}") from None


class Backend:
    """A workspace plus what front ends ask of it."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._workspace: Workspace | None = None
        self._refresh_lock = threading.Lock()
        self._compacted_at = 0.0
        self._changed_since_compact = False
        self._complete = threading.Event()
        """Clear while a split cold start reads its older files (an export waits)."""
        self._complete.set()
        self._closing = threading.Event()
        """Set by :meth:`close`: a read of older files in flight gives up."""
        self.version = 0
        """Bumped whenever a refresh changed the data (cached levels become stale)."""
        self._followed_rows: tuple[Any, list[tuple[Any, ...]], float] | None = None
        """The followed session's rows, what they were read for and when (monotonic)."""
        self.live_gap = LIVE_GAP
        self._live_ended = -LIVE_GAP
        """When the last refresh of watched changes ended (monotonic)."""

    def open(self) -> Workspace:
        """Create the workspace (imports DuckDB); bad options raise :class:`OptionsError`."""
        if self._workspace is None:
            try:
                from tokentree.data.workspace import Workspace

                self._workspace = Workspace(self.options)
            except Exception as error:
                raise service_error(error, opening=True) from error
        return self._workspace

    @property
    def workspace(self) -> Workspace:
        return self.open()

    @property
    def roots(self) -> list[Path]:
        return self.workspace.root_paths

    @property
    def source_roots(self) -> list[SourceRoot]:
        return self.workspace.roots

    def watch_targets(self) -> list[tuple[Path, bool]]:
        """What live mode watches: ``(directory, with its whole tree)`` pairs."""
        return self.workspace.watch_targets()

    def watches(self, path: str) -> bool:
        return self.workspace.watches(path)

    @property
    def zone(self) -> ZoneInfo:
        return self.workspace.zone

    @property
    def view(self) -> View:
        return self.workspace.view

    def refresh(
        self,
        progress: ProgressCallback | None = None,
        paths: Iterable[Path] | None = None,
        *,
        first_frame: Callable[[IngestReport, date], None] | None = None,
    ) -> IngestReport:
        """Read what changed on disk and bring the derived tables up to date (one refresh at a
        time). ``paths``: what a watcher saw change (a :class:`Ticket`'s ``paths``): only those
        files are looked at, instead of walking every root; None: walk (the first read, ``r``).
        Either way only what changed is read and only the sessions it touched are recomputed.

        ``first_frame``: a cold start with much to read reads the newest weeks first, builds
        them and calls ``first_frame(report, since)`` (the data version bumped: the screens
        may read them, weeks from ``since`` on, while this call reads the older files); then
        everything is built again from all the rows.

        A refresh of watched changes (``paths``) starts :data:`LIVE_GAP` after the previous
        one ended at the earliest: it waits on the caller's worker thread."""
        if paths is not None:
            wait = self._live_ended + self.live_gap - time.monotonic()
            if wait > 0 and self._closing.wait(wait):
                paths = ()  # closing: nothing more to read
        try:
            return self._refresh(progress, paths, first_frame)
        finally:
            if paths is not None:
                self._live_ended = time.monotonic()

    def _refresh(
        self,
        progress: ProgressCallback | None,
        paths: Iterable[Path] | None,
        first_frame: Callable[[IngestReport, date], None] | None,
    ) -> IngestReport:
        with self._refresh_lock:
            workspace = self.open()
            first = workspace.last_report is None
            if self._changed_since_compact and time.monotonic() - self._compacted_at >= (
                COMPACT_EVERY
            ):
                self._compact(workspace)
            try:
                split = None
                if first_frame is not None:
                    from tokentree.data.read.first_frame import FirstFrame

                    split = FirstFrame.from_env(os.environ)
                report = workspace.refresh(progress, paths, first_frame=split)
                workspace.store.build(workspace.view)
                if workspace.older_pending:  # (or still, after a failed read of them)
                    self.version += 1
                    if first_frame is not None and workspace.view.since is not None:
                        first_frame(report, workspace.view.since)
                    self._complete.clear()
                    try:
                        report = workspace.read_older(progress, self._closing)
                    finally:
                        self._complete.set()
                    workspace.store.build(workspace.view)
            except Exception as error:
                raise service_error(error) from error
            if first or report.changed:
                self.version += 1
                self._changed_since_compact = True
            return report

    def prepare_for_changes(self) -> None:
        """Get ready for live changes in the background after the first read (a large cached
        history is copied into memory without holding up the screens), and compact the store
        (its tables compressed: a fraction of the memory, and flat while deltas churn)."""
        workspace = self.workspace
        workspace.prepare_for_changes()
        with self._refresh_lock:
            self._compact(workspace)

    def _compact(self, workspace: Workspace) -> None:
        """Compact the store (:meth:`UsageStore.compact`); the caller holds the refresh lock,
        so no refresh writes meanwhile, while the screens may go on reading."""
        workspace.store.compact()
        self._compacted_at = time.monotonic()
        self._changed_since_compact = False

    def children(self, path: NodePath) -> list[Node]:
        """The rows listed at ``path``, in chronological order."""
        from tokentree.data.tree.nodes import node_from_row

        kind = child_kind(path)
        workspace = self.workspace
        with workspace.store.lock:
            rows = workspace.store.level_rows(kind.value, **query_filters(path))
        zone = workspace.zone
        return [node_from_row(kind, row, zone) for row in rows]

    def level(
        self, path: NodePath, with_path: bool, *, deepest_only: bool = False
    ) -> tuple[NodePath, list[Node], list[Node] | None]:
        """The rows listed at ``path`` and (``with_path``) the nodes on it, read together: the
        deepest part of ``path`` that still exists, its children, and its nodes (None when not
        asked for). ``deepest_only``: of the nodes only the last, when it still exists (a live
        refresh: the ancestors' totals are only shown once the user goes up). One hold of the
        store, so a refresh's other readers (the usage summary) come after the screen's."""
        with self.workspace.store.lock:
            nodes = None
            if with_path and path:
                if deepest_only:
                    nodes = self.path_nodes(path, start=len(path)) or None
                if nodes is None:
                    nodes = self.path_nodes(path)
                    if len(nodes) < len(path):
                        path = path[: len(nodes)]  # the level vanished: the deepest that exists
            return path, self.children(path), nodes

    def path_nodes(self, path: NodePath, *, start: int = 1) -> list[Node]:
        """The nodes on ``path`` (fresh totals), stopping where the path no longer exists;
        ``start``: from that depth on (1: from the week)."""
        from tokentree.data.tree.nodes import node_from_row

        workspace = self.workspace
        found: list[Node] = []
        for depth in range(start, len(path) + 1):
            kind = LEVELS[depth]
            with workspace.store.lock:
                rows = workspace.store.level_rows(kind.value, **query_filters(path[:depth]))
            node = next(
                (
                    n
                    for n in (node_from_row(kind, r, workspace.zone) for r in rows)
                    if n.id == path[depth - 1]
                ),
                None,
            )
            if node is None:
                break
            found.append(node)
        return found

    def sources(self) -> list[SourceUsage]:
        """The sources read, with their calls and tokens and whether they are hidden."""
        workspace = self.workspace
        with workspace.store.lock:
            return workspace.source_usage()

    def set_hidden_sources(self, names: frozenset[str]) -> int:
        """Hide these sources' calls everywhere; returns the new data version."""
        workspace = self.workspace
        with workspace.store.lock:
            workspace.set_hidden_sources(names)
            workspace.store.build(workspace.view)
            self.version += 1
            return self.version

    def prices(self) -> PriceTable:
        """The price table the store uses (bundled prices plus the user's overrides)."""
        return self.workspace.store.prices

    def activity(self, path: NodePath) -> dict[str, dict[str, dict[str, float]]]:
        """The estimated activity split of every row listed at ``path``, by row id."""
        from tokentree.data.activity.query import activity_for_children

        workspace = self.workspace
        rules = self.options.settings.activity_rules
        with workspace.store.lock:
            return activity_for_children(workspace.store, path, rules=rules)

    def insights(self, path: NodePath) -> list[dict[str, Any]]:
        """The insights of the node at ``path`` (calls have none)."""
        from tokentree.data.insights import insights_for_node

        workspace = self.workspace
        with workspace.store.lock:
            found = insights_for_node(
                workspace.store,
                path,
                settings=self.options.settings,
                view=workspace.view,
                prices=workspace.store.prices,
            )
        return [{k: v for k, v in item.items() if not k.startswith("_")} for item in found]

    def info(self, path: NodePath) -> NodeInfo:
        """The info panel's data for the node at ``path``."""
        from tokentree.data.tree.info import node_info

        workspace = self.workspace
        with workspace.store.lock:
            return node_info(workspace.store, self.prices(), path)

    def export(self, node: Node, path: NodePath, directory: Path, now: datetime) -> Path:
        """Write ``node`` (at ``path``, the ids from the week down) with its subtree to
        ``directory``, as ``tokentree export --json --scope`` would; returns the file."""
        return self.export_path(node.kind, path, directory, now)

    # ------------------------------------------------------------------ live mode

    def summary(self, now: datetime, *, publish_to: Path | None = None) -> Summary:
        """The usage summary at ``now`` (live mode, budgets); with ``publish_to`` (a cache
        directory) also written there for the statusline when it describes the whole data
        set."""
        from tokentree.data.store.store import DEPTH_DAYS
        from tokentree.service.collect import collect, publish_summary

        workspace = self.workspace
        with workspace.store.lock:
            workspace.store.build(workspace.view, depth=DEPTH_DAYS)
            found = collect(workspace, now)
        if publish_to is not None:
            publish_summary(workspace, found, publish_to)
        return found

    def follow(self, spec: FollowSpec) -> str | None:
        """The id of the session ``spec`` follows now (None: there is none)."""
        from tokentree.data.live import queries as live
        from tokentree.service.follow import PROJECT_CANDIDATES, pick_project

        store = self.workspace.store
        with store.lock:
            if spec.session:
                found = live.sessions_with_prefix(store, spec.session)
                return found[0] if len(found) == 1 else None
            if spec.project:
                row = pick_project(
                    live.latest_sessions(store, None, PROJECT_CANDIDATES), spec.project
                )
                return row.id if row else None
            # the latest of the last two days (few calls to group), else of all time
            recent = datetime.now(UTC) - timedelta(hours=FOLLOW_RECENT_HOURS)
            rows = live.latest_sessions(store, recent, 1) or live.latest_sessions(store, None, 1)
        return rows[0].id if rows else None

    def followed(self, spec: FollowSpec) -> SessionView | None:
        """The session ``spec`` follows now, as :meth:`session_view` shows it; one hold of the
        store, so a refresh's other readers (the usage summary) come after the pane's."""
        with self.workspace.store.lock:
            session = self.follow(spec)
            return self.session_view(session) if session else None

    def session_view(self, session_id: str) -> SessionView | None:
        """The session as live mode shows it: totals over all its days, its latest turn and
        that turn's latest calls (None when it has no calls in the view)."""
        from tokentree.data.tree.nodes import node_from_row
        from tokentree.service.follow import LIVE_CALLS, session_view

        workspace = self.workspace
        store, zone = workspace.store, workspace.zone
        with store.lock:
            turn_rows = store.level_rows("turn", session=session_id)
            # the session's own rows again only when a turn or a day came (or went), or a while
            # passed: appended calls change its totals, which its turns give
            shape = (session_id, frozenset((r[1], str(r[3])) for r in turn_rows))
            memo, now = self._followed_rows, time.monotonic()
            if memo is not None and memo[0] == shape and now - memo[2] < SESSION_ROWS_EVERY:
                rows, fresh = memo[1], False
            else:
                rows, fresh = store.level_rows("session", session=session_id), True
                self._followed_rows = (shape, rows, now)
            if not rows or not turn_rows:
                return None
            turns = [node_from_row(Kind.TURN, r, zone) for r in turn_rows]
            latest = max(
                turns, key=lambda n: (n.start.timestamp() if n.start else 0.0, n.id), default=None
            )
            calls: list[tuple[Any, ...]] = []
            count = 0
            if latest:
                calls = store.last_calls(LIVE_CALLS, session=session_id, turn=latest.id)
                count = sum(n.totals.calls for n in turns if n.id == latest.id)
        sessions = [node_from_row(Kind.SESSION, r, zone) for r in rows]
        path = (str(rows[-1][0]), str(rows[-1][1]), session_id)
        call_nodes = [node_from_row(Kind.CALL, r, zone) for r in calls]
        view = session_view(sessions, path, turns, call_nodes, count - len(calls))
        return view if fresh else _totals_from_turns(view, turn_rows, turns)

    def session_activity(self, session_id: str) -> dict[str, dict[str, float]]:
        """The estimated activity split of a whole session (all its days)."""
        from tokentree.data.activity.query import activity_for_session

        workspace = self.workspace
        rules = self.options.settings.activity_rules
        with workspace.store.lock:
            return activity_for_session(workspace.store, session_id, rules=rules)

    def export_path(self, kind: Kind, path: NodePath, directory: Path, now: datetime) -> Path:
        """Write the node of ``kind`` at ``path`` with its subtree to ``directory`` (as
        :meth:`export`); returns the file."""
        from tokentree.service.export import export_node

        self._complete.wait()  # never a file of the newest weeks alone
        workspace = self.workspace
        with workspace.store.lock:
            return export_node(workspace, kind, path, directory, now)

    def save_cache(self) -> None:
        """Persist what was read, so the next start is warm (a no-op when nothing changed)."""
        if self._workspace is not None:
            with self._workspace.store.lock:
                self._workspace.save_cache()

    def stop_reading(self) -> None:
        """Give up a split cold start's read of older files in flight (the front end is
        closing: the worker ends soon, and nothing of the partial read is saved)."""
        self._closing.set()

    def close(self) -> None:
        """Save the cache and close the store (waits for a query or compaction in flight; a
        read of older files gives up)."""
        self._closing.set()
        if self._workspace is not None:
            with self._refresh_lock, self._workspace.store.lock:
                self._workspace.close()
            self._workspace = None


def _totals_from_turns(
    view: SessionView, turn_rows: list[tuple[Any, ...]], turns: list[Node]
) -> SessionView:
    """``view`` with what appended calls change taken from the session's turns (their rows hold
    the same calls, per turn): totals, time span, models and the latest day's path."""
    from dataclasses import replace

    from tokentree.model.usage import sum_totals

    latest = max(turn_rows, key=lambda row: row[1])
    week, day = latest[0], latest[1]
    starts = [node.start for node in turns if node.start]
    ends = [node.end for node in turns if node.end]
    return replace(
        view,
        start=min(starts, default=None),
        end=max(ends, default=None),
        totals=sum_totals([node.totals for node in turns]),
        path=(str(week), str(day), view.id),
        models=tuple(sorted({m for node in turns for m in node.extra.get("models") or []})),
    )
