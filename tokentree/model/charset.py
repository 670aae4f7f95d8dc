"""Which characters the terminal can show, and ASCII stand-ins that keep every cell in place.

With a non-UTF-8 locale (``LANG=C``, ``LC_ALL=POSIX`` …) the explorer draws the whole screen in
ASCII. :func:`to_ascii` replaces each character by ASCII of the *same width in cells*, so
columns, padding and cropping computed on the original text stay aligned: ``›`` → ``>``,
``▼`` → ``v``, ``…`` → ``~``, box drawing → ``-`` ``|`` ``+``, ``é`` → ``e``, and a wide
character (CJK, emoji) → ``??``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal

Charset = Literal["unicode", "ascii"]

STAND_INS = {
    "›": ">",
    "‹": "<",
    "»": ">",
    "«": "<",
    "→": ">",
    "←": "<",
    "↑": "^",
    "↓": "v",
    "▶": ">",
    "◀": "<",
    "▲": "^",
    "▼": "v",
    "▴": "^",
    "▾": "v",
    "·": "-",
    "•": "*",
    "●": "*",
    "○": "o",
    "‖": "|",
    "…": "~",
    "–": "-",
    "—": "-",
    "−": "-",
    "×": "x",
    "≈": "~",
    "≤": "<",
    "≥": ">",
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "✘": "x",
    "\u00a0": " ",
}
"""Characters the explorer draws itself, with their one-cell stand-ins."""


COERCED_CTYPES = frozenset({"C.UTF-8", "C.utf8", "UTF-8"})
"""What Python itself puts in ``LC_CTYPE`` when it starts in the C locale (PEP 538)."""
C_LOCALES = frozenset({"", "C", "POSIX"})


def detect_charset(env: Mapping[str, str], encoding: str = "utf-8") -> Charset:
    """``unicode`` for a UTF-8 locale (``LC_ALL`` > ``LC_CTYPE`` > ``LANG``, else the output
    stream's ``encoding``), ``ascii`` otherwise.

    Started with ``LANG=C``, Python coerces the locale to UTF-8 and sets ``LC_CTYPE=C.UTF-8``
    in its own environment (PEP 538), and its streams become UTF-8; that footprint (no
    ``LC_ALL``, a coerced ``LC_CTYPE``, a C ``LANG``) still means the user's locale is C.
    """
    if (
        not env.get("LC_ALL")
        and env.get("LC_CTYPE") in COERCED_CTYPES
        and env.get("LANG", "") in C_LOCALES
    ):
        return "ascii"
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name)
        if value:
            return "unicode" if "UTF8" in value.upper().replace("-", "") else "ascii"
    return "unicode" if encoding.lower().replace("-", "") == "utf8" else "ascii"


def cell_width(char: str) -> int:
    """Cells a terminal gives ``char``: 0 for combining marks, 2 for wide East Asian
    characters and emoji, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@lru_cache(maxsize=4096)
def ascii_char(char: str) -> str:
    """The ASCII stand-in for one character, as wide as the character itself."""
    if char < "\x80":
        return char
    found = STAND_INS.get(char)
    if found is not None:
        return found
    width = cell_width(char)
    if width == 0:
        return ""
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
        return "-" if horizontal and not vertical else "|" if vertical and not horizontal else "+"
    if "BLOCK" in name or "SHADE" in name:
        return "#" * width
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if c < "\x80")
    if width == 1 and len(base) == 1:
        return base
    return "?" * width


def to_ascii(text: str) -> str:
    """``text`` in ASCII, every character replaced by a stand-in of the same width."""
    if text.isascii():
        return text
    return "".join(ascii_char(char) for char in text)


def for_charset(text: str, charset: Charset) -> str:
    """``text`` as the terminal can show it."""
    return to_ascii(text) if charset == "ascii" else text
