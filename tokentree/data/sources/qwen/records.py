"""Qwen Code's chat records: which lines we read and what they mean.

A chat is JSONL, one ``ChatRecord`` per line (``JSON.stringify``, compact): ``{uuid,
parentUuid, sessionId, timestamp, type, cwd, version, message?, usageMetadata?, model?, …}``.
We parse two kinds, told apart by cheap substring tests and checked on the top-level ``type``:

* ``A`` — ``type: "assistant"``: one per model response (every tool-call iteration of a turn
  is its own record), ``usageMetadata`` in Gemini API shape, ``model``, and ``message.parts``
  whose ``functionCall`` parts are the tools called;
* ``U`` — ``type: "user"``: what the user typed (``message.parts[].text``), a turn.

``tool_result`` and ``system`` records (compression checkpoints, slash commands, UI telemetry —
whose ``api_response`` events repeat a response's counts — titles, …) carry no billed usage of
their own and are counted, never parsed.

Counting (Gemini API semantics, as Qwen converts every provider's usage to it):
``cachedContentTokenCount`` is part of ``promptTokenCount`` (uncached input = prompt − cached);
``toolUsePromptTokenCount`` is input; thoughts bill as output. Providers behind Qwen's
OpenAI-compatible client report ``completion_tokens`` with the reasoning inside it and Qwen
copies it to ``candidatesTokenCount`` (and the reasoning to ``thoughtsTokenCount``): when the
record's ``totalTokenCount`` equals prompt + candidates (+ tool-use prompt), the thoughts are
already in the candidates and are not added again. A total above all the parts (a record with a
total only) adds the difference to the output, as ccusage does.
"""

from __future__ import annotations

from typing import Any

from tokentree.data.read.jsonfields import compile_paths, extract, json_string

MARKERS = {
    "A": ('"type":"assistant"', '"type": "assistant"'),
    "U": ('"type":"user"', '"type": "user"'),
}
KIND_OF_TYPE = {"assistant": "A", "user": "U"}

ASSISTANT_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("uuid", "$.uuid"),
    ("session_id", "$.sessionId"),
    ("timestamp", "$.timestamp"),
    ("model", "$.model"),
    ("cwd", "$.cwd"),
    ("sidechain", "$.isSidechain"),
    ("agent_id", "$.agentId"),
    ("forked_from", "$.forkedFrom.sessionId"),
    ("usage", "$.usageMetadata"),
    ("prompt", "$.usageMetadata.promptTokenCount"),
    ("candidates", "$.usageMetadata.candidatesTokenCount"),
    ("cached", "$.usageMetadata.cachedContentTokenCount"),
    ("thoughts", "$.usageMetadata.thoughtsTokenCount"),
    ("tool_prompt", "$.usageMetadata.toolUsePromptTokenCount"),
    ("total", "$.usageMetadata.totalTokenCount"),
)
USER_FIELDS: tuple[tuple[str, str], ...] = (
    ("type", "$.type"),
    ("uuid", "$.uuid"),
    ("session_id", "$.sessionId"),
    ("timestamp", "$.timestamp"),
    ("cwd", "$.cwd"),
    ("sidechain", "$.isSidechain"),
    ("forked_from", "$.forkedFrom.sessionId"),
    ("role", "$.message.role"),
    ("subtype", "$.subtype"),
    ("provenance", "$.provenance"),
    ("parts", "$.message.parts"),
)
FIELDS_BY_KIND = {"A": ASSISTANT_FIELDS, "U": USER_FIELDS}
_STEPS = {kind: compile_paths([p for _, p in fields]) for kind, fields in FIELDS_BY_KIND.items()}

TOOL_NAMES = {
    "todo_write": "TodoWrite",
    "agent": "Agent",
    "exit_plan_mode": "ExitPlanMode",
}
"""Qwen's tools the activity table knows under another name (the Gemini CLI names it inherited,
``run_shell_command``, ``read_file``, ``edit``, ``glob`` …, are known as they are)."""
DETAIL_KEYS = ("command", "file_path", "absolute_path", "path", "pattern", "url", "query")
DETAIL_LIMIT = 300
TEXT_LIMIT = 4000


def index(kind: str, name: str) -> int:
    """1-based position of a field in the extraction list of ``kind``."""
    return [field for field, _ in FIELDS_BY_KIND[kind]].index(name) + 1


def paths_sql(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in FIELDS_BY_KIND[kind]) + "]"


def classify(text: str) -> str | None:
    for kind in ("A", "U"):
        if any(marker in text for marker in MARKERS[kind]):
            return kind
    return None


def detail(args: Any) -> str | None:
    """The first of :data:`DETAIL_KEYS` present in a call's args, as text."""
    if not isinstance(args, dict):
        return None
    for key in DETAIL_KEYS:
        value = json_string(args.get(key))
        if value is not None:
            return value[:DETAIL_LIMIT]
    return None


def tools(parts: Any) -> list[dict[str, str | None]]:
    """The ``functionCall`` parts of a response as ``{id, name, detail}``."""
    found: list[dict[str, str | None]] = []
    for part in parts if isinstance(parts, list) else []:
        call = part.get("functionCall") if isinstance(part, dict) else None
        if not isinstance(call, dict):
            continue
        name = json_string(call.get("name"))
        if not name:
            continue
        found.append(
            {
                "id": json_string(call.get("id")),
                "name": TOOL_NAMES.get(name, name),
                "detail": detail(call.get("args")),
            }
        )
    return found


def parse(obj: Any, kind: str) -> dict[str, Any] | None:
    """The staging fields of one parsed line, as ``scan.sql`` computes them (re-kinded by its
    top-level ``type``; a line of any other type yields no values)."""
    if not isinstance(obj, dict):
        return None
    kind = KIND_OF_TYPE.get(obj.get("type"), kind) if isinstance(obj.get("type"), str) else kind
    values = extract(obj, _STEPS[kind])
    overflow = None
    if kind == "A":
        message = obj.get("message")
        parts = message.get("parts") if isinstance(message, dict) else None
        overflow = tools(parts)
    return {"kind": kind, "x": values, "overflow": overflow}
