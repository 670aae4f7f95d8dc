"""Command palette entries (Ctrl+P), generated from the binding registry so every keyed action
is also reachable by name; Textual's own "Change theme" command lists every theme."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tokentree.ui import bindings

LEFT_OUT = ("tokentree.clear-filter", "tokentree.quit")


def palette(screen_bindings: list[Binding]) -> list[Binding]:
    """Bindings offered in the palette on a screen with these keys (moving the cursor is left
    to the keys)."""
    return [b for b in screen_bindings + bindings.APP if b.id not in LEFT_OUT]


PALETTE = palette(bindings.BROWSER)
"""The explorer's palette."""


NAMES = {
    "tokentree.up": "Go up one level",
    "tokentree.measure": "Cycle the measure: tokens, cost, output, uncached input",
    "tokentree.graph": "Cycle the graph columns: bar, percent, both, none",
    "tokentree.export": "Export the selected row and its subtree as JSON",
}
"""Palette names where the tooltip's first clause is not a good one."""


def command_name(binding: Binding, keymap: dict[str, str] | None = None) -> str:
    """``Sort by cost (c)``: the first clause of the tooltip and the key."""
    text = NAMES.get(binding.id or "") or (binding.tooltip or binding.description).split(" (")[0]
    return f"{text} ({bindings.keys_of(binding, keymap)})"


class TokentreeCommands(Provider):
    """Sort, measure, graph, info, filter, export, reload, live, demo, help."""

    def _commands(self) -> list[tuple[str, Binding]]:
        screen = self.screen
        available = []
        for binding in palette(list(getattr(screen, "BINDINGS", bindings.BROWSER))):
            action = binding.action.split("(")[0]
            check = getattr(screen, "check_action", None)
            if check is not None and check(action, ()) is False:
                continue
            keymap = getattr(self.app, "settings", None)
            available.append((command_name(binding, keymap.keymap if keymap else None), binding))
        return available

    async def _run(self, action: str) -> None:
        target = self.screen if not action.startswith("help") else self.app
        await target.run_action(action)

    async def discover(self) -> Hits:
        for name, binding in self._commands():
            yield DiscoveryHit(name, partial(self._run, binding.action), help=binding.tooltip)

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
