"""What shell programs mean for the activity classifier (:mod:`tokentree.model.shell`): which
programs run tests, touch git, edit or read files, wrap or run other commands, or decide
nothing on their own. Extend these tables to teach the classifier new tools.
"""

from __future__ import annotations

import re
from typing import Final

from tokentree.model.categories import EDITING, EXECUTING, GIT, READING, TESTING


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRIORITY: Final = (TESTING, GIT, EXECUTING, EDITING, READING)
"""A command line with several commands takes the first of these that any of them has."""

NEUTRAL: Final = _names(
    "cd pushd popd export source . set unset true false : echo printf sleep clear wait exit "
    "local alias shopt"
)
WRAPPERS: Final = _names(
    "sudo time nice nohup command exec builtin stdbuf caffeinate npx bunx pnpx uvx dotenv doppler"
)
WRAPPERS_WITH_ARG: Final = frozenset({"timeout", "xargs", "env", "ionice", "taskset"})
RUNNERS: Final = {
    # program → sub-commands that run what follows
    "uv": {"run"},
    "poetry": {"run"},
    "pipenv": {"run"},
    "pdm": {"run"},
    "hatch": {"run"},
    "rye": {"run"},
    "bundle": {"exec"},
    "pnpm": {"exec", "dlx"},
    "yarn": {"dlx", "exec"},
    "npm": {"exec"},
    "conda": {"run"},
    "mise": {"exec", "x"},
    "direnv": {"exec"},
}
SHELLS: Final = frozenset({"bash", "sh", "zsh", "dash", "fish"})
PYTHONS = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")

TEST_PROGRAMS: Final = _names(
    "pytest py.test tox nox jest vitest mocha ava karma jasmine rspec phpunit pest ctest "
    "behave cucumber cucumber-js unittest nosetests nose2 ward trial bats busted prove "
    "cargo-nextest gotestsum ginkgo tap uvu testem"
)
TEST_SUBCOMMANDS: Final = {
    # program → first arguments that run tests
    "cargo": {"test", "nextest", "t"},
    "go": {"test"},
    "npm": {"test", "t", "tst"},
    "pnpm": {"test", "t"},
    "yarn": {"test"},
    "bun": {"test"},
    "deno": {"test"},
    "mvn": {"test", "verify", "surefire:test"},
    "mvnw": {"test", "verify"},
    "gradle": {"test", "check"},
    "gradlew": {"test", "check"},
    "dotnet": {"test"},
    "mix": {"test"},
    "swift": {"test"},
    "flutter": {"test"},
    "dart": {"test"},
    "bazel": {"test"},
    "bazelisk": {"test"},
    "zig": {"test"},
    "rake": {"test", "spec"},
    "hatch": {"test"},
    "playwright": {"test"},
    "cypress": {"run"},
    "sbt": {"test"},
    "lein": {"test"},
    "stack": {"test"},
    "cabal": {"test"},
    "elixir": {"test"},
}
TARGET_RUNNERS: Final = frozenset({"make", "gmake", "just", "task", "nx", "turbo", "invoke"})
"""Programs whose targets are names: a target containing "test"/"check" is testing."""
SCRIPT_RUNNERS: Final = frozenset({"npm", "pnpm", "yarn", "bun"})
"""``<pm> run test…`` is testing."""
GIT_PROGRAMS: Final = frozenset({"git", "gh", "hub", "glab", "tig", "git-lfs", "pre-commit"})
READ_PROGRAMS: Final = _names(
    "cat head tail less more bat batcat nl sed awk gawk rg grep egrep fgrep zgrep ag ack ls "
    "ll la exa eza tree find fd fdfind locate wc file stat du df diff cmp colordiff jq yq xq "
    "xxd hexdump od strings sort uniq cut tr column realpath readlink dirname basename which "
    "type whereis pwd printenv tac rev fold fmt zcat zless md5sum sha256sum shasum cksum id "
    "whoami hostname uname date man view"
)
EDIT_PROGRAMS: Final = _names(
    "patch tee truncate mv cp rm rmdir mkdir touch ln chmod chown install unzip tar dos2unix sponge"
)
