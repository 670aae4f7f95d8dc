"""The shell-command classifier: the activity category of a command line run by a shell tool
(docs/attribution.md, "Shell commands"): split into commands, normalise each, look its program
up in :mod:`tokentree.model.shell_programs`. Pure Python;
:class:`~tokentree.model.activity.Classifier` memoises it per distinct command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

from tokentree.model.categories import EDITING, EXECUTING, GIT, READING, TESTING
from tokentree.model.shell_programs import (
    EDIT_PROGRAMS,
    GIT_PROGRAMS,
    NEUTRAL,
    PRIORITY,
    PYTHONS,
    READ_PROGRAMS,
    RUNNERS,
    SCRIPT_RUNNERS,
    SHELLS,
    TARGET_RUNNERS,
    TEST_PROGRAMS,
    TEST_SUBCOMMANDS,
    WRAPPERS,
    WRAPPERS_WITH_ARG,
)

__all__ = ["classify_command"]


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
    for category in PRIORITY:
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
    if program in SHELLS and len(words) >= 3 and words[1] in ("-c", "-lc", "-ic") and depth < 3:
        inner = {_classify_segment(seg, rules, depth + 1) for seg in _segments(words[2])}
        for category in PRIORITY:
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
    if program in GIT_PROGRAMS:
        return GIT
    if program in TEST_PROGRAMS:
        return TESTING
    if first in TEST_SUBCOMMANDS.get(program, ()):
        return TESTING
    if program in SCRIPT_RUNNERS and (
        (first == "run" and len(args) > 1 and args[1].startswith("test"))
        or first.startswith("test:")
    ):
        return TESTING
    if program in TARGET_RUNNERS and any(
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
    if program in EDIT_PROGRAMS:
        return EDITING
    if program in READ_PROGRAMS:
        return READING
    if program in NEUTRAL:
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
        if program in WRAPPERS:
            index += 1
            while index < n and words[index].startswith("-"):
                index += 1
            continue
        if program in WRAPPERS_WITH_ARG:
            index += 1
            while index < n and (words[index].startswith("-") or _ASSIGNMENT.match(words[index])):
                index += 1
            if program in ("timeout", "taskset", "ionice") and index < n:
                index += 1  # the duration / cpu list / class
            continue
        if program in RUNNERS and index + 1 < n and words[index + 1] in RUNNERS[program]:
            index += 2
            while index < n and words[index].startswith("-"):
                index += 1
            continue
        if PYTHONS.match(program) and index + 2 < n and words[index + 1] == "-m":
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
