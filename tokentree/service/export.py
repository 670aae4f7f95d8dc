"""Export one node of the tree (the explorer's ``e``) with the schema of ``tokentree export``.

The node is written with ``write_export(scope=path)``: it is the document's only child and its
ancestors' ids are in ``"path"``, exactly as ``tokentree export --json --scope …`` writes it.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentree.model.tree import Kind, NodePath

if TYPE_CHECKING:
    from tokentree.data.workspace import Workspace

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def export_filename(kind: Kind, node_id: str) -> str:
    """``tokentree-<kind>-<id>.json`` with the id made safe for any file system."""
    return f"tokentree-{kind.value}-{_UNSAFE.sub('_', node_id).strip('_') or 'node'}.json"


def document_header(workspace: Workspace) -> dict[str, Any]:
    """The root fields that describe where the data came from (as the CLI writes them)."""
    report = workspace.last_report
    return {
        "sources": workspace.source_names,
        "roots": [str(root) for root in workspace.root_paths],
        "files": report.files if report else 0,
        "skipped_lines": report.skipped_lines if report else 0,
        "unreadable_files": len(report.errors) if report else 0,
        "device": workspace.device,
        "devices": workspace.device_names(),
    }


def export_node(
    workspace: Workspace, kind: Kind, path: NodePath, directory: Path, now: datetime
) -> Path:
    """Write the node at ``path`` (of ``kind``) and its subtree to
    ``directory/tokentree-<kind>-<id>.json``; returns the file's path.

    The file appears complete or not at all (written beside it, then renamed). The caller
    holds the store's lock.
    """
    from tokentree.data.tree.export import write_export

    target = directory / export_filename(kind, path[-1])
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            write_export(
                workspace.store,
                workspace.view,
                handle,
                level=Kind.CALL,
                scope=tuple(path),
                generated_at=now.astimezone(workspace.zone),
                extra_root=document_header(workspace),
                settings=workspace.options.settings,
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
