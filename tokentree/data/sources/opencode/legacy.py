"""OpenCode's legacy JSON storage (≤ 1.1; the 1.2 migration copies it into the database and
leaves it in place): one file per message, ``storage/message/<sessionID>/<messageID>.json``.

Each message file is a store of its own. Reading it also reads what only the rest of the tree
knows: its parts (``storage/part/<messageID>/*.json``, in id order: the steps and tools) and its
session's parent chain (``storage/session/<projectID>/<sessionID>.json``). OpenCode rewrites a
message file after each of its steps and when it completes, so a change to its parts shows as a
change to the message file; session files never change what is read (parent and directory are
fixed at creation) and are remembered for the process.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.opencode import parts as P
from tokentree.data.sources.opencode.assemble import Assembler, Message
from tokentree.data.sources.opencode.paths import MESSAGE
from tokentree.data.sources.opencode.sessions import SessionInfo, SessionTree

MAX_BYTES = 64 << 20
"""A message or part file larger than this is not one (parts hold tool outputs: be generous)."""


def _load(path: str) -> Any:
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise StoreError("larger than an OpenCode message file can be")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise StoreError(f"not JSON: {error}") from None


def _read_parts(directory: str, rows: RawRows) -> list[P.Part]:
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    except OSError:
        return []  # no parts: an older message, or parts removed
    found: list[P.Part] = []
    for name in names:
        try:
            obj = _load(os.path.join(directory, name))
        except (OSError, StoreError):
            rows.skipped += 1
            continue
        part = P.from_object(obj)
        if part is not None:
            found.append(part)
    return found


@lru_cache(maxsize=16384)
def _session_info(storage: str, session_id: str) -> SessionInfo | None:
    """The session file ``storage/session/<any project>/<session_id>.json``, if there is one."""
    sessions = os.path.join(storage, "session")
    try:
        projects = sorted(os.listdir(sessions))
    except OSError:
        return None
    for project in projects:
        candidate = os.path.join(sessions, project, f"{session_id}.json")
        if not os.path.isfile(candidate):
            continue
        try:
            obj = _load(candidate)
        except (OSError, StoreError):
            return None
        if not isinstance(obj, dict):
            return None
        parent, directory = obj.get("parentID"), obj.get("directory")
        return SessionInfo(
            session_id,
            parent if isinstance(parent, str) and parent else None,
            directory if isinstance(directory, str) and directory else None,
        )
    return None


def _tree(storage: str, session_id: str) -> SessionTree:
    tree = SessionTree()
    current: str | None = session_id
    while current is not None and current not in tree.sessions:
        info = _session_info(storage, current)
        if info is None:
            break
        tree.add(info)
        current = info.parent_id
    return tree


def read_message_file(path: str) -> RawRows:
    """The calls (or the prompt) of one legacy message file."""
    obj = _load(path)
    rows = RawRows(records=1)
    if not isinstance(obj, dict):
        rows.skipped = 1
        return rows
    session_dir = os.path.dirname(path)
    storage = os.path.dirname(os.path.dirname(session_dir))
    message_id = obj.get("id")
    if not isinstance(message_id, str) or not message_id:
        message_id = os.path.basename(path)[: -len(".json")]
    session_id = obj.get("sessionID")
    if not isinstance(session_id, str) or not session_id:
        session_id = os.path.basename(session_dir)
    found = _read_parts(os.path.join(storage, "part", message_id), rows)
    assembler = Assembler(_tree(storage, session_id), rows)
    assembler.add(Message(message_id, session_id, P.message_values(obj), found))
    return assembler.finish()


MESSAGE_FORMAT = StoreFormat(name=MESSAGE, read=read_message_file)
