"""The ``tokentree`` console script: ``tokentree statusline`` before anything else is imported
(it runs every few seconds from prompts and status bars), every other command through
:mod:`tokentree.cli`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["statusline"]:
        from tokentree.service.statusline import main as statusline

        return statusline(argv[1:])
    from tokentree.cli import main as cli

    return cli(argv)
