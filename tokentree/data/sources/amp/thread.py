"""The thread format: one Amp thread, a whole JSON document, read as a store.

``{id, created, title, messages: [{role, messageId, content, usage?, meta?}], env?,
usageLedger?}``. Amp rewrites the document whenever the thread changes, so a changed file is
read again whole. What counts is :mod:`.usage`'s; this module walks the document:

* a call per request (see :mod:`.usage`), with the tools its message called (``tool_use``
  blocks: the command, file or pattern as the detail);
* a prompt per user message with text (a message of tool results only is not one); its time is
  the message's ``meta.sentAt`` when logged, else the time of the next request;
* the session is the thread (``id``, else the file name), its working directory the first tree
  of ``env.initial`` (a ``file://`` URI) and its label that tree's ``displayName``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote, urlparse

from tokentree.data.read.jsonfields import json_string
from tokentree.data.read.linereader import clean
from tokentree.data.source import RawRows, StoreError, StoreFormat
from tokentree.data.sources.amp import usage
from tokentree.data.sources.amp.paths import THREAD

TOOL_DETAIL_KEYS = ("cmd", "command", "path", "file_path", "filePattern", "pattern", "url", "query")
DETAIL_LIMIT = 300
TEXT_LIMIT = 400


def _text(value: Any) -> str | None:
    return clean(value) if isinstance(value, str) and value else None


def _key(value: Any) -> str | None:
    """A message id (a number in Amp's files) as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        return str(value)
    return None


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list):
        return []
    return [block for block in content if isinstance(block, dict)]


def _tools(message: dict[str, Any]) -> list[dict[str, str | None]]:
    tools = []
    for block in _blocks(message):
        if block.get("type") != "tool_use":
            continue
        arguments = block.get("input")
        detail = None
        if isinstance(arguments, dict):
            detail = next(
                (
                    json_string(arguments[k])
                    for k in TOOL_DETAIL_KEYS
                    if arguments.get(k) is not None
                ),
                None,
            )
        tools.append(
            {
                "id": _text(block.get("id")),
                "name": _text(block.get("name")),
                "detail": clean(detail[:DETAIL_LIMIT]) if detail is not None else None,
            }
        )
    return tools


def _cwd(document: dict[str, Any]) -> tuple[str | None, str | None]:
    """(working directory, label) of the thread's first workspace tree."""
    env = document.get("env")
    initial = env.get("initial") if isinstance(env, dict) else None
    trees = initial.get("trees") if isinstance(initial, dict) else None
    tree = trees[0] if isinstance(trees, list) and trees and isinstance(trees[0], dict) else {}
    uri = tree.get("uri")
    cwd = None
    if isinstance(uri, str) and uri.startswith("file://"):
        cwd = unquote(urlparse(uri).path) or None
    return _text(cwd), _text(tree.get("displayName"))


