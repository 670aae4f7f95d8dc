"""The usage summary: a small JSON file the statusline answers from without DuckDB.

The explorer, live mode and ``tokentree export`` write it whenever they have read the logs (see
:mod:`tokentree.service.collect`); ``tokentree statusline`` reads it and adds the tail of the
current session's transcript. It holds the current day's, week's and month's totals, the calls
of the trailing five hours by source and minute (burn rate, 5-hour windows), where each plan's
current block began, the recently active sessions with how far each file was read, the rates
of their models, the official limit readings and the configured budgets.

One file per data set (the roots and sources asked for) in the cache directory; written whole
or not at all. Stdlib only.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from tokentree.model.blocks import Point
from tokentree.model.callcost import CompactRates
from tokentree.model.usage import UNITS_PER_USD
from tokentree.service.limits import Reading

VERSION = 2
FAMILIES = {"claude": "Claude", "codex": "Codex"}
"""Sources whose plans meter usage in 5-hour windows, by name → label. Each has its own
window (Claude's is Anthropic's, Codex's OpenAI's); other sources count everywhere else."""


class PeriodTotals(NamedTuple):
    tokens: int = 0
    cost_units: int = 0
    calls: int = 0
    unpriced: int = 0

    def __add__(self, other: PeriodTotals) -> PeriodTotals:
        return PeriodTotals(
            self.tokens + other.tokens,
            self.cost_units + other.cost_units,
            self.calls + other.calls,
            self.unpriced + other.unpriced,
        )

    @property
    def cost_usd(self) -> float:
        return self.cost_units / UNITS_PER_USD


class SessionSummary(NamedTuple):
    id: str
    source: str
    project: str
    totals: PeriodTotals
    last: float
    """The last call (POSIX seconds)."""
    files: dict[str, int] = {}  # noqa: RUF012 - never mutated
    """Its files: path → bytes read when the summary was written."""
    recent: dict[str, tuple[int, int]] = {}  # noqa: RUF012 - never mutated
    """Its last calls: id → (tokens, cost units); a tail may hold a later copy of one."""

    def main_file(self) -> str | None:
        """The session's own transcript (not a subagent's): named after the session, else the
        largest read."""
        for path in self.files:
            if os.path.splitext(os.path.basename(path))[0] == self.id:
                return path
        return max(self.files, key=lambda p: self.files[p], default=None)


class TimePoint(NamedTuple):
    """A source's calls of one minute as the summary keeps them (the windows count whole
    minutes, :class:`~tokentree.model.blocks.Point`): the first call's time, tokens, cost
    units, source, the number of calls and the last one's time (None: one call)."""

    at: float
    tokens: int
    cost_units: int
    source: str
    calls: int = 1
    last: float | None = None

    @property
    def point(self) -> Point:
        return Point(self.at, self.tokens, self.cost_units, self.calls, self.last)

    def to_json(self) -> list[Any]:
        head = [self.at, self.tokens, self.cost_units, self.source]
        return head if self.last is None and self.calls == 1 else [*head, self.calls, self.last]

    @classmethod
    def from_json(cls, value: list[Any]) -> TimePoint:
        at, tokens, units, source, *rest = value
        calls, last = rest if rest else (1, None)
        return cls(
            float(at),
            int(tokens),
            int(units),
            str(source),
            int(calls),
            None if last is None else float(last),
        )


class Summary(NamedTuple):
    written_at: float
    zone: str
    """The IANA time zone of the periods."""
    day: str
    week: str
    month: str
    today: PeriodTotals
    this_week: PeriodTotals
    this_month: PeriodTotals
    points_since: float
    """:attr:`points` holds every call since then, by source and minute (at most 300 a
    source: the size of the summary does not grow with the rate of calls)."""
    points: tuple[TimePoint, ...] = ()
    block_starts: dict[str, float] = {}  # noqa: RUF012 - never mutated
    """Per windowed source, the start of the block holding its latest call."""
    sessions: dict[str, SessionSummary] = {}  # noqa: RUF012 - never mutated
    latest: str | None = None
    """The most recently active session."""
    rates: dict[str, CompactRates] = {}  # noqa: RUF012 - never mutated
    readings: tuple[Reading, ...] = ()
    """Official limit readings the logs carry (``raw_limits``)."""
    budgets: dict[str, float] = {}  # noqa: RUF012 - never mutated
    """``[budget]`` limits: ``daily_usd`` … ``block_tokens`` (absent: none)."""
    basis: str = ""
    """What it was collected from (a key of the saved data, view, prices and budgets; empty
    when unnamed): a writer with the same basis on the same day has nothing new to say."""


# ---------------------------------------------------------------------------- JSON


def _totals(value: Any) -> PeriodTotals:
    if isinstance(value, list) and len(value) == 4:
        return PeriodTotals(*(int(v) for v in value))
    return PeriodTotals()


