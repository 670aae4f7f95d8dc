"""Command palette entries (Ctrl+P), generated from the binding registry so every keyed action
is also reachable by name; Textual's own "Change theme" command lists every theme."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tokentree.ui import bindings

PALETTE = [
    binding
    for binding in bindings.BROWSER + bindings.APP
    if binding.id not in ("tokentree.clear-filter", "tokentree.quit")
]
"""Bindings offered in the palette (moving the cursor is left to the keys)."""


def command_name(binding: Binding) -> str:
    return f"{binding.tooltip or binding.description} ({bindings.keys_of(binding)})"


class TokentreeCommands(Provider):
    """Sort, measure, graph, info, filter, export, reload, live, demo, help."""

    def _commands(self) -> list[tuple[str, Binding]]:
        screen = self.screen
        available = []
        for binding in PALETTE:
            action = binding.action.split("(")[0]
            check = getattr(screen, "check_action", None)
            if check is not None and check(action, ()) is False:
                continue
            available.append((command_name(binding), binding))
        return available

    async def _run(self, action: str) -> None:
        target = self.screen if not action.startswith("help") else self.app
        await target.run_action(action)

    async def discover(self) -> Hits:
        for name, binding in self._commands():
            yield DiscoveryHit(name, partial(self._run, binding.action), help=binding.description)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, binding in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self._run, binding.action),
                    help=binding.description,
                )
