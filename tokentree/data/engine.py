"""The DuckDB engine, imported the cheap way.

The ``duckdb`` package re-exports its compiled module ``_duckdb`` and adds Python helpers
tokentree does not use (the relational expression API, file-system adapters, a version lookup
through ``importlib.metadata``). Importing the package costs ≈ 90 ms, the compiled module alone
≈ 20 ms: on a warm export (≈ 0.35 s) that difference is a sixth of the run. Every runtime use of
the engine goes through :data:`duckdb` here: the compiled module when it offers what tokentree
calls, the package otherwise (other layouts of the wheel). Type annotations keep naming the
package (``import duckdb`` under ``TYPE_CHECKING``): its classes are the compiled module's.

Arrow interchange (scanning a registered pyarrow table, fetching one) is the exception: the
compiled module hands it to the package's Python modules, which set themselves up when the
package is imported. Code that exchanges Arrow data calls :func:`with_arrow` first, from Python
and before its query (importing the package while a query runs is what DuckDB warns against).
"""

from __future__ import annotations

import importlib
from types import ModuleType

USED = (
    "connect",
    "DuckDBPyConnection",
    "Error",
    "OutOfMemoryException",
    "ParserException",
    "BinderException",
    "CatalogException",
    "__version__",
)
"""What tokentree uses of the engine module."""


def load(names: tuple[str, ...] = ("_duckdb", "duckdb")) -> ModuleType:
    """The first of ``names`` that imports and offers everything in :data:`USED`."""
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if all(hasattr(module, attr) for attr in USED):
            return module
    raise ImportError(f"no DuckDB engine among {names!r} offers {', '.join(USED)}")


duckdb = load()


def with_arrow() -> ModuleType:
    """The engine, ready to scan and produce Arrow data (the package imported and set up)."""
    return importlib.import_module("duckdb")
