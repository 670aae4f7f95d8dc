"""What the explorer's info panel (``i``) shows about one node, from the store.

A node is given by its id path (``("2026-W47", "2026-11-20", session, turn, call)``, any
prefix); the queries (``sql/info_*.sql``) filter the calls the same way the level queries do.
The store must be built down to turns (``store.build(view)``) before calling :func:`node_info`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import sql
from tokentree.model.node_path import PATH_NAMES, path_filters
from tokentree.model.usage import Totals

if TYPE_CHECKING:
    from tokentree.data.pricing.prices import ModelPrice, PriceTable
    from tokentree.data.store.store import UsageStore


@dataclass(frozen=True, slots=True)
class ModelUsage:
    """One model's share of a node."""

    model: str | None
    calls: int
    unpriced_calls: int
    input: int
    output: int
    cache_read: int
    cache_write_5m: int
    cache_write_1h: int
    cost_pusd: int
    cache_savings_pusd: int
    """What the cache reads would have cost as uncached input, minus what they cost."""
    fast_calls: int

    @property
    def totals(self) -> Totals:
        return Totals(
            input=self.input,
            output=self.output,
            cache_read=self.cache_read,
            cache_write=self.cache_write_5m + self.cache_write_1h,
            cost_pusd=self.cost_pusd,
            calls=self.calls,
            unpriced_calls=self.unpriced_calls,
        )


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    calls: int
    """Calls of the node seen in this file."""
    lines: int
    """Transcript lines of this file that make up those calls."""
    last_seen: datetime | None = None
    """When the file was last seen on disk, if it is gone (its calls kept in the archive)."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """How the node's calls were assembled from transcript lines (deduplication)."""

    calls: int = 0
    lines: int = 0
    merged_calls: int = 0
    """Calls built from more than one line (streaming snapshots, repeated entries)."""
    multi_file_calls: int = 0
    """Calls found in more than one file (resumed or forked sessions)."""
    sidechain_calls: int = 0
    files: int = 0


@dataclass(frozen=True, slots=True)
class NodeInfo:
    path: tuple[str, ...]
    models: list[ModelUsage] = field(default_factory=list)
    prices: dict[str | None, ModelPrice | None] = field(default_factory=dict)
    """The price each model was charged at (None: unpriced)."""
    rule: str = "request"
    """The long-context rule in force (see ``pricing.LongContextRule``)."""
    files: list[SourceFile] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def totals(self) -> Totals:
        result = Totals()
        for usage in self.models:
            result = result + usage.totals
        return result

    @property
    def cache_savings_pusd(self) -> int:
        return sum(usage.cache_savings_pusd for usage in self.models)


def path_params(path: tuple[str, ...]) -> dict[str, Any]:
    """Named parameters for ``info_*.sql``: the path's ids, NULL below it."""
    return path_filters(path, every=True)


def _query(store: UsageStore, name: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    text = sql("info_node_calls", package=__package__) + sql(name, package=__package__)
    return store.cursor().execute(text, params).fetchall()


def node_info(store: UsageStore, prices: PriceTable, path: tuple[str, ...]) -> NodeInfo:
    """Per-model breakdown, prices, source files and dedup provenance of the node at ``path``."""
    if len(path) > len(PATH_NAMES):
        raise ValueError(f"path too deep: {path!r}")
    params = path_params(path)
    models = [
        ModelUsage(row[0], *(int(value) for value in row[1:]))
        for row in _query(store, "info_models", params)
    ]
    files = [
        SourceFile(p, int(calls), int(lines), seen)
        for p, calls, lines, seen in _query(store, "info_files", params)
    ]
    dedup = _query(store, "info_dedup", params)[0]
    provenance = Provenance(*(int(value) for value in dedup), files=len(files))
    return NodeInfo(
        path=path,
        models=models,
        prices={usage.model: prices.lookup(usage.model) for usage in models},
        rule=prices.rule.value,
        files=files,
        provenance=provenance,
    )
