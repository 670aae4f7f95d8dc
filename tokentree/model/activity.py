"""Activity categories, the tool → category table, the shell-command classifier and the exact
integer splits used by the (estimated) activity attribution — see docs/attribution.md.

Pure Python: the data layer classifies the distinct tool names and shell commands of a store
once with :class:`Classifier` and hands the mapping to DuckDB; the splits here are the
reference for the SQL ones (same formulas, same remainder order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Final

# --------------------------------------------------------------------------- categories

CATEGORIES: Final[tuple[str, ...]] = (
    "reading",
    "editing",
    "executing",
    "git",
    "testing",
    "searching",
    "planning",
    "delegating",
    "mcp",
    "conversation",
    "context",
    "other",
)
"""Stable category ids, in display order; split remainders go to the earlier ones."""
ORDER: Final[dict[str, int]] = {name: index for index, name in enumerate(CATEGORIES)}

READING, EDITING, EXECUTING, GIT, TESTING = "reading", "editing", "executing", "git", "testing"
SEARCHING, PLANNING, DELEGATING, MCP = "searching", "planning", "delegating", "mcp"
CONVERSATION, CONTEXT, OTHER = "conversation", "context", "other"

ATTRIBUTION_RULE: Final = "tokentree.activity/1"
"""Version of the attribution rule (docs/attribution.md); the split is an estimate."""

# --------------------------------------------------------------------------- tool table

SHELL_TOOLS: Final = frozenset(
    {"Bash", "shell", "local_shell", "exec_command", "run_shell_command"}
)
"""Tools whose category comes from their command line (:func:`classify_command`)."""

TOOL_CATEGORIES: Final[dict[str, str]] = {
    # reading: looking at files and the tree
    "Read": READING,
    "Glob": READING,
    "Grep": READING,
    "LS": READING,
    "NotebookRead": READING,
    "read_file": READING,
    "list_directory": READING,
    "glob": READING,
    "search_file_content": READING,
    # editing: changing files
    "Edit": EDITING,
    "MultiEdit": EDITING,
    "Write": EDITING,
    "NotebookEdit": EDITING,
    "apply_patch": EDITING,
    "write_file": EDITING,
    "replace": EDITING,
    # executing: background shells (the command itself went through classify_command)
    "BashOutput": EXECUTING,
    "KillShell": EXECUTING,
    "KillBash": EXECUTING,
    # searching: the web
    "WebFetch": SEARCHING,
    "WebSearch": SEARCHING,
    "web_fetch": SEARCHING,
    "google_web_search": SEARCHING,
    # planning
    "TodoWrite": PLANNING,
    "TodoRead": PLANNING,
    "ExitPlanMode": PLANNING,
    "EnterPlanMode": PLANNING,
    "update_plan": PLANNING,
    # delegating: subagents
    "Task": DELEGATING,
    "Agent": DELEGATING,
    "TaskOutput": DELEGATING,
    # conversation: asking the human
    "AskUserQuestion": CONVERSATION,
}
"""The one default mapping of tool names; ``mcp__*`` → mcp, shell tools by command, else other."""

FILE_READ_TOOLS: Final = frozenset({"Read", "NotebookRead", "read_file"})
"""Tools whose detail is the path of one file read (for the repeated-reads insight)."""
FILE_EDIT_TOOLS: Final = frozenset(
    {"Edit", "MultiEdit", "Write", "NotebookEdit", "write_file", "replace"}
)
"""Tools whose detail is the path of one file changed."""


def validate_rules(rules: Mapping[str, str] | None) -> dict[str, str]:
    """Check ``[activity] tools`` from config: non-empty keys, known category ids.

    Keys are tool names, ``fnmatch`` globs of tool names (``mcp__github__*``), or shell rules
    ``Bash(<glob>)`` matched against each command of a command line (``Bash(terraform *)``,
    Claude Code's ``Bash(npm run test:*)`` prefix form is accepted too).
    """
    checked: dict[str, str] = {}
    for key, category in (rules or {}).items():
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"activity rule: empty tool name for {category!r}")
        if category not in ORDER:
            raise ValueError(
                f"activity rule {key!r}: unknown category {category!r}; "
                f"valid: {', '.join(CATEGORIES)}"
            )
        checked[key.strip()] = category
    return checked


_SHELL_RULE = re.compile(r"^(?:Bash|Shell)\((.*)\)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Rules:
    exact: dict[str, str]
    globs: tuple[tuple[str, str], ...]
    shell: tuple[tuple[str, str], ...]


def _compile_rules(rules: Mapping[str, str] | None) -> _Rules:
    exact: dict[str, str] = {}
    globs: list[tuple[str, str]] = []
    shell: list[tuple[str, str]] = []
    for key, category in validate_rules(rules).items():
        match = _SHELL_RULE.match(key)
        if match:
            pattern = match.group(1).strip()
            pattern = pattern[:-2] + "*" if pattern.endswith(":*") else pattern
            shell.append((pattern, category))
        elif any(ch in key for ch in "*?["):
            globs.append((key, category))
        else:
            exact[key] = category
    return _Rules(exact, tuple(globs), tuple(shell))


class Classifier:
    """Tool use → category, with the config rules first; memoised per instance."""

    def __init__(self, rules: Mapping[str, str] | None = None) -> None:
        self._rules = _compile_rules(rules)
        self._commands: dict[str, str] = {}

    def tool(self, name: str | None, detail: str | None = None) -> str:
        """Category of one tool use (``detail`` = the command line for shell tools)."""
        name = name or ""
        rules = self._rules
        if name in rules.exact:
            return rules.exact[name]
        for pattern, category in rules.globs:
            if fnmatchcase(name, pattern):
                return category
        if name in SHELL_TOOLS:
            return self.command(detail)
        if name in TOOL_CATEGORIES:
            return TOOL_CATEGORIES[name]
        if name.startswith("mcp__"):
            return MCP
        return OTHER

    def command(self, command: str | None) -> str:
        """Category of a shell command line (see :func:`classify_command`)."""
        key = command or ""
        found = self._commands.get(key)
        if found is None:
            found = self._commands[key] = classify_command(key, self._rules.shell)
        return found


# --------------------------------------------------------------------------- shell commands


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PRIORITY: Final = (TESTING, GIT, EXECUTING, EDITING, READING)
"""A command line with several commands takes the first of these that any of them has."""

_NEUTRAL: Final = _names(
    "cd pushd popd export source . set unset true false : echo printf sleep clear wait exit "
    "local alias shopt"
)
_WRAPPERS: Final = _names(
    "sudo time nice nohup command exec builtin stdbuf caffeinate npx bunx pnpx uvx dotenv doppler"
)
_WRAPPERS_WITH_ARG: Final = frozenset({"timeout", "xargs", "env", "ionice", "taskset"})
_RUNNERS: Final = {
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
_SHELLS: Final = frozenset({"bash", "sh", "zsh", "dash", "fish"})
_PYTHONS = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")

_TEST_PROGRAMS: Final = _names(
    "pytest py.test tox nox jest vitest mocha ava karma jasmine rspec phpunit pest ctest "
    "behave cucumber cucumber-js unittest nosetests nose2 ward trial bats busted prove "
    "cargo-nextest gotestsum ginkgo tap uvu testem"
)
_TEST_SUBCOMMANDS: Final = {
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
_TARGET_RUNNERS: Final = frozenset({"make", "gmake", "just", "task", "nx", "turbo", "invoke"})
"""Programs whose targets are names: a target containing "test"/"check" is testing."""
_SCRIPT_RUNNERS: Final = frozenset({"npm", "pnpm", "yarn", "bun"})
"""``<pm> run test…`` is testing."""
_GIT_PROGRAMS: Final = frozenset({"git", "gh", "hub", "glab", "tig", "git-lfs", "pre-commit"})
_READ_PROGRAMS: Final = _names(
    "cat head tail less more bat batcat nl sed awk gawk rg grep egrep fgrep zgrep ag ack ls "
    "ll la exa eza tree find fd fdfind locate wc file stat du df diff cmp colordiff jq yq xq "
    "xxd hexdump od strings sort uniq cut tr column realpath readlink dirname basename which "
    "type whereis pwd printenv tac rev fold fmt zcat zless md5sum sha256sum shasum cksum id "
    "whoami hostname uname date man view"
)
_EDIT_PROGRAMS: Final = _names(
    "patch tee truncate mv cp rm rmdir mkdir touch ln chmod chown install unzip tar dos2unix sponge"
)

_SIMPLE = re.compile(r"^[^'\"\\`$(){}<>]*$")
_SIMPLE_SPLIT = re.compile(r"\s*(?:&&|\|\||[;|&\n])\s*")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
_REDIRECT_TARGET = re.compile(r"^(?:\d?>>?|&>>?)(.*)$")


def classify_command(command: str, shell_rules: Iterable[tuple[str, str]] = ()) -> str:
    """Category of a shell command line.

    The line is split into commands at ``&&``, ``||``, ``;``, ``|``, ``&`` and newlines
    (outside quotes; heredoc bodies are skipped). Each command loses its environment
    assignments (``FOO=1``), wrappers (``sudo``, ``timeout 60``, ``env``, ``xargs``,
    ``npx``, ``uv run``, ``poetry run``, ``bundle exec``, ``python -m``, ``bash -c "…"`` is
    classified recursively) and the path of its program (``.venv/bin/pytest``), then:

    * ``git``/``gh``/``glab``/``pre-commit`` → git;
    * a test runner (``pytest``, ``jest``, ``vitest``, ``tox`` …), a build tool's test command
      (``cargo test``, ``go test``, ``npm test``, ``npm run test:unit``, ``mvn verify``,
      ``dotnet test`` …) or a ``make``/``just`` target containing "test" or "check" → testing;
    * ``sed -i``, ``perl -i``, ``tee``, ``mv``/``cp``/``rm``/``mkdir``/``touch``, or output
      redirected to a file (``cat > f <<EOF``, ``echo x >> f``) → editing;
    * a viewer or search (``cat``, ``sed -n``, ``head``, ``tail``, ``rg``, ``grep``, ``ls``,
      ``find``, ``wc``, ``jq`` …) → reading;
    * ``cd``, ``export``, ``echo``, ``sleep`` … alone decide nothing;
    * anything else → executing.

    The line takes the first of testing, git, executing, editing, reading that any of its
    commands has (``cd x && pytest | tail`` → testing; ``cat a | python s.py`` → executing;
    ``ls | wc -l`` → reading); a line of only neutral commands is executing. A config rule
    ``Bash(<glob>)`` matching a command's normalised text decides that command first.
    """
    rules = tuple(shell_rules)
    found: set[str] = set()
    for segment in _segments(command):
        category = _classify_segment(segment, rules, 0)
        if category is not None:
            found.add(category)
    for category in _PRIORITY:
        if category in found:
            return category
    for category in found:  # a config rule may yield any category
        return category
    return EXECUTING


def _classify_segment(
    words: list[str], rules: tuple[tuple[str, str], ...], depth: int
) -> str | None:
    words, redirected = _strip_redirects(words)
    words = _unwrap(words)
    if not words:
        return EDITING if redirected else None
    program = words[0].rsplit("/", 1)[-1].lower()
    if program in _SHELLS and len(words) >= 3 and words[1] in ("-c", "-lc", "-ic") and depth < 3:
        inner = {_classify_segment(seg, rules, depth + 1) for seg in _segments(words[2])}
        for category in _PRIORITY:
            if category in inner:
                return category
        return next((c for c in inner if c is not None), None)
    if rules:
        text = " ".join([program, *words[1:]])
        for pattern, category in rules:
            if fnmatchcase(text, pattern):
                return category
    category = _program_category(program, words[1:])
    if redirected and category in (None, READING):
        return EDITING
    return category


def _program_category(program: str, args: list[str]) -> str | None:
    first = args[0] if args else ""
    if program in _GIT_PROGRAMS:
        return GIT
    if program in _TEST_PROGRAMS:
        return TESTING
    if first in _TEST_SUBCOMMANDS.get(program, ()):
        return TESTING
    if program in _SCRIPT_RUNNERS and (
        (first == "run" and len(args) > 1 and args[1].startswith("test"))
        or first.startswith("test:")
    ):
        return TESTING
    if program in _TARGET_RUNNERS and any(
        ("test" in a or "check" in a) and not a.startswith("-") for a in args
    ):
        return TESTING
    if program in ("sed", "gsed", "perl", "ruby"):
        in_place = any(
            (a.startswith("-") and not a.startswith("--") and "i" in a[1:])
            or a.startswith("--in-place")
            for a in args
        )
        if in_place:
            return EDITING
        return READING if program in ("sed", "gsed") else EXECUTING
    if program in ("awk", "gawk") and "inplace" in args:
        return EDITING
    if program == "find" and any(a in ("-delete", "-exec", "-execdir") for a in args):
        return EDITING if "-delete" in args else EXECUTING
    if program in _EDIT_PROGRAMS:
        return EDITING
    if program in _READ_PROGRAMS:
        return READING
    if program in _NEUTRAL:
        return None
    return EXECUTING


def _unwrap(words: list[str]) -> list[str]:
    """Drop leading ``(``, env assignments, wrappers and runners (``uv run``, ``python -m``)."""
    index, n = 0, len(words)
    while index < n:
        word = words[index].lstrip("({!").strip()
        if not word:
            index += 1
            continue
        if _ASSIGNMENT.match(word):
            index += 1
            continue
        program = word.rsplit("/", 1)[-1].lower()
        if program in _WRAPPERS:
            index += 1
            while index < n and words[index].startswith("-"):
                index += 1
            continue
        if program in _WRAPPERS_WITH_ARG:
            index += 1
            while index < n and (words[index].startswith("-") or _ASSIGNMENT.match(words[index])):
                index += 1
            if program in ("timeout", "taskset", "ionice") and index < n:
                index += 1  # the duration / cpu list / class
            continue
        if program in _RUNNERS and index + 1 < n and words[index + 1] in _RUNNERS[program]:
            index += 2
            while index < n and words[index].startswith("-"):
                index += 1
            continue
        if _PYTHONS.match(program) and index + 2 < n and words[index + 1] == "-m":
            index += 2
            continue
        words = [word, *words[index + 1 :]]
        return words
    return []


def _strip_redirects(words: list[str]) -> tuple[list[str], bool]:
    """Remove redirections; True when output goes to a real file (not /dev/null or &N)."""
    kept: list[str] = []
    to_file = False
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word.startswith("<"):
            skip_next = word in ("<", "<<", "<<<")
            continue
        match = _REDIRECT_TARGET.match(word)
        if match is None:
            kept.append(word)
            continue
        target = match.group(1)
        if not target:
            target = words[index + 1] if index + 1 < len(words) else ""
            skip_next = True
        if target and not target.startswith("&") and target != "/dev/null":
            to_file = True
    return kept, to_file


def _segments(command: str) -> list[list[str]]:
    """The commands of a line as word lists (tolerant of unbalanced quotes)."""
    if _SIMPLE.match(command):
        return [part.split() for part in _SIMPLE_SPLIT.split(command) if part.strip()]
    return _scan(command)


def _scan(command: str) -> list[list[str]]:
    segments: list[list[str]] = []
    words: list[str] = []
    word: list[str] = []
    heredocs: list[str] = []
    i, n = 0, len(command)

    def end_word() -> None:
        if word:
            words.append("".join(word))
            word.clear()

    def end_segment() -> None:
        end_word()
        if words:
            segments.append(words.copy())
            words.clear()

    while i < n:
        ch = command[i]
        if ch in "'\"":
            close = command.find(ch, i + 1)
            close = n if close < 0 else close
            word.append(command[i + 1 : close])
            i = close + 1
            continue
        if ch == "\\" and i + 1 < n:
            if command[i + 1] != "\n":
                word.append(command[i + 1])
            i += 2
            continue
        if ch == "<" and command.startswith("<<", i) and not command.startswith("<<<", i):
            match = _HEREDOC.match(command, i)
            if match:
                heredocs.append(match.group(2))
                end_word()
                words.append("<<" + match.group(2))
                i = match.end()
                continue
        if ch == "\n":
            end_segment()
            i += 1
            while heredocs:  # skip each pending heredoc body up to its terminator line
                terminator = heredocs.pop(0)
                while i < n:
                    eol = command.find("\n", i)
                    eol = n if eol < 0 else eol
                    line = command[i:eol].strip()
                    i = eol + 1
                    if line == terminator:
                        break
            continue
        if ch in ";|&":
            if ch == "&" and (command.startswith("&>", i) or (word and word[-1] in "<>")):
                word.append(ch)
                i += 1
                continue
            end_segment()
            i += 2 if command.startswith(ch * 2, i) else 1
            continue
        if ch in " \t":
            end_word()
            i += 1
            continue
        if ch in "()":
            end_word()
            i += 1
            continue
        if ch == ">" and word and not "".join(word).isdigit():
            end_word()
        word.append(ch)
        i += 1
    end_segment()
    return segments


# --------------------------------------------------------------------------- integer splits


def split_int(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` integers that differ by at most 1 and sum exactly to it; the
    remainder goes to the first parts (callers order parts by category)."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    quotient, remainder = divmod(total, parts)
    return [quotient + (1 if index < remainder else 0) for index in range(parts)]


def ordered(categories: Iterable[str]) -> list[str]:
    """Distinct categories in :data:`CATEGORIES` order (unknown ids last, by name)."""
    distinct = set(categories)
    return sorted(distinct, key=lambda c: (ORDER.get(c, len(ORDER)), c))


def split_over(total: int, categories: Iterable[str]) -> dict[str, int]:
    """Split ``total`` evenly over the distinct ``categories`` (remainder by category order)."""
    names = ordered(categories)
    if not names:
        raise ValueError("no categories to split over")
    return dict(zip(names, split_int(total, len(names)), strict=True))


def cost_sides(
    cost: int, raw_context: int, raw_output: int, raw_total: int
) -> tuple[int, int, int]:
    """A call's exact cost split into (context, output, input side) in proportion to the list
    price of its cache reads, its output and the rest (``raw_*``, before the fast-mode
    multiplier). Floors for the first two, the remainder to the input side: the parts are
    non-negative and sum exactly to ``cost``; without a multiplier they equal the raw parts."""
    if raw_total <= 0 or cost == 0:
        return 0, 0, cost
    context = cost * raw_context // raw_total
    output = cost * raw_output // raw_total
    return context, output, cost - context - output


@dataclass(frozen=True, slots=True)
class Share:
    """One category's part of a node: tokens and exact cost in picodollars."""

    tokens: int = 0
    cost_pusd: int = 0

    def __add__(self, other: Share) -> Share:
        return Share(self.tokens + other.tokens, self.cost_pusd + other.cost_pusd)


Activity = dict[str, Share]
"""category → share; the tokens sum to the node's total, the costs to its cost."""


def attribute_call(
    *,
    cache_read: int,
    output: int,
    input_side: int,
    output_categories: Iterable[str],
    input_categories: Iterable[str],
    context_cost: int = 0,
    output_cost: int = 0,
    input_cost: int = 0,
) -> Activity:
    """The reference rule for one call (the SQL in ``sql/activity.sql`` computes the same):
    cache reads → context; output over the output categories; uncached input + cache writes
    (``input_side``) over the input categories; each side's cost likewise."""
    result: Activity = {}

    def add(category: str, tokens: int, cost: int) -> None:
        if tokens or cost:
            result[category] = result.get(category, Share()) + Share(tokens, cost)

    add(CONTEXT, cache_read, context_cost)
    out_names = ordered(output_categories) or [CONVERSATION]
    for name, tokens, cost in zip(
        out_names,
        split_int(output, len(out_names)),
        split_int(output_cost, len(out_names)),
        strict=True,
    ):
        add(name, tokens, cost)
    in_names = ordered(input_categories) or [CONVERSATION]
    for name, tokens, cost in zip(
        in_names,
        split_int(input_side, len(in_names)),
        split_int(input_cost, len(in_names)),
        strict=True,
    ):
        add(name, tokens, cost)
    return {name: result[name] for name in ordered(result)}


def activity_json(activity: Mapping[str, Share]) -> dict[str, dict[str, int | float]]:
    """``{"category": {"tokens": int, "cost_usd": float}}`` in category order (node extra)."""
    result = {
        name: {"tokens": activity[name].tokens, "cost_usd": activity[name].cost_pusd / 10**12}
        for name in CATEGORIES
        if name in activity
    }
    for name in ordered(set(activity) - set(result)):  # ids outside CATEGORIES, if any
        result[name] = {
            "tokens": activity[name].tokens,
            "cost_usd": activity[name].cost_pusd / 10**12,
        }
    return result
