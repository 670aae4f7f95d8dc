"""Files that went through another tool before tokentree reads them (quirks ``bom`` and
``loose_json``): a UTF-8 byte-order mark at the start, or every line re-serialised with
whitespace around its colons. Only files without broken lines are changed; every changed line
is listed in the manifest (kind ``bom`` for line 1, ``loose_json`` for each line)."""

from __future__ import annotations

import json
from collections.abc import Callable

from bench.corpus.base import Base, OutFile

BOM = "\ufeff"
STYLES: dict[str, Callable[[object], str]] = {
    "spaced": lambda obj: json.dumps(obj, ensure_ascii=False),
    "space_colon_space": lambda obj: json.dumps(obj, ensure_ascii=False, separators=(", ", " : ")),
    "tabs": lambda obj: json.dumps(obj, ensure_ascii=False, separators=(",\t", ":\t")),
    "pretty_one_line": lambda obj: " ".join(
        json.dumps(obj, ensure_ascii=False, indent=1).split("\n")
    ),
}
"""Whitespace variants seen in the wild: Python's default, ``" : "``, tabs, and a pretty-printed
object joined into one line (JSON escapes newlines inside strings, so only whitespace joins)."""
RESTYLED = ("session", "session_resumed", "subagent_flat", "subagent_nested")


class Variants(Base):
    def restyle(self, w: OutFile, category: str, text: str) -> str:
        """The text of a file as written: Claude Code's, or (quirks) changed by another tool."""
        cfg = self.cfg
        if category not in RESTYLED or w.rel in self.broken_files or not text:
            return text
        if self.maybe("loose_json", cfg.p_loose_json):
            self.features["loose_json"] += 1
            style = STYLES[self.r.choice(sorted(STYLES))]
            lines = text.split("\n")[:-1]
            text = "".join(style(json.loads(line)) + "\n" for line in lines)
            self.broken += [(w.rel, n, "loose_json") for n in range(1, len(lines) + 1)]
        elif self.maybe("bom", cfg.p_bom):
            self.features["bom"] += 1
            text = BOM + text
            self.broken.append((w.rel, 1, "bom"))
        return text
