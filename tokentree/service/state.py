"""What the explorer remembers between runs: the theme picked in the command palette, the
view settings (sort, measure, graph) and which budget alerts already fired, in a small JSON
file under the user state directory (:func:`tokentree.paths.state_file`), never next to the
logs.

A missing, unreadable or corrupt file means "nothing remembered"; a failed write is ignored
(remembering is a convenience, never a reason to fail).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tokentree.model.listing import GraphMode, Measure, SortKey, SortSpec, ViewSettings

VERSION = 1


@dataclass(frozen=True, slots=True)
class Remembered:
    theme: str | None = None
    """The theme last picked in the palette."""
    theme_config: str | None = None
    """The config's ``theme`` when it was picked: a later change of the config wins."""
    view: ViewSettings = field(default_factory=ViewSettings)
    alerts: dict[str, int] = field(default_factory=dict)
    """Budget alerts raised: ``<period>:<period key>`` → the highest threshold (percent)."""

    def theme_for(self, configured: str) -> str | None:
        """The remembered theme, unless the config's theme changed since it was picked."""
        return self.theme if self.theme and self.theme_config == configured else None


def _view(data: Any) -> ViewSettings:
    if not isinstance(data, dict):
        return ViewSettings()
    defaults = ViewSettings()
    try:
        sort = SortSpec(SortKey(data["sort"]), bool(data["descending"]))
    except (KeyError, ValueError, TypeError):
        sort = defaults.sort
    try:
        measure = Measure(data["measure"])
    except (KeyError, ValueError, TypeError):
        measure = defaults.measure
    try:
        graph = GraphMode(data["graph"])
    except (KeyError, ValueError, TypeError):
        graph = defaults.graph
    return ViewSettings(sort, measure, graph)


def parse(text: str) -> Remembered:
    """The state in ``text``; anything unusable falls back to the defaults, field by field."""
    try:
        data = json.loads(text)
    except ValueError:
        return Remembered()
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return Remembered()
    theme, config = data.get("theme"), data.get("theme_config")
    return Remembered(
        theme=theme if isinstance(theme, str) and theme else None,
        theme_config=config if isinstance(config, str) else None,
        view=_view(data.get("view")),
        alerts=_alerts(data.get("alerts")),
    )


def _alerts(data: Any) -> dict[str, int]:
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def dump(state: Remembered) -> str:
    view = state.view
    return json.dumps(
        {
            "version": VERSION,
            "theme": state.theme,
            "theme_config": state.theme_config,
            "view": {
                "sort": view.sort.key.value,
                "descending": view.sort.descending,
                "measure": view.measure.value,
                "graph": view.graph.value,
            },
            "alerts": state.alerts,
        },
        indent=2,
    )


class StateFile:
    """Load and save :class:`Remembered` at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Remembered:
        try:
            return parse(self.path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            return Remembered()

    def update(self, **changes: Any) -> Remembered:
        """Change some fields of what is on disk now (another tokentree process may have
        written other fields since this one loaded) and save; returns the new state."""
        state = replace(self.load(), **changes)
        self.save(state)
        return state

    def save(self, state: Remembered) -> bool:
        """Write ``state`` (whole or not at all); False when it could not be written."""
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(dump(state) + "\n", "utf-8")
            partial.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            return False
        return True
