"""Fitting text into terminal cells (wide characters count twice), with an ellipsis when cut."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def crop(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + ELLIPSIS if width > 0 else ""


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` cropped or padded to exactly ``width`` cells (``right``: aligned right)."""
    text = crop(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad
