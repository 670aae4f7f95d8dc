"""A node's id path (week, day, session, turn, call) as the store's queries take it.

Paths travel as strings (the explorer's node ids, an export's scope, ``--scope``); the store
compares the day as a ``date``. Every query that narrows to a node turns its path into filters
here, so a listing, an export, the info panel, the activity split and the insights agree on
what a path names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

PATH_NAMES: Final = ("week", "day", "session", "turn", "call")
"""The filter each position of a path sets, in path order."""


def path_ids(path: Sequence[Any]) -> tuple[Any, ...]:
    """The path's ids as the store compares them (the day as a ``date``); ValueError for a
    path deeper than a call or a day that is not an ISO date."""
    if len(path) > len(PATH_NAMES):
        raise ValueError(f"path too deep: {tuple(path)!r}")
    return tuple(
        date.fromisoformat(value) if index == 1 and isinstance(value, str) else value
        for index, value in enumerate(path)
    )


def path_filters(path: Sequence[Any], *, every: bool = False) -> dict[str, Any]:
    """``{"week": …, "day": date, …}`` for the path's depth; ``every``: the names below it
    too, as None (for SQL that binds all five: ``$turn IS NULL OR …``)."""
    filters: dict[str, Any] = dict.fromkeys(PATH_NAMES) if every else {}
    filters.update(zip(PATH_NAMES, path_ids(path), strict=False))
    return filters
