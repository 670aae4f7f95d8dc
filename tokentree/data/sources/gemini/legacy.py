"""The legacy session format (Gemini CLI until 2026-04): one ``ConversationRecord`` per file,
``{sessionId, projectHash, startTime, lastUpdated, messages: [...], kind?, directories?}``,
rewritten whole (often pretty-printed) on every update. Read as a store; a large file is
streamed message by message (:mod:`.jsonstream`) so that hundreds of MB never become a Python
object graph. Each message id appears once; the counting rules are :mod:`.records`'.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from typing import Any, BinaryIO

from tokentree.data.read.jsonfields import json_string
from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.gemini import records
from tokentree.data.sources.gemini.jsonstream import StreamError, read_object
from tokentree.data.sources.gemini.paths import LEGACY
from tokentree.data.sources.gemini.projects import file_context, project_hash
from tokentree.data.sources.gemini.session import SessionFacts

SESSION_KEYS = ("sessionId", "projectHash", "startTime", "kind", "directories")


WHOLE_LIMIT = 16 << 20
"""Files up to this size are parsed in one go (faster for the many small sessions); larger
ones are streamed message by message."""


def _members(handle: BinaryIO) -> Iterator[tuple[str, Any]]:
    """The session's top-level members, each message of ``messages`` on its own."""
    if os.fstat(handle.fileno()).st_size > WHOLE_LIMIT:
        yield from read_object(handle, "messages")
        return
    data = handle.read(WHOLE_LIMIT + 1)
    try:
        document = json.loads(data.decode("utf-8", "replace").removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        # Cut short or damaged: the streaming reader keeps what comes before the damage.
        yield from read_object(io.BytesIO(data), "messages")
        return
    if not isinstance(document, dict):
        raise StreamError("not a JSON object")
    for key, value in document.items():
        if key == "messages" and isinstance(value, list):
            for message in value:
                yield key, message
        else:
            yield key, value


def read_legacy(path: str) -> RawRows:
    """The calls and prompts of one legacy session file."""
    meta: dict[str, Any] = {}
    calls: dict[str, dict[str, Any]] = {}
    prompts: list[dict[str, Any]] = []
    rows = RawRows()
    damaged: str | None = None
    with open(path, "rb") as handle:
        try:
            for key, value in _members(handle):
                if key == "messages":
                    rows.records += 1
                    _message(value, calls, prompts, rows)
                elif key in SESSION_KEYS:
                    meta[key] = value
        except StreamError as error:
            damaged = str(error)
    if damaged is not None and not calls and not prompts and not meta:
        raise StoreError(f"not a Gemini CLI session: {damaged}")
    if damaged is not None:
        rows.skipped += 1  # the document is cut short: what came before it still counts
    facts = SessionFacts.of(file_context(path), _meta(meta))
    rows.calls = [facts.call(call) for call in calls.values() if call["usage"] is not None]
    rows.prompts = [facts.prompt(found) for found in prompts]
    return rows


def _meta(meta: dict[str, Any]) -> dict[str, str | None]:
    def text(key: str) -> str | None:
        value = meta.get(key)
        return value if isinstance(value, str) else None

    directories = meta.get("directories")
    root_hash = text("projectHash")
    cwd = None
    if isinstance(directories, list) and root_hash:
        cwd = next(
            (d for d in directories if isinstance(d, str) and project_hash(d) == root_hash), None
        )
    return {
        "session_id": text("sessionId"),
        "project_hash": root_hash,
        "start": text("startTime"),
        "kind": text("kind"),
        "directory_root": cwd,
    }


def _message(
    message: Any,
    calls: dict[str, dict[str, Any]],
    prompts: list[dict[str, Any]],
    rows: RawRows,
) -> None:
    if not isinstance(message, dict):
        rows.skipped += 1
        return
    kind = message.get("type")
    message_id = json_string(message.get("id"))
    timestamp = json_string(message.get("timestamp"))
    if kind == "gemini":
        key = message_id or f"ts:{timestamp}"
        found = calls.get(key)
        tools = records.tools(message.get("toolCalls"))
        counted = records.usage(message.get("tokens"))
        if found is None:
            found = calls[key] = {"id": message_id, "lines": 0, "tools": [], "usage": None}
        found["lines"] += 1
        found["tools"] += tools
        if counted is not None and (
            found["usage"] is None or _size(counted) > _size(found["usage"])
        ):
            model = message.get("model")
            found.update(
                usage=counted, ts=timestamp, model=model if isinstance(model, str) else None
            )
    elif kind == "user" and message_id is not None:
        found_prompt = records.prompt(message)
        if found_prompt is not None:
            texts, image = found_prompt
            prompts.append({"id": message_id, "ts": timestamp, "texts": texts, "image": image})


def _size(counted: dict[str, int]) -> int:
    return counted["input"] + counted["output"] + counted["cache_read"]


LEGACY_FORMAT = StoreFormat(name=LEGACY, read=read_legacy)
