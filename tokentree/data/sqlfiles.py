"""SQL statements shipped as ``.sql`` files beside the code that runs them, loaded once.

Every package keeps its own (``data/store/calls.sql``, ``data/sources/claude/scan.sql``) and
loads them with ``sql(name, package=__package__)``: a file's name is relative to its package.

Values are always bound as parameters; ``${name}`` placeholders are only for identifiers and
constants chosen by the code (indexes, limits), substituted with :class:`string.Template`.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@cache
def _text(package: str, name: str) -> str:
    module = sys.modules.get(package)
    origin = getattr(module, "__file__", None)
    if origin is not None:  # a package on disk (every install): read the file beside it
        return (Path(origin).parent / f"{name}.sql").read_text("utf-8")
    from importlib import resources  # elsewhere (a zip): through the import system

    return resources.files(package).joinpath(f"{name}.sql").read_text("utf-8")


def sql(name: str, *, package: str, **substitutions: object) -> str:
    """The statement(s) of ``<package>/<name>.sql`` with ``${…}`` placeholders filled in."""
    text = _text(package, name)
    return Template(text).safe_substitute({k: str(v) for k, v in substitutions.items()})


def split(text: str) -> list[str]:
    """Single statements of a script (DuckDB's Python API runs one per ``execute``)."""
    return [part.strip() for part in text.split(";\n") if part.strip()]


def statements(name: str, *, package: str, **substitutions: object) -> list[str]:
    """The file split into single statements."""
    return split(sql(name, package=package, **substitutions))


def insert_columns(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    names: tuple[str, ...],
    columns: list[list[object]],
) -> None:
    """Insert many rows in one statement, column-wise (``executemany`` is row-at-a-time)."""
    select = ", ".join(f"unnest(${i + 1}) AS {name}" for i, name in enumerate(names))
    cursor.execute(f"INSERT INTO {table} SELECT {select}", columns)
