"""OpenCode's legacy JSON message files (``storage/message/<sessionID>/<messageID>.json``), read
with the shared OpenCode-schema reader (:mod:`tokentree.data.shared.opencode_schema.legacy`)."""

from __future__ import annotations

from tokentree.data.shared.opencode_schema.legacy import read_message_file
from tokentree.data.source import StoreFormat
from tokentree.data.sources.opencode.paths import MESSAGE

MESSAGE_FORMAT = StoreFormat(name=MESSAGE, read=read_message_file)

__all__ = ["MESSAGE_FORMAT", "read_message_file"]
