"""The tree's levels as rows: one query per level (``level_<kind>.sql``), optionally under one
parent, shared by the export and the explorer. All order their rows by the same keys, which
lets the export stream the deepest level without holding it in memory.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tokentree.data.sqlfiles import sql
from tokentree.model.node_path import PATH_NAMES

_ACTIVITY_COLUMN = ", a.activity"


def level_sql(
    kind: str, with_activity: bool, archived: bool = False, last: int | None = None
) -> str:
    """The query of one level (calls with their activity split when asked; sessions knowing
    whether any of their files is archived). ``last``: the level's last ``last`` calls only,
    latest first."""
    if kind == "session":
        return sql("level_session", package=__package__, archived="true" if archived else "false")
    if kind != "call":
        return sql(f"level_{kind}", package=__package__)
    order = {"desc": "", "last": ""}
    if last is not None:
        order = {"desc": " DESC", "last": f" LIMIT {last:d}"}
    if with_activity:
        return sql(
            "level_call",
            package=__package__,
            activity_column=_ACTIVITY_COLUMN,
            activity_join="\n" + sql("level_call_activity", package=__package__),
            **order,
        )
    return sql("level_call", package=__package__, activity_column="", activity_join="", **order)


def level_params(
    kind: str,
    week: str | None,
    day: date | None,
    session: str | None,
    turn: str | None,
    call: str | None = None,
) -> dict[str, Any]:
    """The parameters a level's query takes: the path names down to its own level (the
    parent's ids; a name not given is None: every node there)."""
    names = PATH_NAMES[: PATH_NAMES.index(kind) + 1]
    return dict(zip(names, (week, day, session, turn, call), strict=False))
