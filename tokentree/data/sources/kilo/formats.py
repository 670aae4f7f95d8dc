"""Kilo's two formats, read with the OpenCode-schema reader Kilo inherited
(:mod:`tokentree.data.shared.opencode_schema`): the sqlite databases and the legacy JSON message
files. A ``data`` blob that is not valid JSON is skipped and counted (SQLite's ``json_extract``
would abort the whole query on it, so the reader tests ``json_valid`` first)."""

from __future__ import annotations

from tokentree.data.shared.opencode_schema.database import read_database
from tokentree.data.shared.opencode_schema.legacy import read_message_file
from tokentree.data.source import StoreFormat
from tokentree.data.sources.kilo.paths import DATABASE, MESSAGE

DATABASE_FORMAT = StoreFormat(name=DATABASE, read=read_database, companions=("-wal",))
MESSAGE_FORMAT = StoreFormat(name=MESSAGE, read=read_message_file)
