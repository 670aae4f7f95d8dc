"""A history being written: generated transcripts copied into a live tree piece by piece, with
rewrites, truncations and deletions, so an incremental refresh can be compared with a build
from scratch (tests/data/test_incremental.py, bench/live_bench.py reuses nothing of it)."""

from __future__ import annotations

import io
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.plan import Shape, make_plan
from bench.writers import codex as codex_writer
from bench.writers import gemini as gemini_writer
from bench.writers import jsonl as jsonl_writer
from tokentree.data.store.derived import PERSISTED
from tokentree.data.store.store import UsageStore
from tokentree.data.tree.export import write_export
from tokentree.data.workspace import Options, Workspace

RAW = ("raw_calls", "raw_prompts", "raw_events", "raw_agents", "raw_limits")
MEMOS = {"activity_map"}
"""Lookups a delta only adds to (each tool input's category, once seen): not compared."""
DERIVED = (
    "calls",
    "prompts",
    *(table for tables in PERSISTED.values() for table in tables if table not in MEMOS),
)
"""Every other derived table: a delta must leave each equal to a full build."""
FEED_SHAPE = Shape(models=(("gpt-4.1", 3), ("claude-sonnet-4-5", 2)), cache_writes=True)
CODEX_SHAPE = Shape(models=(("gpt-5.3-codex", 3), ("gpt-5.1-codex-mini", 1)))


def make_targets(out: Path, seed: int) -> dict[str, Path]:
    """The finished history the live tree grows towards: Claude Code transcripts with every
    quirk, Codex CLI rollouts (forks, subagents, recompressed and archived copies), Gemini CLI
    chats (streaming and legacy) and a JSONL feed. Returns each source's root."""
    from bench.corpus import generate

    generate(out / "claude", profile="quirks", seed=seed)
    rng = random.Random(seed)
    gemini_home = out / "gemini"
    plan = make_plan(rng, gemini_writer.SHAPE, sessions=8, start=date(2026, 11, 1), days=4)
    gemini_writer.write(plan, gemini_home, rng)
    feeds = out / "feeds"
    plan = make_plan(rng, FEED_SHAPE, sessions=6, start=date(2026, 11, 2), days=3)
    jsonl_writer.write(plan, feeds, rng)
    codex_home = out / "codex"
    plan = make_plan(rng, CODEX_SHAPE, sessions=6, start=date(2026, 11, 1), days=4)
    codex_writer.write(plan, codex_home, rng)
    return {
        "claude": out / "claude" / ".claude" / "projects",
        "codex": codex_home / ".codex",
        "gemini": gemini_home,
        "jsonl": feeds / jsonl_writer.FEEDS,
    }


@dataclass
class LiveTree:
    """The live copy: each target file present as some prefix of itself (or absent)."""

    targets: dict[str, Path]
    live: Path
    rng: random.Random
    content: dict[Path, bytes] = field(default_factory=dict)
    """Target bytes by live path."""

    def __post_init__(self) -> None:
        from tokentree.data import sources

        for name, root in self.targets.items():
            source = sources.get(name)
            for path in sorted(root.rglob("*")):
                if not path.is_file():
                    continue
                live = self.live / name / path.relative_to(root)
                if source.match(str(live)) is None:
                    # a sidecar read beside the logs (Gemini's .project_root): there from the
                    # start, as a change to one alone is no change of the logs (walk or live)
                    self._write(live, path.read_bytes())
                else:
                    self.content[live] = path.read_bytes()
        self.files = sorted(self.content)

    def roots(self) -> list[tuple[str, Path]]:
        return [(name, self.live / name) for name in self.targets]

    def seed(self, share: float) -> None:
        for path in self.files:
            if self.rng.random() < share:
                self._write(path, self._cut(path, self.rng.random()))

    # ---------------------------------------------------------------- operations

    def step(self) -> set[Path]:
        """One to four random operations; returns the paths they touched."""
        touched: set[Path] = set()
        for _ in range(self.rng.randint(1, 4)):
            touched |= self._operation()
        return touched

    def _operation(self) -> set[Path]:
        present = [p for p in self.files if p.exists()]
        growing = [p for p in present if p.stat().st_size < len(self.content[p])]
        absent = [p for p in self.files if not p.exists()]
        roll = self.rng.random()
        if roll < 0.55 and growing:
            return self._append(self.rng.choice(growing))
        if roll < 0.7 and absent:
            path = self.rng.choice(absent)
            self._write(path, self._cut(path, self.rng.random()))
            return {path}
        if roll < 0.8 and present:
            path = self.rng.choice(present)
            return self._rewrite(path)
        if roll < 0.88 and present:
            path = self.rng.choice(present)
            path.unlink()
            return {path}
        if present:  # a whole file written at once (a store document, a finished transcript)
            path = self.rng.choice(present)
            self._write(path, self.content[path])
            return {path}
        return set()

    def _append(self, path: Path) -> set[Path]:
        size = path.stat().st_size
        target = self.content[path]
        end = self._next_cut(target, size)
        with open(path, "ab") as handle:
            handle.write(target[size:end])
        return {path}

    def growing(self, path: Path) -> bool:
        return path.stat().st_size < len(self.content[path])

    def append_lines(self, path: Path, count: int) -> set[Path]:
        """The next ``count`` whole lines of ``path`` (as an assistant writes them)."""
        size = path.stat().st_size
        target = self.content[path]
        end = size
        for _ in range(count):
            newline = target.find(b"\n", end)
            end = len(target) if newline < 0 else newline + 1
        with open(path, "ab") as handle:
            handle.write(target[size:end])
        return {path}

    def _rewrite(self, path: Path) -> set[Path]:
        """Shorter (truncated, compacted), or with an earlier line gone (a replaced file)."""
        data = path.read_bytes()
        lines = data.splitlines(keepends=True)
        if len(lines) > 2 and self.rng.random() < 0.5:
            del lines[self.rng.randrange(len(lines) - 1)]
            self._write(path, b"".join(lines))
        else:
            self._write(path, data[: self.rng.randrange(len(data) + 1)])
        return {path}

    def _cut(self, path: Path, share: float) -> bytes:
        data = self.content[path]
        return data[: self._next_cut(data, int(len(data) * share))]

    def _next_cut(self, data: bytes, start: int) -> int:
        """After the next 1..20 lines; sometimes inside a line."""
        end = start
        for _ in range(self.rng.randint(1, 20)):
            newline = data.find(b"\n", end)
            end = len(data) if newline < 0 else newline + 1
        if self.rng.random() < 0.25 and end > start + 1:
            end = self.rng.randrange(start + 1, end)
        return end

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # as editors and some tools do: a new inode


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# -------------------------------------------------------------------- comparing


