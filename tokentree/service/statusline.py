"""``tokentree statusline``: one short line for shell prompts, tmux and Claude Code's status
line: the session's cost, today's, the 5-hour window's usage and reset time, the burn rate.

It answers from the usage summary the explorer, live mode and export keep (:mod:`.summary`)
plus the calls appended to the current session's transcript since (:mod:`.tail`): no DuckDB,
no Textual, never a scan of the logs. With Claude Code's hook JSON on stdin it also knows the
session, the transcript and Claude Code's own cost and rate limits, and keeps them for live
mode (:mod:`.hook`).

Imports stay few and light: this runs every few seconds. No ``pathlib``, ``platformdirs`` or
``dataclasses`` on this path either (each is a sizeable share of a Python start-up): the
records it reads and computes are named tuples.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from typing import NamedTuple, TextIO
from zoneinfo import ZoneInfo

from tokentree.model import format as fmt
from tokentree.model.callcost import cost_units
from tokentree.model.charset import Charset, detect_charset, for_charset
from tokentree.service import hook as hooks
from tokentree.service import summary as summaries
from tokentree.service.hook import HookInput, Kept, TailMemo
from tokentree.service.summary import PeriodTotals, SessionSummary, Summary, TimePoint
from tokentree.service.tail import read_tail
from tokentree.service.usage_now import UsageNow, WindowState, usage_now

STDIN_WAIT = 0.25
"""Seconds to wait for a hook's JSON on a stdin that is not a terminal."""
SEPARATOR = " · "


class Request(NamedTuple):
    """What the command line asks for."""

    roots: list[str | tuple[str, str]]
    sources: list[str]
    demo: bool = False
    session: str | None = None
    read_stdin: bool = True


USAGE = """\
usage: tokentree statusline [--root [SOURCE=]PATH]... [--source NAME]... [--demo]
                            [--session ID] [--no-input]

One short line: session cost, today, the 5-hour window, burn rate (docs/statusline.md).

options:
  --root [SOURCE=]PATH  the data set's roots, as given to the explorer (repeatable)
  --source NAME         the data set's sources, as given to the explorer (repeatable)
  --demo                the embedded demo's data set
  --session ID          this session when no hook names one (default: the latest)
  --no-input            do not read Claude Code's hook JSON from stdin
"""
VALUED = ("--root", "--source", "--session")
FLAGS = ("--demo", "--no-input")


class UsageError(ValueError):
    """The command line cannot be understood."""


def parse_args(argv: list[str]) -> Request:
    """``[--root [SOURCE=]PATH]… [--source NAME]… [--demo] [--session ID] [--no-input]``: the
    data-set options select the summary (as given to the explorer). Parsed by hand: argparse
    alone costs a noticeable share of a run."""
    values: dict[str, list[str]] = {name: [] for name in VALUED}
    flags: set[str] = set()
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name in VALUED:
            if not eq:
                if not rest:
                    raise UsageError(f"{name} needs a value")
                value = rest.pop(0)
            values[name].append(value)
        elif arg in FLAGS:
            flags.add(arg)
        elif arg in ("-h", "--help"):
            raise UsageError("")
        else:
            raise UsageError(f"unrecognized argument: {arg}")
    roots: list[str | tuple[str, str]] = []
    for text in values["--root"]:
        name, sep, path = text.partition("=")
        roots.append((name, path) if sep and name.isidentifier() and "/" not in name else text)
    session = values["--session"][-1] if values["--session"] else None
    return Request(roots, values["--source"], "--demo" in flags, session, "--no-input" not in flags)


def read_hook(stream: TextIO, now: float, wait: float = STDIN_WAIT) -> HookInput | None:
    """The hook's JSON on ``stream`` when it is a pipe or file with data (never blocks on a
    terminal; waits at most ``wait`` seconds for a pipe to deliver)."""
    try:
        if stream.isatty():
            return None
        import select

        ready, _, _ = select.select([stream], [], [], wait)
        if not ready:
            return None
        text = stream.read()
    except (OSError, ValueError):
        return None
    return hooks.parse_hook(text, now) if text.strip() else None


class SessionNow(NamedTuple):
    id: str | None
    totals: PeriodTotals | None
    """tokentree's totals (summary plus tail); None when the session is unknown."""
    claude_cost: float | None
    """Claude Code's own figure for the session."""
    extra: tuple[TimePoint, ...] = ()
    complete: bool = True


def session_now(
    summary: Summary, kept: Kept, hook: HookInput | None, wanted: str | None
) -> tuple[SessionNow, TailMemo | None]:
    """The current session with its tail read, and the tail memo to keep."""
    sid = (hook.session_id if hook else None) or wanted or summary.latest
    session = summary.sessions.get(sid) if sid else None
    path = (hook.transcript_path if hook else None) or (session.main_file() if session else None)
    note = kept.sessions.get(sid) if sid else None
    claude_cost = hook.cost_usd if hook and hook.session_id == sid else None
    if claude_cost is None and note is not None:
        claude_cost = note.cost_usd
    if sid is None:
        return SessionNow(None, None, claude_cost), kept.tail
    source = session.source if session else "claude"
    if path is None or source != "claude":
        return SessionNow(sid, session.totals if session else None, claude_cost), kept.tail
    base = _read_up_to(session, path) if session else 0
    if base is None:  # a file of the session the summary does not know: leave it alone
        return SessionNow(sid, session.totals if session else None, claude_cost), kept.tail
    memo = kept.tail
    if memo is None or memo.path != path or memo.base != summary.written_at or memo.offset < base:
        memo = TailMemo(path, summary.written_at, base)
    tail = read_tail(path, memo.offset, memo.calls)
    memo = TailMemo(path, summary.written_at, tail.offset, tail.calls)
    extra = tuple(_tail_points(summary, session, memo, source))
    totals = session.totals if session else PeriodTotals()
    for point in extra:
        totals += PeriodTotals(point.tokens, point.cost_units, 1 if point.tokens else 0)
    if session is None and not extra:
        return SessionNow(sid, None, claude_cost, (), tail.complete), memo
    return SessionNow(sid, totals, claude_cost, extra, tail.complete), memo


