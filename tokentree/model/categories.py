"""The activity categories (docs/attribution.md): stable ids in display order.

Their own module so the shell classifier (:mod:`tokentree.model.shell`) and the attribution
rule (:mod:`tokentree.model.activity`) share them without importing each other.
"""

from __future__ import annotations

from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "reading",
    "editing",
    "executing",
    "git",
    "testing",
    "searching",
    "planning",
    "delegating",
    "mcp",
    "conversation",
    "context",
    "other",
)
"""Stable category ids, in display order; split remainders go to the earlier ones."""
ORDER: Final[dict[str, int]] = {name: index for index, name in enumerate(CATEGORIES)}

READING, EDITING, EXECUTING, GIT, TESTING = "reading", "editing", "executing", "git", "testing"
SEARCHING, PLANNING, DELEGATING, MCP = "searching", "planning", "delegating", "mcp"
CONVERSATION, CONTEXT, OTHER = "conversation", "context", "other"

ATTRIBUTION_RULE: Final = "tokentree.activity/1"
"""Version of the attribution rule (docs/attribution.md); the split is an estimate."""
