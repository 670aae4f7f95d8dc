"""Reading tokentree's export in the per-source tests: the export of one source's root (proving
tokentree left the files alone) and the calls in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import checksums, days_of, export, walk
from tests.data.sources.truth import tokens_by_day


def read_untouched(source: str, root: Path, *extra: str, annotate: bool = False) -> dict[str, Any]:
    """``tokentree export`` of ``root`` as ``source``'s logs, in UTC (without activity and
    insights unless ``annotate``); fails if tokentree changed a file under ``root``."""
    before = checksums(root)
    flags = ("--annotate",) if annotate else ("--no-annotate",)
    document, _ = export("--root", f"{source}={root}", "--tz", "UTC", *flags, *extra)
    assert checksums(root) == before, f"tokentree modified {source}'s files"
    return document


def call_list(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every call node, in the document's order."""
    return [node for node in walk(document) if node.get("kind") == "call"]


def calls_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every call node by its id."""
    return {node["id"]: node for node in call_list(document)}


def calls_in_context(
    document: dict[str, Any], key: Callable[[str], str] = str
) -> dict[str, dict[str, Any]]:
    """Every call by ``key(call id)``, with its session's id (``session``) and its turn node
    (``turn``)."""
    found = {}
    for week in document["children"]:
        for day in week["children"]:
            for session in day["children"]:
                for turn in session["children"]:
                    for call in turn["children"]:
                        found[key(call["id"])] = {**call, "session": session["id"], "turn": turn}
    return found


def day_tokens(document: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each day's token kinds in an export."""
    return tokens_by_day({day: node["totals"] for day, node in days_of(document).items()})
