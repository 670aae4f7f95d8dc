"""Human labels of tree nodes (the export's ``label`` and the explorer's first column)."""

from __future__ import annotations

import re
from datetime import date, datetime

SNIPPET = 48
_DATE_SUFFIX = re.compile(r"-\d{8}$")


def snippet(text: str | None, limit: int = SNIPPET) -> str:
    """A one-line excerpt of a prompt: whitespace collapsed, cut with an ellipsis."""
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def short_model(model: str | None) -> str:
    """``claude-sonnet-4-5-20250929`` → ``sonnet-4-5``, ``openrouter/anthropic/claude-opus-4``
    → ``opus-4`` (the provider path is in the call's info); unknown shapes are kept."""
    if not model:
        return "?"
    name = model.rsplit("/", 1)[-1].removeprefix("claude-")
    return _DATE_SUFFIX.sub("", name)


def week_monday(week_id: str) -> date:
    year, week = week_id.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def week_label(week_id: str) -> str:
    monday = week_monday(week_id)
    sunday = date.fromordinal(monday.toordinal() + 6)
    if monday.month == sunday.month:
        span = f"{monday:%b} {monday.day}–{sunday.day}"
    else:
        span = f"{monday:%b} {monday.day} – {sunday:%b} {sunday.day}"
    return f"{week_id} · {span}"


def day_label(day: date) -> str:
    return f"{day.isoformat()} {day:%a}"


def project_name(cwd: str | None) -> str:
    if not cwd:
        return "?"
    parts = [p for p in re.split(r"[\\/]", cwd) if p]
    return parts[-1] if parts else cwd


def session_label(project: str, first_prompt: str | None, start: datetime | None) -> str:
    parts = [project]
    if first_prompt:
        parts.append(f'"{snippet(first_prompt, 40)}"')
    if start is not None:
        parts.append(f"{start:%H:%M}")
    return " · ".join(parts)


def turn_label(prompt: str | None, kind: str | None, at: datetime | None) -> str:
    if kind is None:
        text = "(before the first prompt)"
    elif kind == "command":
        text = snippet(prompt) or "(command)"
    else:
        text = f'"{snippet(prompt)}"' if prompt else "(prompt)"
    return f"{text} · {at:%H:%M}" if at is not None else text


def call_label(at: datetime | None, model: str | None, tools: list[str]) -> str:
    parts = [f"{at:%H:%M:%S}" if at is not None else "?", short_model(model)]
    if tools:
        shown = ", ".join(dict.fromkeys(tools))
        parts.append(snippet(shown, 40))
    return " · ".join(parts)
