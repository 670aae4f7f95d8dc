"""SQL statements shipped as ``tokentree/data/sql/*.sql`` files, loaded once.

Values are always bound as parameters; ``${name}`` placeholders are only for identifiers and
constants chosen by the code (indexes, limits), substituted with :class:`string.Template`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@cache
def _text(name: str) -> str:
    return resources.files("tokentree.data.sql").joinpath(f"{name}.sql").read_text("utf-8")


def sql(name: str, **substitutions: object) -> str:
    """The statement(s) of ``sql/<name>.sql`` with ``${…}`` placeholders filled in."""
    text = _text(name)
    return Template(text).safe_substitute({k: str(v) for k, v in substitutions.items()})


def statements(name: str, **substitutions: object) -> list[str]:
    """The file split into single statements (DuckDB's Python API runs one per ``execute``)."""
    return [part.strip() for part in sql(name, **substitutions).split(";\n") if part.strip()]


def insert_columns(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    names: tuple[str, ...],
    columns: list[list[object]],
) -> None:
    """Insert many rows in one statement, column-wise (``executemany`` is row-at-a-time)."""
    select = ", ".join(f"unnest(${i + 1}) AS {name}" for i, name in enumerate(names))
    cursor.execute(f"INSERT INTO {table} SELECT {select}", columns)
