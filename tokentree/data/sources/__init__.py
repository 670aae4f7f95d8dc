"""The registry of sources: every package under ``tokentree/data/sources/`` that defines a
``SOURCE`` (a :class:`~tokentree.data.source.Source`).

Packages are found and imported by name at run time, so the engine never imports a concrete
source and adding one means adding its package (docs/architecture.md, "Adding a source").
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from tokentree.data.source import Format, Source


@cache
def registry() -> dict[str, Source]:
    """Every source, by name, in display order (``rank``, then name)."""
    found: list[Source] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            found.append(source)
    found.sort(key=lambda s: (s.rank, s.name))
    return {source.name: source for source in found}


def names() -> list[str]:
    return list(registry())


def get(name: str) -> Source:
    """The source called ``name``; ``ValueError`` naming the valid ones otherwise."""
    try:
        return registry()[name]
    except KeyError:
        raise ValueError(
            f"unknown source {name!r}; this version reads: {', '.join(names())}"
        ) from None


def select(wanted: list[str] | tuple[str, ...] | None) -> list[Source]:
    """The sources to read: ``wanted`` (validated, registry order) or all of them."""
    if not wanted:
        return list(registry().values())
    chosen = {get(name).name for name in wanted}
    return [source for name, source in registry().items() if name in chosen]


def format_of(source: str, name: str) -> Format:
    """A source's format by name (what a scan target names)."""
    return get(source).format(name)
