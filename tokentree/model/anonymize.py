"""Stable stand-ins for names that should not leave a machine (``--anonymize-projects``)."""

from __future__ import annotations

import hashlib

from tokentree.model import labels
from tokentree.model.tree import Node


def project_alias(name: str) -> str:
    """The same short hash for the same project name on every machine and run."""
    digest = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
    return f"project-{digest}"


def anonymize_session(node: Node) -> None:
    """A session node with its project replaced by its alias and its directory dropped."""
    project = project_alias(str(node.extra.get("project") or labels.project_name(None)))
    node.extra["project"] = project
    node.extra["cwd"] = None
    node.label = labels.session_label(project, node.extra.get("first_prompt"), node.start)
