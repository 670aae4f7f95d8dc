"""The JSON export (contract: docs/export.md, schema ``tokentree.export/1``).

Levels above the deepest exported one are small and read into memory; the deepest level (up to
every call) is streamed. Token counts are exact integers summed in SQL; ``cost_usd`` values are
sums of per-call costs in units of 2^-30 USD (see ``model/usage.py``), so every parent equals the
sum of its children exactly, whatever order or precision a reader adds them up in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tokentree.data.store.store import DEPTH_DAYS, DEPTH_TURNS, UsageStore, View
from tokentree.data.tree.annotate import Annotator
from tokentree.data.tree.nodes import PARENT_COLUMNS, node_from_row, parent_key
from tokentree.model.anonymize import anonymize_session
from tokentree.model.node_path import path_filters
from tokentree.model.tree import LEVELS, Kind, Node
from tokentree.model.usage import Totals

if TYPE_CHECKING:
    from tokentree.config import Settings

SCHEMA = "tokentree.export/1"
INTERNAL_FIELDS = frozenset({"file_ids", "cid", "marker"})
"""Node fields for the explorer that the export leaves out."""
EXPORT_LEVELS = LEVELS[1:]


def totals_json(totals: Totals) -> dict[str, Any]:
    return {
        "input": totals.input,
        "output": totals.output,
        "cache_read": totals.cache_read,
        "cache_write": totals.cache_write,
        "total": totals.total,
        "cost_usd": totals.cost_usd,
        "calls": totals.calls,
        "cache_hit": round(totals.cache_hit, 6),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value is not None else None


def node_json(node: Node) -> dict[str, Any]:
    """A node's JSON object without its children."""
    data: dict[str, Any] = {
        "kind": node.kind.value,
        "id": node.id,
        "label": node.label,
        "start": _iso(node.start),
        "end": _iso(node.end),
        "totals": totals_json(node.totals),
        "unpriced_calls": node.totals.unpriced_calls,
        "child_count": node.child_count,
    }
    for key, value in node.extra.items():
        if key not in INTERNAL_FIELDS:
            data[key] = value
    return data


@dataclass(slots=True)
class _Level:
    kind: Kind
    nodes: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], Node]]] = field(default_factory=dict)
    """parent key → [(own key, node)] in tree order."""


def _parent_key(scope: tuple[str, ...]) -> tuple[Any, ...]:
    """The key the scoped node's level rows are grouped under: its ancestors' ids."""
    return tuple(path_filters(scope[:-1]).values())


def write_export(
    store: UsageStore,
    view: View,
    out: IO[str],
    *,
    level: Kind = Kind.CALL,
    scope: tuple[str, ...] = (),
    generated_at: datetime,
    extra_root: dict[str, Any] | None = None,
    settings: Settings | None = None,
    annotate: bool = True,
    anonymize_projects: bool = False,
) -> Totals:
    """Write one export document for ``view`` to ``out``; returns the document's totals.

    ``scope`` restricts it to one node (its id path from the root); that node is then the
    document's only child and its ancestors' ids go to ``"path"``. ``annotate`` adds activity
    attribution and insights (``settings`` gives the rules and the plan).
    ``anonymize_projects`` replaces each session's project name (and drops its directory) with
    a stable hash (:func:`~tokentree.model.anonymize.project_alias`).
    """
    if level not in EXPORT_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    top = EXPORT_LEVELS[len(scope) - 1] if scope else Kind.WEEK
    if scope and top.depth > level.depth:
        level = top
    kinds = [k for k in EXPORT_LEVELS if top.depth <= k.depth <= level.depth]
    store.build(view, depth=DEPTH_TURNS if level.depth >= Kind.SESSION.depth else DEPTH_DAYS)
    zone = ZoneInfo(view.tz)
    filters = path_filters(scope)
    annotator = Annotator(store, view, settings, kinds, scope) if annotate else None

    levels: list[_Level] = []
    for kind in kinds[:-1]:
        current = _Level(kind)
        for row in store.level_rows(kind.value, **filters):
            node = node_from_row(kind, row, zone)
            if anonymize_projects and kind is Kind.SESSION:
                anonymize_session(node)
            key = parent_key(kind, row)
            own_key = (*key, row[PARENT_COLUMNS[kind]])
            if annotator is not None:
                annotator.apply(kind, own_key, node)
            current.nodes.setdefault(key, []).append((own_key, node))
        levels.append(current)
    leaf_kind = kinds[-1]

    def leaves() -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        with_activity = annotator is not None and leaf_kind is Kind.CALL
        for row in store.iter_level_rows(leaf_kind.value, with_activity=with_activity, **filters):
            yield parent_key(leaf_kind, row), row

    stream = _Peekable(leaves())
    top_items = _top_items(levels, stream, leaf_kind, zone)
    root_totals = Totals()
    for _, node in top_items:
        root_totals = root_totals + node.totals
    header: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "timezone": view.tz,
        "level": level.value,
        "since": view.since.isoformat() if view.since else None,
        "until": view.until.isoformat() if view.until else None,
    }
    if scope:
        header["path"] = list(scope[:-1])
    header["totals"] = totals_json(root_totals)
    header["unpriced_calls"] = root_totals.unpriced_calls
    if annotator is not None:
        header.update(annotator.root())
    header.update(extra_root or {})
    text = json.dumps(header, ensure_ascii=False)
    out.write(text[:-1] + ', "children": [')
    writer = _Writer(out, levels, stream, leaf_kind, zone, annotator)
    writer.anonymize_projects = anonymize_projects
    if levels:
        writer.write_children(0, _parent_key(scope))
    else:
        writer.write_leaves(None)
    out.write("]}\n")
    return root_totals


