"""User settings from ``config.toml`` (see docs/configuration.md).

Unknown keys are rejected with the list of valid ones, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokentree import paths


class ConfigError(ValueError):
    """The config file cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Budgets:
    """``[budget]``: spending limits that raise alerts at 50, 80 and 100 % (None: no limit)."""

    daily_usd: float | None = None
    weekly_usd: float | None = None
    monthly_usd: float | None = None
    block_tokens: int | None = None
    """Tokens per 5-hour block (of each plan with such windows: Claude, Codex)."""
    bell: bool = False
    """Ring the terminal bell with an alert."""

    @property
    def any(self) -> bool:
        return any(
            v is not None
            for v in (self.daily_usd, self.weekly_usd, self.monthly_usd, self.block_tokens)
        )


@dataclass(slots=True)
class Settings:
    theme: str = "tokentree-dark"
    timezone: str | None = None
    """IANA zone for days and weeks; None = the system's zone."""
    pricing_models: dict[str, dict[str, float]] = field(default_factory=dict)
    """Price overrides per model, USD per million tokens."""
    long_context: str = "request"
    """``request`` (Anthropic's rule) or ``per-type`` (ccusage's approximation)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys, e.g. ``{"tokentree.quit": "q,ctrl+c"}``."""
    bars: str = "auto"
    """``auto``, ``unicode`` or ``ascii`` bar glyphs."""
    activity_rules: dict[str, str] = field(default_factory=dict)
    """Extra tool-name → activity category mappings."""
    plan_name: str | None = None
    plan_monthly_usd: float | None = None
    feeds: list[str] = field(default_factory=list)
    """Globs of extra JSONL usage feeds (the ``jsonl`` source; docs/data-sources.md)."""
    budget: Budgets = field(default_factory=lambda: Budgets())
    path: Path | None = None
    """The file these settings came from (None = defaults)."""


KEYMAP_IDS = frozenset(
    f"tokentree.{name}"
    for name in (
        "cursor-up",
        "cursor-down",
        "page-up",
        "page-down",
        "first",
        "last",
        "open",
        "up",
        "sort-tokens",
        "sort-cost",
        "sort-time",
        "sort-children",
        "sort-cache-hit",
        "measure",
        "graph",
        "info",
        "filter",
        "clear-filter",
        "export",
        "reload",
        "live",
        "live-pane",
        "live-export",
        "live-open",
        "demo",
        "sources",
        "toggle-source",
        "apply-sources",
        "cancel-sources",
        "close",
        "scroll-up",
        "scroll-down",
        "help",
        "quit",
        "interrupt",
    )
)
"""The binding ids ``[keymap]`` accepts: the explorer's key registry (``tokentree/ui/bindings.py``)
without importing the UI; a test keeps the two equal."""

_SECTIONS: dict[str, set[str]] = {
    "": {"theme", "timezone", "bars", "feeds"},
    "pricing": {"long_context", "models"},
    "keymap": set(KEYMAP_IDS),
    "activity": {"tools"},
    "plan": {"name", "monthly_usd"},
    "budget": {"daily_usd", "weekly_usd", "monthly_usd", "block_tokens", "bell"},
}


def load(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default: the user config file); defaults if it does not exist."""
    path = path or paths.config_file()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    return parse(data, path)


def _check_keys(where: str, table: dict[str, Any], allowed: set[str], path: Path | None) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        name = f"[{where}]" if where else "top level"
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(unknown)} in {name}; "
            f"valid: {', '.join(sorted(allowed))}"
        )


def parse(data: dict[str, Any], path: Path | None = None) -> Settings:
    settings = Settings(path=path)
    top_level = {k: v for k, v in data.items() if not isinstance(v, dict)}
    _check_keys("", top_level, _SECTIONS[""], path)
    _check_keys(
        "", {k: v for k, v in data.items() if isinstance(v, dict)}, set(_SECTIONS) - {""}, path
    )
    settings.theme = str(data.get("theme", settings.theme))
    settings.timezone = data.get("timezone")
    settings.bars = str(data.get("bars", settings.bars))
    if settings.bars not in ("auto", "unicode", "ascii"):
        raise ConfigError(f"{path}: bars must be auto, unicode or ascii")
    pricing = data.get("pricing", {})
    _check_keys("pricing", pricing, _SECTIONS["pricing"], path)
    settings.long_context = str(pricing.get("long_context", settings.long_context))
    if settings.long_context not in ("request", "per-type"):
        raise ConfigError(f"{path}: pricing.long_context must be 'request' or 'per-type'")
    settings.pricing_models = {str(k): dict(v) for k, v in pricing.get("models", {}).items()}
    keymap = data.get("keymap", {})
    _check_keys("keymap", keymap, _SECTIONS["keymap"], path)
    settings.keymap = {str(k): str(v) for k, v in keymap.items()}
    activity = data.get("activity", {})
    _check_keys("activity", activity, _SECTIONS["activity"], path)
    from tokentree.model.activity import validate_rules

    try:
        settings.activity_rules = validate_rules(
            {str(k): str(v) for k, v in activity.get("tools", {}).items()}
        )
    except ValueError as error:
        raise ConfigError(f"{path}: [activity.tools]: {error}") from error
    plan = data.get("plan", {})
    _check_keys("plan", plan, _SECTIONS["plan"], path)
    settings.plan_name = plan.get("name")
    if "monthly_usd" in plan:
        try:
            settings.plan_monthly_usd = float(plan["monthly_usd"])
        except (TypeError, ValueError) as error:
            raise ConfigError(f"{path}: plan.monthly_usd must be a number") from error
    settings.feeds = _feeds(data.get("feeds", []), path)
    budget = data.get("budget", {})
    _check_keys("budget", budget, _SECTIONS["budget"], path)
    settings.budget = _budgets(budget, path)
    return settings


def _positive(table: dict[str, Any], key: str, path: Path | None) -> float | None:
    if key not in table:
        return None
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(f"{path}: budget.{key} must be a positive number")
    return float(value)


def _budgets(table: dict[str, Any], path: Path | None) -> Budgets:
    """``[budget]``: positive limits, and ``bell`` a boolean."""
    bell = table.get("bell", False)
    if not isinstance(bell, bool):
        raise ConfigError(f"{path}: budget.bell must be true or false")
    tokens = _positive(table, "block_tokens", path)
    return Budgets(
        daily_usd=_positive(table, "daily_usd", path),
        weekly_usd=_positive(table, "weekly_usd", path),
        monthly_usd=_positive(table, "monthly_usd", path),
        block_tokens=int(tokens) if tokens is not None else None,
        bell=bell,
    )


def _feeds(value: Any, path: Path | None) -> list[str]:
    """``feeds``: a list of non-empty path globs (``~`` allowed)."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: feeds must be a list of paths or globs (strings)")
    return [v.strip() for v in value]
