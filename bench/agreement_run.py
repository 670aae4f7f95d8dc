"""How the agreement scripts run: their command lines, the homes they fill (a fixture copied, a
plan written), and one comparison per home — either columns (tokentree, ``ccusage rule``,
ccusage, the plan) or ccusage − tokentree split by cause. Each script brings its source's parts:
where the data sits under a home, and ccusage's rule recomputed from the files."""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType

from bench import agreement as ag
from bench.agreement_table import column_table
from bench.plan import Plan, Shape, make_plan

Place = Callable[[Path], object]
"""Fills a home with a data set."""
Case = tuple[str, Place]
"""A data set: its title and how to place it in a home."""
MARCH = date(2026, 3, 1)
"""Where the column scripts' generated histories start."""


def generate(
    writer: ModuleType,
    home: Path,
    *,
    seed: int,
    sessions: int,
    start: date,
    days: int,
    shape: Shape | None = None,
) -> tuple[Plan, list[Path]]:
    """A plan drawn from ``seed`` and written under ``home`` by ``writer``; (plan, files)."""
    rng = random.Random(seed)
    plan = make_plan(rng, shape or writer.SHAPE, sessions=sessions, start=start, days=days)
    return plan, writer.write(plan, home, rng)


def copied(source: Path, *parts: str | Path) -> Place:
    """Places a fixture directory at ``<home>/<parts…>``."""
    return lambda home: shutil.copytree(source, home.joinpath(*parts))


@contextmanager
def scratch_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as scratch:
        yield Path(scratch)


def compare_columns(
    title: str,
    source: str,
    home: Path,
    roots: Path | Sequence[Path],
    rule: ag.Days,
    peer: Path,
    truth: ag.Days | None = None,
    extra: dict[str, ag.Days] | None = None,
) -> None:
    """One table: the plan, tokentree on ``roots``, ``extra`` columns, ccusage's rule and
    ccusage (when ``peer`` exists) on ``home``."""
    columns: dict[str, ag.Days] = {} if truth is None else {"plan": truth}
    columns["tokentree"] = ag.tokens_only(ag.tokentree_days(source, roots, home))
    columns.update(extra or {})
    columns["ccusage rule"] = rule
    if peer.exists():
        columns["ccusage"] = ag.ccusage_days(peer, source, home)
    column_table(title, columns)
    if truth is not None:
        print(f"tokentree equals the plan on every day: {columns['tokentree'] == truth}")


def run_columns(
    argv: list[str] | None,
    doc: str,
    *,
    source: str,
    writer: ModuleType,
    roots: Callable[[Path], Path | Sequence[Path]],
    rule: Callable[[Path], ag.Days],
    cases: Sequence[Case] = (),
    seed: int = 5,
    extra: Callable[[Path], dict[str, ag.Days]] | None = None,
) -> int:
    """``[--ccusage PATH] [--seed N] [--sessions N]``: a table per case, then one for a history
    of 10 days from 2026-03-01 written by ``writer``. ``roots`` and ``rule`` are given a home."""
    args = column_arguments(doc, seed).parse_args(argv)

    def compare(title: str, home: Path, truth: ag.Days | None = None) -> None:
        more = extra(home) if extra else None
        compare_columns(title, source, home, roots(home), rule(home), args.ccusage, truth, more)

    for title, place in cases:
        with scratch_home() as home:
            place(home)
            compare(title, home)
    with scratch_home() as home:
        plan, _ = generate(
            writer, home, seed=args.seed, sessions=args.sessions, start=MARCH, days=10
        )
        title = f"Generated history (seed {args.seed}, {args.sessions} sessions)"
        compare(title, home, ag.tokens_only(plan.day_totals()))
    return 0


def column_arguments(doc: str, seed: int = 5) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--ccusage", type=Path, default=ag.PEER)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--sessions", type=int, default=30)
    return parser
