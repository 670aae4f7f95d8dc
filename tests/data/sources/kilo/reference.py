"""An independent reader of Kilo data (no tokentree imports): Kilo kept OpenCode's storage, so
this is the OpenCode test reader (``tests/data/sources/opencode/reference.py``, plain ``sqlite3``
and ``json``) pointed at Kilo's database names."""

from __future__ import annotations

from pathlib import Path

from tests.data.sources.opencode import reference

DATABASES = r"(kilo(-[A-Za-z0-9_.-]+)?|opencode-[A-Za-z0-9_.-]+)\.db"
"""``kilo.db``, ``kilo-<channel>.db`` and a channel database from before Kilo renamed them."""

Call = reference.Call
day_totals = reference.day_totals


def read_calls(root: Path) -> list[reference.Call]:
    return reference.read_calls(root, DATABASES)


def totals(root: Path) -> tuple[int, int, int, int, int]:
    return reference.totals(root, DATABASES)
