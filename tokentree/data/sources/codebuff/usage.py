"""The usage of one Codebuff message, in every spelling Codebuff has written it.

A message's counts sit in ``metadata.usage``, ``metadata.codebuff.usage``, or — for agent-run
messages — in the run state it carries (``metadata.runState.sessionState.mainAgentState.
messageHistory[]``, an assistant entry's ``providerOptions.usage`` or
``providerOptions.codebuff.usage``). The first place that has a count gives it, field by field
(ccusage's order). Spellings accepted, as ccusage's adapter reads them:

* input: ``inputTokens``, ``input_tokens``, ``promptTokens``, ``prompt_tokens``;
* output: ``outputTokens``, ``output_tokens``, ``completionTokens``, ``completion_tokens``;
* cache read: ``cacheReadInputTokens``, ``cache_read_input_tokens``, or the larger of that and
  ``promptTokensDetails.cachedTokens`` / ``prompt_tokens_details.cached_tokens``;
* cache write: ``cacheCreationInputTokens``, ``cache_creation_input_tokens``,
  ``cacheCreationTokens``, ``cache_creation_tokens``, ``cachedTokensCreated``,
  ``cached_tokens_created``;
* total: ``totalTokens``, ``total_tokens``, ``total``; ``credits`` (Codebuff's own unit).

Semantics: Anthropic-style counts keep the cache beside the input; OpenAI-style counts
(``prompt_tokens`` with ``prompt_tokens_details.cached_tokens``) keep the cache inside it. A
stated total decides (input + output = total means the cache is inside); without one, the cache
is inside when it came only from a ``*_details`` field. A total above every part adds the
difference to the output (as ccusage does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

INPUT = ("inputTokens", "input_tokens", "promptTokens", "prompt_tokens")
OUTPUT = ("outputTokens", "output_tokens", "completionTokens", "completion_tokens")
CACHE_READ = ("cacheReadInputTokens", "cache_read_input_tokens")
CACHE_DETAILS = (
    ("promptTokensDetails", "cachedTokens"),
    ("prompt_tokens_details", "cached_tokens"),
)
CACHE_WRITE = (
    "cacheCreationInputTokens",
    "cache_creation_input_tokens",
    "cacheCreationTokens",
    "cache_creation_tokens",
    "cachedTokensCreated",
    "cached_tokens_created",
)
TOTAL = ("totalTokens", "total_tokens", "total")


@dataclass(slots=True)
class Found:
    """Raw counts of one usage object (or several merged, field by field)."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0
    total: int = 0
    cache_in_details: bool = False
    """The cache read came from a ``*_details`` field only (OpenAI's: inside the input)."""
    credits: float = 0.0
    model: str | None = None

    def any(self) -> bool:
        return (
            bool(self.input or self.output or self.cache_read or self.cache_write or self.total)
            or self.credits > 0
        )

    def fill(self, other: Found) -> None:
        """Take ``other``'s value for every field still empty."""
        if not self.input:
            self.input = other.input
        if not self.output:
            self.output = other.output
        if not self.cache_write:
            self.cache_write = other.cache_write
        if not self.cache_read:
            self.cache_read, self.cache_in_details = other.cache_read, other.cache_in_details
        if not self.total:
            self.total = other.total
        if self.credits <= 0:
            self.credits = other.credits
        if self.model is None:
            self.model = other.model


def count(value: Any) -> int:
    """A non-negative integer count (ccusage reads only JSON integers ≥ 0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return max(value, 0)


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> int:
    for key in keys:
        value = count(record.get(key))
        if value > 0:
            return value
    return 0


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if math.isfinite(value) and value > 0 else 0.0


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse(value: Any) -> Found:
    """The counts of one usage object (nothing when it is not an object)."""
    found = Found()
    if not isinstance(value, dict):
        return found
    found.input = _pick(value, INPUT)
    found.output = _pick(value, OUTPUT)
    direct = _pick(value, CACHE_READ)
    detailed = 0
    for outer, inner in CACHE_DETAILS:
        nested = value.get(outer)
        if isinstance(nested, dict):
            detailed = max(detailed, _pick(nested, (inner,)))
    found.cache_read = max(direct, detailed)
    found.cache_in_details = detailed > direct
    found.cache_write = _pick(value, CACHE_WRITE)
    found.total = _pick(value, TOTAL)
    found.credits = _number(value.get("credits"))
    found.model = _text(value.get("model"))
    return found


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def from_run_state(metadata: dict[str, Any]) -> Found | None:
    """The latest counts of the run state's assistant entries, field by field (None when the
    run state holds none)."""
    history = _get(metadata, "runState", "sessionState", "mainAgentState", "messageHistory")
    if not isinstance(history, list):
        return None
    merged = Found()
    seen = False
    for entry in reversed(history):
        if not isinstance(entry, dict) or entry.get("role") != "assistant":
            continue
        options = entry.get("providerOptions")
        if not isinstance(options, dict):
            continue
        one = parse(options.get("usage"))
        codebuff = options.get("codebuff")
        if isinstance(codebuff, dict):
            one.fill(parse(codebuff.get("usage")))
            one.model = _text(codebuff.get("model")) or one.model
        seen = seen or one.any() or one.model is not None
        merged.fill(one)
    return merged if seen else None


def of_message(message: dict[str, Any]) -> Found:
    """A message's counts from every place it may keep them."""
    found = Found()
    metadata = message.get("metadata")
    if isinstance(metadata, dict):
        found.model = _text(metadata.get("model"))
        found.fill(parse(metadata.get("usage")))
        found.fill(parse(_get(metadata, "codebuff", "usage")))
        run_state = from_run_state(metadata)
        if run_state is not None:
            found.fill(run_state)
    credits = _number(message.get("credits"))
    if credits > 0 and found.credits <= 0:
        found.credits = credits
    return found


def additive(found: Found) -> dict[str, int]:
    """tokentree's counts: uncached input, cache read and write, output (see the module)."""
    cached = found.cache_read + found.cache_write
    if found.total:
        inside = cached > 0 and found.total == found.input + found.output
    else:
        inside = found.cache_in_details
    uncached = max(found.input - cached, 0) if inside else found.input
    known = uncached + cached + found.output
    return {
        "input": uncached,
        "output": found.output + max(found.total - known, 0),
        "cache_read": found.cache_read,
        "cache_write_5m": found.cache_write,
    }
