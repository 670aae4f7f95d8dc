"""OpenCode's sqlite databases (``opencode.db``, ``opencode-<channel>.db``), read with the shared
OpenCode-schema reader (:mod:`tokentree.data.shared.opencode_schema.database`)."""

from __future__ import annotations

from tokentree.data.shared.opencode_schema.database import read_database
from tokentree.data.source import StoreFormat
from tokentree.data.sources.opencode.paths import DATABASE

DATABASE_FORMAT = StoreFormat(name=DATABASE, read=read_database, companions=("-wal",))

__all__ = ["DATABASE_FORMAT", "read_database"]
