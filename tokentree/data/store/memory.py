"""DuckDB's memory ceiling as a soft limit: low so the process stays small, raised only for a
statement that cannot run within it.

With a spill directory DuckDB keeps its buffers and the in-memory tables' blocks under the
ceiling by writing the rest to disk, so a low ceiling bounds the process's memory whatever the
size of the history. Not every operator can spill everything, though (a large aggregate of
lists), and a statement over the ceiling fails. :class:`ElasticCursor` retries such a statement
after doubling the ceiling (up to :data:`MAX_LIMIT`): memory grows only where a query needs it,
never a failed read. A failed statement changed nothing (each runs in its own transaction).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

MAX_LIMIT_MB = 4096
"""The highest ceiling :class:`MemoryCeiling` raises to (beyond it a statement fails)."""


class MemoryCeiling:
    """The connection's current memory limit, raised (never lowered) when a statement needs it."""

    def __init__(self, limit_mb: int, maximum_mb: int = MAX_LIMIT_MB) -> None:
        self.limit_mb = limit_mb
        self.maximum_mb = max(limit_mb, maximum_mb)
        self._lock = threading.Lock()

    def raise_for(self, cursor: duckdb.DuckDBPyConnection, failed_at_mb: int) -> bool:
        """Double the limit if it is still the one a statement failed under (another thread
        may have raised it meanwhile: then just retry). False at the maximum."""
        with self._lock:
            if self.limit_mb > failed_at_mb:
                return True
            if self.limit_mb >= self.maximum_mb:
                return False
            self.limit_mb = min(self.limit_mb * 2, self.maximum_mb)
            cursor.execute(f"SET memory_limit = '{self.limit_mb}MB'")
            return True


class ElasticCursor:
    """A DuckDB cursor whose ``execute`` retries a statement that ran out of memory with a
    higher ceiling; everything else is the cursor's own."""

    __slots__ = ("_ceiling", "_cursor")

    def __init__(self, cursor: duckdb.DuckDBPyConnection, ceiling: MemoryCeiling) -> None:
        self._cursor = cursor
        self._ceiling = ceiling

    def execute(self, query: Any, parameters: Any = None) -> ElasticCursor:
        from tokentree.data.engine import duckdb

        while True:
            limit = self._ceiling.limit_mb
            try:
                self._cursor.execute(query, parameters)
                return self
            except duckdb.OutOfMemoryException:
                if not self._ceiling.raise_for(self._cursor, limit):
                    raise

    def cursor(self) -> ElasticCursor:
        return ElasticCursor(self._cursor.cursor(), self._ceiling)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __enter__(self) -> ElasticCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()


def configured_limit() -> str | None:
    """``$TOKENTREE_MEMORY_LIMIT`` (None: not set); ValueError when it is not a size."""
    value = os.environ.get("TOKENTREE_MEMORY_LIMIT", "").strip()
    if not value:
        return None
    if parse_mb(value) is None:
        raise ValueError(f"TOKENTREE_MEMORY_LIMIT={value!r} is not a memory size (e.g. 512MB, 2GB)")
    return value


def parse_mb(limit: str) -> int | None:
    """``128MB``, ``4GB``, ``1.5 GiB`` … in MiB (None: not a size this module understands)."""
    text = limit.strip().upper().replace(" ", "").removesuffix("B").removesuffix("I")
    units = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}
    scale = units.get(text[-1:])
    number = text[:-1] if scale is not None else text
    try:
        value = float(number)
    except ValueError:
        return None
    return max(1, int(value * (scale if scale is not None else 1 / (1 << 20))))
