"""What a wire log's path and its share directory say about its lines (the engine's
``file_context``): the session, the subagent, the model, the working directory."""

from __future__ import annotations

import os
from collections.abc import Sequence

from tokentree.data.sources.kimi import config
from tokentree.data.sources.kimi.paths import place

CONTEXT_FIELDS = ("session_id", "agent_id", "model", "cwd", "project")
"""What :func:`file_context` returns, in order (``stage.sql`` addresses them by position)."""
IMPORTED_PROJECT = "imported"


def file_context(path: str) -> Sequence[str | None]:
    found = place(path)
    if found is None:
        return [None] * len(CONTEXT_FIELDS)
    cwd = config.work_dir(found.share, found.work_dir)
    if cwd is not None:
        project: str | None = os.path.basename(cwd.rstrip("/\\")) or cwd
    elif found.work_dir is None:
        project = IMPORTED_PROJECT
    else:
        project = found.work_dir[:8]
    return [found.session, found.agent, config.model(found.share), cwd, project]


def index(name: str) -> int:
    return CONTEXT_FIELDS.index(name) + 1