def open_workspace(roots: list[tuple[str, Path]], **options: Any) -> Workspace:
    return Workspace(Options(roots=list(roots), tz="UTC", **options))


def bring_up_to_date(store: UsageStore, workspace: Workspace) -> None:
    """Every derived table current: levels, activity and the insight tables."""
    store.build(workspace.view)
    store.derived.ensure_days()
    store.derived.ensure_insights(workspace.options.settings.activity_rules, store.prices)


def rebuilt_from_raw(workspace: Workspace) -> UsageStore:
    """A fresh store holding a copy of the workspace's raw tables, every table built in full."""
    reference = UsageStore()
    reference.set_prices(workspace.store.prices)
    reference.set_device(workspace.device)  # what its own rows are labelled with
    source = workspace.store.cursor()
    target = reference.cursor()
    for table in RAW:
        target.register("raw_rows", source.sql(f"SELECT * FROM {table}").to_arrow_table())
        target.execute(f"INSERT INTO {table} SELECT * FROM raw_rows")
        target.unregister("raw_rows")
    for table in ("files", "archived_files"):  # the manifests: files on disk, archived files
        target.register("raw_rows", source.sql(f"SELECT * FROM {table}").to_arrow_table())
        target.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM raw_rows")
        target.unregister("raw_rows")
    bring_up_to_date(reference, workspace)
    return reference


EXPORTED_AT = datetime(2026, 12, 1, tzinfo=UTC)
"""The export's ``generated_at`` in comparisons (the only field that differs between runs)."""


def export_of(workspace: Workspace) -> dict[str, Any]:
    """The workspace's export as a document, to compare two ways of reaching the same data."""
    out = io.StringIO()
    write_export(
        workspace.store,
        workspace.view,
        out,
        generated_at=EXPORTED_AT,
        settings=workspace.options.settings,
    )
    return json.loads(out.getvalue())


def table_rows(store: UsageStore, table: str) -> list[str]:
    query = f"SELECT * FROM {table}"
    if table == "model_rates":  # a delta adds rates, never removes them: the models in use
        query += (
            " r WHERE EXISTS (SELECT 1 FROM calls c WHERE c.model IS NOT DISTINCT FROM r.model)"
        )
    rows = store.cursor().execute(query).fetchall()
    return sorted(repr(row) for row in rows)


def activity_map_conflicts(store: UsageStore, reference: UsageStore) -> list[Any]:
    """Pairs the full build classifies that the incremental map lacks or classifies otherwise
    (the incremental map may hold more: pairs of calls since deleted)."""
    built = dict(
        ((name, detail), cat)
        for name, detail, cat in store.cursor().execute("SELECT * FROM activity_map").fetchall()
    )
    return [
        row
        for row in reference.cursor().execute("SELECT * FROM activity_map").fetchall()
        if built.get((row[0], row[1])) != row[2]
    ]
