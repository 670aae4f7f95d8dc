"""What live mode watches: the directories discovery walks, and not the bulky trees it skips.

A notification watch costs one kernel watch per directory (inotify's limit is per user, often
8192), so watching a root with its whole tree would also watch what discovery never enters:
OpenCode's ``storage/part`` (a directory per message) and snapshot repositories, the checkout
in ``~/.hermes``, a ``node_modules``. Instead, each directory is watched

* with its whole tree when the last walk entered all of it (nothing under it was pruned by the
  source's ``descend``): a Claude Code ``projects`` directory is one watch request;
* alone otherwise, and each subdirectory the source descends into is planned the same way.

A directory created later inside one watched alone is not covered yet: the watcher asks for a
new plan when it sees one (:func:`tokentree.watch.watch_logs`'s ``replan``). A file root is
covered by its directory, watched alone (its sqlite ``-wal`` lives beside it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tokentree.data.read.discovery import SourceRoot

Target = tuple[Path, bool]
"""A directory and whether its whole tree is watched."""


def watch_targets(roots: Iterable[SourceRoot], pruned: Iterable[str]) -> list[Target]:
    """The watch plan for ``roots``, given the directories the last walk skipped."""
    blocked: set[str] = set()  # directories with a pruned one somewhere below
    for directory in pruned:
        parent = os.path.dirname(directory)
        while parent not in blocked and parent != os.path.dirname(parent):
            blocked.add(parent)
            parent = os.path.dirname(parent)
    skipped = set(pruned)
    planned: dict[str, Target] = {}
    for root in roots:
        if root.path.is_file():
            _add(planned, root.path.parent, False)
        elif root.path.is_dir():
            _plan(root, str(root.path), blocked, skipped, planned)
    return _without_covered(list(planned.values()))


def _plan(
    root: SourceRoot,
    directory: str,
    blocked: set[str],
    skipped: set[str],
    planned: dict[str, Target],
) -> None:
    if directory not in blocked:
        _add(planned, Path(directory), True)
        return
    _add(planned, Path(directory), False)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:
            continue
        if is_dir and entry.path not in skipped and root.source.descend(entry.path):
            _plan(root, entry.path, blocked, skipped, planned)


def _add(planned: dict[str, Target], path: Path, tree: bool) -> None:
    key = os.path.realpath(path)
    known = planned.get(key)
    if known is None or (tree and not known[1]):
        planned[key] = (path, tree)


def _without_covered(targets: list[Target]) -> list[Target]:
    """Leave out what a whole-tree watch of another target already covers."""
    trees = [os.path.realpath(path) + os.sep for path, tree in targets if tree]
    kept = []
    for path, tree in targets:
        real = os.path.realpath(path)
        if any(real.startswith(top) for top in trees if top != real + os.sep):
            continue
        kept.append((path, tree))
    return kept
