"""Which model a Codex request billed as, when the log does not say it plainly.

* ``codex-auto-review`` is the pseudo-model of Codex's automatic approval reviewer; it runs on
  the default Codex model of the day, so it is priced as that model (the release dates of the
  defaults below; the same mapping ccusage uses, formats.md P-X8).
* Builds of early September 2025 wrote no ``turn_context.model``; their default was ``gpt-5``.
"""

from __future__ import annotations

AUTO_REVIEW = "codex-auto-review"
FALLBACK_MODEL = "gpt-5"

DEFAULT_MODELS: tuple[tuple[str, str], ...] = (
    ("2025-08-07", "gpt-5"),
    ("2025-09-15", "gpt-5-codex"),
    ("2025-11-13", "gpt-5.1-codex"),
    ("2025-12-11", "gpt-5.2-codex"),
    ("2026-02-05", "gpt-5.3-codex"),
    ("2026-03-05", "gpt-5.4"),
    ("2026-04-23", "gpt-5.5"),
)
"""(release date, model): Codex's default model from that day on."""


def sql_lists() -> dict[str, str]:
    """The table as SQL list literals for ``setup.sql``."""
    return {
        "review_dates": "[" + ", ".join(f"'{day}'" for day, _ in DEFAULT_MODELS) + "]",
        "review_models": "[" + ", ".join(f"'{model}'" for _, model in DEFAULT_MODELS) + "]",
    }