def _rates_json(rates: CompactRates) -> list[Any]:
    long = list(rates.long_context) if rates.long_context else None
    return [list(rates.base), long, rates.threshold, rates.fast_micro, rates.per_type]


def _rates(value: Any) -> CompactRates | None:
    try:
        base, long, threshold, fast, per_type = value
        return CompactRates(
            tuple(int(v) for v in base),
            tuple(int(v) for v in long) if long else None,
            int(threshold),
            int(fast),
            bool(per_type),
        )
    except (TypeError, ValueError):
        return None


def dumps(summary: Summary) -> str:
    data = {
        "version": VERSION,
        "written_at": summary.written_at,
        "zone": summary.zone,
        "day": summary.day,
        "week": summary.week,
        "month": summary.month,
        "today": _list(summary.today),
        "this_week": _list(summary.this_week),
        "this_month": _list(summary.this_month),
        "points_since": summary.points_since,
        "points": [p.to_json() for p in summary.points],
        "block_starts": summary.block_starts,
        "sessions": {
            s.id: {
                "source": s.source,
                "project": s.project,
                "totals": _list(s.totals),
                "last": s.last,
                "files": s.files,
                "recent": {k: list(v) for k, v in s.recent.items()},
            }
            for s in summary.sessions.values()
        },
        "latest": summary.latest,
        "rates": {model: _rates_json(r) for model, r in summary.rates.items()},
        "readings": [r.to_json() for r in summary.readings],
        "budgets": summary.budgets,
        "basis": summary.basis,
    }
    return json.dumps(data, separators=(",", ":"))


def _list(totals: PeriodTotals) -> list[int]:
    return [totals.tokens, totals.cost_units, totals.calls, totals.unpriced]


def loads(text: str) -> Summary | None:
    """The summary in ``text``; None when it is unreadable or of another version."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        sessions = {
            sid: SessionSummary(
                sid,
                str(s["source"]),
                str(s["project"]),
                _totals(s["totals"]),
                float(s["last"]),
                {str(p): int(o) for p, o in s["files"].items()},
                {str(k): (int(v[0]), int(v[1])) for k, v in s["recent"].items()},
            )
            for sid, s in data["sessions"].items()
        }
        rates = {str(m): r for m, v in data["rates"].items() if (r := _rates(v)) is not None}
        return Summary(
            written_at=float(data["written_at"]),
            zone=str(data["zone"]),
            day=str(data["day"]),
            week=str(data["week"]),
            month=str(data["month"]),
            today=_totals(data["today"]),
            this_week=_totals(data["this_week"]),
            this_month=_totals(data["this_month"]),
            points_since=float(data["points_since"]),
            points=tuple(TimePoint.from_json(value) for value in data["points"]),
            block_starts={str(k): float(v) for k, v in data["block_starts"].items()},
            sessions=sessions,
            latest=data.get("latest") if isinstance(data.get("latest"), str) else None,
            rates=rates,
            readings=tuple(r for v in data["readings"] if (r := Reading.from_json(v))),
            budgets={
                str(k): float(v)
                for k, v in data["budgets"].items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            },
            basis=data["basis"] if isinstance(data.get("basis"), str) else "",
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# ---------------------------------------------------------------------------- files


def data_set_key(roots: Sequence[Any], sources: Iterable[str], demo: bool) -> str:
    """Which data set a summary describes: ``default`` for the default locations and every
    source, else a hash of the ``--root`` arguments (``Path`` or ``(source, Path)``), the
    ``--source`` names and ``--demo``."""
    names = sorted(sources)
    if not roots and not names and not demo:
        return "default"
    parts = []
    for root in roots:
        name, path = root if isinstance(root, tuple) else ("", root)
        parts.append(f"{name}={os.path.realpath(os.path.expanduser(str(path)))}")
    import hashlib

    text = json.dumps([sorted(parts), names, bool(demo)])
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def summary_file(cache_dir: str | os.PathLike[str], key: str) -> str:
    """Where the summary of data set ``key`` lives (paths are strings here: ``pathlib`` is a
    noticeable share of a statusline run)."""
    return os.path.join(cache_dir, "summary.json" if key == "default" else f"summary-{key}.json")


def read_text(path: str | os.PathLike[str]) -> str | None:
    """The UTF-8 text of ``path``; None when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def load(path: str | os.PathLike[str]) -> Summary | None:
    text = read_text(path)
    return None if text is None else loads(text)


def save(summary: Summary, path: str | os.PathLike[str]) -> bool:
    """Write ``summary`` whole or not at all; False when it could not be written."""
    return write_atomically(path, dumps(summary))


def write_atomically(path: str | os.PathLike[str], text: str) -> bool:
    directory, name = os.path.split(os.fspath(path))
    partial = os.path.join(directory, f".{name}.{os.getpid()}.part")
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        return False
    return True