class _Thread:
    """One thread document's rows."""

    def __init__(self, document: dict[str, Any], path: str) -> None:
        self.id = _text(document.get("id")) or PurePath(path).stem
        self.created = usage.parse_time(document.get("created"))
        self.cwd, self.project = _cwd(document)
        messages = document.get("messages")
        listed = messages if isinstance(messages, list) else []
        self.messages = [m for m in listed if isinstance(m, dict)]
        ledger = document.get("usageLedger")
        events = ledger.get("events") if isinstance(ledger, dict) else None
        self.events = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
        self.rows = RawRows(
            records=len(listed) + len(self.events), skipped=len(listed) - len(self.messages)
        )

    def read(self) -> RawRows:
        covered: set[str] = set()
        calls = self._ledger_calls(covered)
        calls += self._message_calls(covered)
        self.rows.calls = calls
        self.rows.prompts = self._prompts()
        return self.rows

    def _ledger_calls(self, covered: set[str]) -> list[dict[str, Any]]:
        """The ledger's requests; the messages they name are added to ``covered``. A message's
        cache counts go to the first event naming it: its usage logs one request's."""
        by_id: dict[str, dict[str, Any]] = {}
        for message in self.messages:
            key = _key(message.get("messageId"))
            if message.get("role") == "assistant" and key is not None:
                by_id.setdefault(key, message)
        calls: list[dict[str, Any]] = []
        for number, event in enumerate(self.events):
            target = _key(event.get("toMessageId"))
            message = by_id.get(target) if target is not None else None
            first = message is not None and target not in covered
            message_usage = message.get("usage") if first and message is not None else None
            counted = usage.event_tokens(
                event, message_usage if isinstance(message_usage, dict) else None
            )
            if first and target is not None:
                covered.add(target)
            if counted is None:
                continue
            event_id = _text(event.get("id")) or f"event{number}"
            calls.append(
                self._call(
                    call_id=event_id,
                    key=f"event:{event_id}",
                    ts=usage.parse_time(event.get("timestamp")),
                    model=_text(event.get("model")),
                    counted=counted,
                    tools=_tools(message) if message is not None else [],
                )
            )
        return calls

    def _message_calls(self, covered: set[str]) -> list[dict[str, Any]]:
        """The requests of assistant messages no ledger event named."""
        calls: list[dict[str, Any]] = []
        for index, message in enumerate(self.messages):
            if message.get("role") != "assistant":
                continue
            key = _key(message.get("messageId"))
            found = message.get("usage")
            if not isinstance(found, dict) or (key is not None and key in covered):
                continue
            counted = usage.message_tokens(found)
            if counted is None:
                continue
            ident = key if key is not None else f"index{index}"
            calls.append(
                self._call(
                    call_id=ident,
                    key=f"message:{ident}",
                    ts=usage.parse_time(found.get("timestamp"))
                    or usage.parse_time(message.get("timestamp")),
                    model=_text(found.get("model")) or _text(message.get("model")),
                    counted=counted,
                    tools=_tools(message),
                )
            )
        return calls

    def _call(
        self,
        *,
        call_id: str,
        key: str,
        ts: datetime | None,
        model: str | None,
        counted: usage.Tokens,
        tools: list[dict[str, str | None]],
    ) -> dict[str, Any]:
        return {
            "call_id": f"{self.id}:{call_id}",
            "dedup_key": f"{self.id}|{key}",
            "session_id": self.id,
            "ts": ts or self.created,
            "model": model,
            "input": counted.input,
            "output": counted.output,
            "cache_read": counted.cache_read,
            "cache_write_5m": counted.cache_write,
            "cwd": self.cwd,
            "project": self.project,
            "tools": tools,
        }

    def _prompts(self) -> list[dict[str, Any]]:
        """User messages with text; a message without ``meta.sentAt`` takes the time of the
        next request in the thread (its answer)."""
        request_times: list[datetime | None] = []
        for message in self.messages:
            found = message.get("usage") if message.get("role") == "assistant" else None
            ts = usage.parse_time(found.get("timestamp")) if isinstance(found, dict) else None
            request_times.append(ts)
        prompts = []
        for index, message in enumerate(self.messages):
            if message.get("role") != "user":
                continue
            blocks = _blocks(message)
            texts = [
                clean(block["text"][:TEXT_LIMIT])
                for block in blocks
                if block.get("type") == "text"
                and isinstance(block.get("text"), str)
                and block["text"].strip()
            ]
            image = any(block.get("type") == "image" for block in blocks)
            if not texts and not image:
                continue
            meta = message.get("meta")
            ts = usage.parse_time(meta.get("sentAt")) if isinstance(meta, dict) else None
            if ts is None:
                ts = next((t for t in request_times[index + 1 :] if t is not None), None)
            key = _key(message.get("messageId"))
            prompts.append(
                {
                    "uuid": f"{self.id}:{key if key is not None else f'index{index}'}",
                    "session_id": self.id,
                    "ts": ts or self.created,
                    "texts": texts,
                    "has_image": image,
                    "cwd": self.cwd,
                }
            )
        return prompts


def read_thread(path: str) -> RawRows:
    """The calls and prompts of one thread file."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        document = json.loads(data.decode("utf-8", "replace").removeprefix("\ufeff"))
    except (ValueError, RecursionError) as error:
        raise StoreError(f"not an Amp thread: {error}") from None
    if not isinstance(document, dict):
        raise StoreError("not an Amp thread: not a JSON object")
    return _Thread(document, path).read()


THREAD_FORMAT = StoreFormat(name=THREAD, read=read_thread)
