"""Activity attribution rule (docs/attribution.md): the tool → category table, config rules,
the :class:`Classifier` and the exact integer splits of the (estimated) attribution.

Pure Python: the data layer classifies the distinct tool names and shell commands of a store
once with :class:`Classifier` and hands the mapping to DuckDB; the splits here are the
reference for the SQL ones (same formulas, same remainder order). Categories live in
:mod:`tokentree.model.categories`, the shell-command classifier in :mod:`tokentree.model.shell`;
both are re-exported here (``as`` imports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Final

from tokentree.model.categories import ATTRIBUTION_RULE as ATTRIBUTION_RULE
from tokentree.model.categories import (
    CATEGORIES,
    CONTEXT,
    CONVERSATION,
    DELEGATING,
    EDITING,
    EXECUTING,
    MCP,
    ORDER,
    OTHER,
    PLANNING,
    READING,
    SEARCHING,
)
from tokentree.model.categories import GIT as GIT
from tokentree.model.categories import TESTING as TESTING
from tokentree.model.shell import classify_command as classify_command
from tokentree.model.usage import PICO

# --------------------------------------------------------------------------- tool table

SHELL_TOOLS: Final = frozenset(
    {
        "Bash",  # Claude Code
        "shell",  # Codex CLI
        "shell_command",
        "local_shell",
        "exec_command",
        "run_shell_command",  # Gemini CLI
        "bash",  # OpenCode
        "terminal",  # Hermes
        "exec",  # OpenClaw
    }
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
    "grep_search": READING,  # Gemini CLI's newer name of search_file_content
    "read_many_files": READING,
    "read": READING,  # OpenCode
    "grep": READING,
    "list": READING,
    "search_files": READING,  # Hermes
    # editing: changing files
    "Edit": EDITING,
    "MultiEdit": EDITING,
    "Write": EDITING,
    "NotebookEdit": EDITING,
    "apply_patch": EDITING,
    "write_file": EDITING,
    "replace": EDITING,
    "edit": EDITING,  # OpenCode
    "write": EDITING,
    "patch": EDITING,
    "multiedit": EDITING,
    # executing: background shells (the command itself went through classify_command)
    "BashOutput": EXECUTING,
    "KillShell": EXECUTING,
    "KillBash": EXECUTING,
    # searching: the web
    "WebFetch": SEARCHING,
    "WebSearch": SEARCHING,
    "web_fetch": SEARCHING,
    "google_web_search": SEARCHING,
    "webfetch": SEARCHING,  # OpenCode
    "websearch": SEARCHING,
    "web_search": SEARCHING,  # Hermes
    "web_extract": SEARCHING,
    # planning
    "TodoWrite": PLANNING,
    "TodoRead": PLANNING,
    "ExitPlanMode": PLANNING,
    "EnterPlanMode": PLANNING,
    "update_plan": PLANNING,
    "write_todos": PLANNING,  # Gemini CLI
    "enter_plan_mode": PLANNING,
    "exit_plan_mode": PLANNING,
    "todowrite": PLANNING,  # OpenCode
    "todoread": PLANNING,
    "todo": PLANNING,  # Hermes
    # delegating: subagents
    "Task": DELEGATING,
    "Agent": DELEGATING,
    "spawn_agent": DELEGATING,  # Codex CLI
    "TaskOutput": DELEGATING,
    "invoke_agent": DELEGATING,  # Gemini CLI
    "codebase_investigator": DELEGATING,
    "task": DELEGATING,  # OpenCode
    "delegate_task": DELEGATING,  # Hermes
    # conversation: asking the human
    "AskUserQuestion": CONVERSATION,
    "ask_user": CONVERSATION,  # Gemini CLI
    # pi (read, bash, edit, write and grep are above)
    "find": READING,
    "ls": READING,
    # OpenClaw (exec is a shell tool; read, write, edit, web_search, web_fetch are above)
    "process": EXECUTING,
    "sessions_spawn": DELEGATING,
    "memory_search": READING,
    "memory_get": READING,
    # Amp (Bash, Read, Grep, glob, list_directory, Task, web_search are above)
    "edit_file": EDITING,
    "create_file": EDITING,
    "undo_edit": EDITING,
    "todo_write": PLANNING,
    "todo_read": PLANNING,
    "read_web_page": SEARCHING,
    "finder": DELEGATING,
    "librarian": DELEGATING,
}
"""The one default mapping of tool names; ``mcp__*`` → mcp, shell tools by command, else other."""

FILE_READ_TOOLS: Final = frozenset({"Read", "NotebookRead", "read_file", "read"})
"""Tools whose detail is the path of one file read (for the repeated-reads insight)."""
FILE_EDIT_TOOLS: Final = frozenset(
    {"Edit", "MultiEdit", "Write", "NotebookEdit", "write_file", "replace", "edit", "write"}
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

    def spread(categories: Iterable[str], tokens: int, cost: int) -> None:
        """Split tokens and cost evenly over the categories (none → conversation)."""
        names = ordered(categories) or [CONVERSATION]
        for name, part, part_cost in zip(
            names, split_int(tokens, len(names)), split_int(cost, len(names)), strict=True
        ):
            add(name, part, part_cost)

    add(CONTEXT, cache_read, context_cost)
    spread(output_categories, output, output_cost)
    spread(input_categories, input_side, input_cost)
    return {name: result[name] for name in ordered(result)}


def activity_json(activity: Mapping[str, Share]) -> dict[str, dict[str, int | float]]:
    """``{"category": {"tokens": int, "cost_usd": float}}`` in category order (node extra)."""
    result = {
        name: {"tokens": activity[name].tokens, "cost_usd": activity[name].cost_pusd / PICO}
        for name in CATEGORIES
        if name in activity
    }
    for name in ordered(set(activity) - set(result)):  # ids outside CATEGORIES, if any
        result[name] = {
            "tokens": activity[name].tokens,
            "cost_usd": activity[name].cost_pusd / PICO,
        }
    return result