def _top_items(
    levels: list[_Level], stream: _Peekable, leaf_kind: Kind, zone: ZoneInfo
) -> list[tuple[tuple[Any, ...], Node]]:
    if levels:
        return [item for items in levels[0].nodes.values() for item in items]
    # Only one level exported: it is small (weeks or days, or one scoped node).
    rows = list(stream.drain())
    stream.push_back(rows)
    return [
        ((*key, row[PARENT_COLUMNS[leaf_kind]]), node_from_row(leaf_kind, row, zone))
        for key, row in rows
    ]


class _Peekable:
    def __init__(self, iterator: Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
        self._iterator = iterator
        self._buffer: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []

    def peek(self) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        if not self._buffer:
            try:
                self._buffer.append(next(self._iterator))
            except StopIteration:
                return None
        return self._buffer[0]

    def pop(self) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        item = self.peek()
        assert item is not None
        self._buffer.pop(0)
        return item

    def drain(self) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        while self.peek() is not None:
            yield self.pop()

    def push_back(self, items: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
        self._buffer = list(items) + self._buffer


class _Writer:
    def __init__(
        self,
        out: IO[str],
        levels: list[_Level],
        stream: _Peekable,
        leaf_kind: Kind,
        zone: ZoneInfo,
        annotator: Annotator | None,
    ) -> None:
        self.out, self.levels, self.annotator = out, levels, annotator
        self.stream, self.leaf_kind, self.zone = stream, leaf_kind, zone
        self.anonymize_projects = False

    def write_children(self, depth: int, parent: tuple[Any, ...]) -> None:
        items = self.levels[depth].nodes.get(parent, [])
        for index, (own_key, node) in enumerate(items):
            if index:
                self.out.write(", ")
            text = json.dumps(node_json(node), ensure_ascii=False)
            self.out.write(text[:-1] + ', "children": [')
            if depth + 1 < len(self.levels):
                self.write_children(depth + 1, own_key)
            else:
                self.write_leaves(own_key)
            self.out.write("]}")

    def write_leaves(self, parent: tuple[Any, ...] | None) -> None:
        first = True
        while (item := self.stream.peek()) is not None and (parent is None or item[0] == parent):
            key, row = self.stream.pop()
            node = node_from_row(self.leaf_kind, row, self.zone)
            if self.anonymize_projects and self.leaf_kind is Kind.SESSION:
                anonymize_session(node)
            if self.annotator is not None:
                own_key = (*key, row[PARENT_COLUMNS[self.leaf_kind]])
                self.annotator.apply(self.leaf_kind, own_key, node)
            data = node_json(node)
            data["children"] = []
            if not first:
                self.out.write(", ")
            self.out.write(json.dumps(data, ensure_ascii=False))
            first = False