def _read_up_to(session: SessionSummary, path: str) -> int | None:
    """How far the summary read ``path`` (the hook may name it differently: a symlink, the
    real path); None when it is none of the session's files."""
    if path in session.files:
        return session.files[path]
    real = os.path.realpath(path)
    for known, offset in session.files.items():
        if os.path.realpath(known) == real:
            return offset
    return None


def _tail_points(
    summary: Summary, session: SessionSummary | None, memo: TailMemo, source: str
) -> list[TimePoint]:
    """The tail's calls as time points, less what the summary already counted of them."""
    points = []
    for call in sorted(memo.calls.values(), key=lambda c: c.at):
        rates = summary.rates.get(call.model or "")
        units = cost_units(rates.cost_pusd(call.counts, fast=call.fast)) if rates else 0
        tokens = call.tokens
        known = session.recent.get(call.id) if session else None
        if known is not None:
            tokens, units = max(tokens - known[0], 0), max(units - known[1], 0)
        if tokens or units:
            points.append(TimePoint(call.at, tokens, units, source))
    return points


def _clock(at: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, zone).strftime("%H:%M")


def window_part(window: WindowState | None, now: UsageNow, zone: ZoneInfo, charset: Charset) -> str:
    """``5h 42% ↻17:00`` (official), ``5h 1.1M ↻17:00`` (estimated) or ``5h idle``."""
    if window is None:
        return ""
    reset = "↻" if charset == "unicode" else "@"
    limit = next((b for b in now.budgets if b.scope == window.label), None)
    if window.official is not None:
        used = f"{window.official.used_percent:.0f}%"
    elif window.block is not None:
        used = fmt.human_count(window.block.tokens)
        if limit is not None:
            used += f"/{fmt.human_count(limit.limit)}"
    else:
        return "5h idle"
    resets = window.resets_at
    return f"5h {used} {reset}{_clock(resets, zone)}" if resets else f"5h {used}"


def compose(
    summary: Summary | None,
    session: SessionNow,
    now: UsageNow | None,
    *,
    charset: Charset = "unicode",
    source: str | None = "claude",
) -> str:
    """The line."""
    parts = []
    if session.totals is not None:
        text = f"sess {fmt.usd(session.totals.cost_usd)}"
        if not session.complete:
            text += "+?"
        if session.claude_cost is not None:
            text += f" (cc {fmt.usd(session.claude_cost)})"
        parts.append(text)
    elif session.claude_cost is not None:
        parts.append(f"sess cc {fmt.usd(session.claude_cost)}")
    if summary is None or now is None:
        parts.append("tokentree: no summary yet (open tokentree once)")
        return for_charset(SEPARATOR.join(parts), charset)
    zone = ZoneInfo(summary.zone)
    today = f"today {fmt.usd(now.today.cost_usd)}"
    daily = next((b for b in now.budgets if b.period.value == "daily"), None)
    if daily is not None:
        today += f"/{fmt.usd(daily.limit)}"
    parts.append(today)
    window = window_part(now.window(source), now, zone, charset)
    if window:
        parts.append(window)
    parts.append(f"{fmt.usd(now.burn.usd_per_hour)}/h")
    return for_charset(SEPARATOR.join(parts), charset)


def run(
    request: Request,
    *,
    cache_dir: str | os.PathLike[str],
    stdin: TextIO,
    stdout: TextIO,
    now: float | None = None,
    env: dict[str, str] | None = None,
) -> int:
    """Print the line; keep what the hook said. Never fails: a problem shows in the line."""
    now = time.time() if now is None else now
    hook = read_hook(stdin, now) if request.read_stdin else None
    key = summaries.data_set_key(request.roots, request.sources, request.demo)
    summary = summaries.load(summaries.summary_file(cache_dir, key))
    kept_path = hooks.kept_file(cache_dir)
    kept = loaded = hooks.load(kept_path)
    if hook is not None:
        kept = kept.remember(hook)
    usage = None
    source = "claude" if hook else None
    if summary is not None:
        session, memo = session_now(summary, kept, hook, request.session)
        kept = Kept(kept.readings, kept.sessions, memo)
        usage = usage_now(summary, now, readings=kept.readings, extra=session.extra)
        if source is None and session.id in summary.sessions:
            source = summary.sessions[session.id].source
    else:
        claude_cost = hook.cost_usd if hook else None
        session = SessionNow(hook.session_id if hook else None, None, claude_cost)
    if kept != loaded:
        hooks.save(kept, kept_path)
    charset = detect_charset(os.environ if env is None else env, stdout.encoding or "utf-8")
    stdout.write(compose(summary, session, usage, charset=charset, source=source) + "\n")
    return 0


def main(argv: list[str]) -> int:
    from tokentree import paths

    try:
        request = parse_args(argv)
    except UsageError as error:
        if not str(error):
            sys.stdout.write(USAGE)
            return 0
        sys.stderr.write(f"{USAGE}tokentree statusline: error: {error}\n")
        return 2
    try:
        return run(request, cache_dir=paths.cache_location(), stdin=sys.stdin, stdout=sys.stdout)
    except BrokenPipeError:
        return 0
