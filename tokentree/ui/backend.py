"""The explorer's only door to the data layer (no Textual here).

Every method may block (DuckDB, file reads), so the explorer calls them from thread workers
only. The workspace itself is created lazily by :meth:`Backend.open`, inside a worker, so
that importing DuckDB and the price table never delays the first frame.
"""

from __future__ import annotations

import io
import json
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentree.model.navigation import child_kind, query_filters
from tokentree.model.tree import LEVELS, Kind, Node, NodePath

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from tokentree.data.discovery import SourceRoot
    from tokentree.data.info import NodeInfo
    from tokentree.data.ingest import IngestReport, ProgressCallback
    from tokentree.data.pricing import PriceTable
    from tokentree.data.store import View
    from tokentree.data.workspace import Options, Workspace

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def export_filename(kind: Kind, node_id: str) -> str:
    """``tokentree-<kind>-<id>.json`` with the id made safe for any file system."""
    return f"tokentree-{kind.value}-{_UNSAFE.sub('_', node_id).strip('_') or 'node'}.json"


def _cut_out(week_document: dict[str, Any], path: NodePath) -> dict[str, Any]:
    """The export document of the node at ``path`` from its week's document."""
    node: dict[str, Any] = week_document
    for node_id in path:
        node = next(child for child in node["children"] if child["id"] == node_id)
    document = dict(week_document)
    document["path"] = list(path[:-1])
    document["totals"] = node["totals"]
    document["unpriced_calls"] = node["unpriced_calls"]
    if "activity" in document:
        document["activity"] = node.get("activity", {})
        document["insights"] = []  # as write_export leaves a scoped root
    document["children"] = [node]
    return document


class Backend:
    """A workspace plus what the explorer asks of it."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._workspace: Workspace | None = None
        self._prices: PriceTable | None = None
        self._refresh_lock = threading.Lock()
        self.version = 0
        """Bumped whenever a refresh changed the data (cached levels become stale)."""

    def open(self) -> Workspace:
        """Create the workspace (imports DuckDB; raises ValueError for bad options)."""
        if self._workspace is None:
            from tokentree.data.workspace import Workspace

            self._workspace = Workspace(self.options)
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

    def watch_dirs(self) -> list[Path]:
        return self.workspace.watch_dirs()

    def watches(self, path: str) -> bool:
        return self.workspace.watches(path)

    @property
    def zone(self) -> ZoneInfo:
        return self.workspace.zone

    @property
    def view(self) -> View:
        return self.workspace.view

    def refresh(self, progress: ProgressCallback | None = None) -> IngestReport:
        """Read what changed on disk and rebuild the derived tables (one refresh at a time)."""
        with self._refresh_lock:
            workspace = self.open()
            first = workspace.last_report is None
            report = workspace.refresh(progress)
            workspace.store.build(workspace.view)
            if first or report.changed:
                self.version += 1
            return report

    def children(self, path: NodePath) -> list[Node]:
        """The rows listed at ``path``, in chronological order."""
        from tokentree.data.nodes import node_from_row

        kind = child_kind(path)
        workspace = self.workspace
        with workspace.store.lock:
            rows = workspace.store.level_rows(kind.value, **query_filters(path))
        zone = workspace.zone
        return [node_from_row(kind, row, zone) for row in rows]

    def path_nodes(self, path: NodePath) -> list[Node]:
        """The nodes on ``path`` (fresh totals), stopping where the path no longer exists."""
        from tokentree.data.nodes import node_from_row

        workspace = self.workspace
        found: list[Node] = []
        for depth in range(1, len(path) + 1):
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

    def prices(self) -> PriceTable:
        """The price table the store uses (bundled prices plus the user's overrides)."""
        return self.workspace.store.prices

    def activity(self, path: NodePath) -> dict[str, dict[str, dict[str, float]]]:
        """The estimated activity split of every row listed at ``path``, by row id."""
        from tokentree.data.activity import activity_for_children

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

    def save_cache(self) -> None:
        """Persist what was read, so the next start is warm (a no-op when nothing changed)."""
        if self._workspace is not None:
            with self._workspace.store.lock:
                self._workspace.save_cache()

    def info(self, path: NodePath) -> NodeInfo:
        """The info panel's data for the node at ``path``."""
        from tokentree.data.info import node_info

        workspace = self.workspace
        with workspace.store.lock:
            return node_info(workspace.store, self.prices(), path)

    def export(self, node: Node, path: NodePath, directory: Path, now: datetime) -> Path:
        """Write the node at ``path`` with its subtree, as ``tokentree export --json`` would
        (same schema and header; ``path`` holds the ancestors' ids)."""
        from tokentree.data.export import write_export

        workspace = self.workspace
        report = workspace.last_report
        extra = {
            "sources": workspace.source_names,
            "roots": [str(root) for root in workspace.root_paths],
            "files": report.files if report else 0,
            "skipped_lines": report.skipped_lines if report else 0,
            "unreadable_files": len(report.errors) if report else 0,
        }
        target = directory / export_filename(node.kind, node.id)
        partial = target.with_name(target.name + ".part")
        # write_export's scope works for a week; for deeper nodes it writes no children (its
        # top level is looked up under the root's key), so the node is cut out of its week's
        # document instead. See the report of the explorer work; drop this once fixed.
        scope = path[:1]
        with workspace.store.lock:
            buffer = io.StringIO()
            write_export(
                workspace.store,
                workspace.view,
                buffer,
                level=Kind.CALL,
                scope=scope,
                generated_at=now.astimezone(workspace.zone),
                extra_root=extra,
                settings=self.options.settings,
            )
        document = json.loads(buffer.getvalue())
        if len(path) > 1:
            document = _cut_out(document, path)
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False)
            handle.write("\n")
        partial.replace(target)
        return target

    def close(self) -> None:
        """Save the cache and close the store (waits for a query in flight)."""
        if self._workspace is not None:
            with self._workspace.store.lock:
                self._workspace.close()
            self._workspace = None
