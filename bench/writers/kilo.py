"""Writes a :class:`bench.plan.Plan` as Kilo data under ``home/.local/share/kilo``.

Kilo (the Kilo Code CLI) is a fork of OpenCode that kept OpenCode's storage, so this writer is
OpenCode's (:mod:`bench.writers.opencode`: multi-step messages whose own ``tokens`` hold the last
step only, three token dialects, forks, subagents, the legacy JSON tree and a migration copy,
epoch seconds, malformed ``data`` blobs) with Kilo's names and schema:

* ``kilo.db`` and a channel build's ``kilo-beta.db`` instead of ``opencode.db`` /
  ``opencode-beta.db``;
* Kilo's tables (``packages/opencode/src/session/session.sql.ts`` in Kilo-Org/kilocode): its
  ``session`` adds ``current_state``/``recent_progress`` and has no per-session token columns;
  there is no ``session_message`` table (Kilo's ``session_entry`` log is written empty), so the
  session OpenCode's writer puts in v2 rows is written as ordinary message rows.

Per-day totals equal the plan's exactly (the plan is the truth).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from bench.plan import Plan
from bench.writers import opencode
from bench.writers.opencode import SHAPE as SHAPE  # Kilo runs the same providers' models

SCHEMA = """
CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT, name TEXT,
    icon_url TEXT, icon_color TEXT, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL,
    time_initialized INTEGER, sandboxes TEXT NOT NULL DEFAULT '[]');
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, workspace_id TEXT,
    parent_id TEXT, slug TEXT NOT NULL, directory TEXT NOT NULL, title TEXT NOT NULL,
    version TEXT NOT NULL, share_url TEXT, summary_additions INTEGER, summary_deletions INTEGER,
    summary_files INTEGER, summary_diffs TEXT, revert TEXT, permission TEXT, current_state TEXT,
    recent_progress TEXT, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL,
    time_compacting INTEGER, time_archived INTEGER);
CREATE INDEX session_parent_idx ON session (parent_id);
"""
SCHEMA += opencode.MESSAGE_TABLES
SCHEMA += """
CREATE TABLE todo (session_id TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL,
    priority TEXT NOT NULL, position INTEGER NOT NULL, time_created INTEGER NOT NULL,
    time_updated INTEGER NOT NULL, PRIMARY KEY (session_id, position));
CREATE TABLE session_entry (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, type TEXT NOT NULL,
    time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE permission (project_id TEXT PRIMARY KEY, time_created INTEGER NOT NULL,
    time_updated INTEGER NOT NULL, data TEXT NOT NULL);
"""


class _KiloWriter(opencode._Writer):
    schema = SCHEMA
    root_name = "kilo"

    def _insert_v2(self, connection: sqlite3.Connection, session: opencode._Session) -> None:
        self._insert(connection, session)


def write(plan: Plan, home: Path, rng: random.Random, *, legacy: bool = True) -> list[Path]:
    """Write ``plan`` as Kilo data under ``home`` (plays ``$HOME``); returns the files."""
    return _KiloWriter(plan, home, rng, legacy).write()
