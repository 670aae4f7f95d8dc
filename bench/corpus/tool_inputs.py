"""Tool calls with realistic inputs (files, commands, patterns, MCP tools)."""

from __future__ import annotations

from typing import Any

from bench.corpus.base import Base
from bench.corpus.catalog import MCP
from bench.corpus.text import LANG_EXT, LANG_TEMPLATES, VERBS, WORDS


class ToolInputs(Base):
    # ---- tools ---------------------------------------------------------------------------
    def tool_use(self, proj: dict[str, Any], name: str, focus: list[str]) -> tuple[dict, str]:
        r = self.r
        tid = "toolu_01" + self.b62(22)
        files = proj["files"]
        if name in ("Read", "Edit", "MultiEdit", "Write"):
            path = r.choice(focus) if focus and r.random() < 0.7 else r.choice(files)
            if name == "Read":
                inp: dict[str, Any] = {"file_path": path}
            elif name == "Edit":
                content = self.file_content(proj, path)
                ls = content.split("\n")
                a = r.randrange(len(ls))
                old = "\n".join(ls[a : a + r.randint(1, 6)])
                new = old + "\n" + self.fill(r.choice(LANG_TEMPLATES[proj["lang"]]))
                inp = {"file_path": path, "old_string": old, "new_string": new}
                if r.random() < 0.05:
                    inp["replace_all"] = False
            elif name == "MultiEdit":
                content = self.file_content(proj, path)
                ls = content.split("\n")
                edits = []
                for _ in range(r.randint(2, 4)):
                    a = r.randrange(len(ls))
                    old = ls[a]
                    edits.append({"old_string": old, "new_string": old + "  # updated"})
                inp = {"file_path": path, "edits": edits}
            else:
                pool = self.P.code[proj["lang"]]
                a = r.randrange(len(pool) - 200)
                inp = {
                    "file_path": path.rsplit("/", 1)[0]
                    + f"/{r.choice(WORDS)}_new"
                    + LANG_EXT[proj["lang"]],
                    "content": "\n".join(pool[a : a + r.randint(10, 160)]),
                }
        elif name == "Bash":
            kind = r.choice(
                [
                    "git status",
                    "git diff",
                    "git commit",
                    "test",
                    "test",
                    "ls",
                    "rg",
                    "cat",
                    "make",
                    "git log",
                ]
            )
            lang = proj["lang"]
            cmd = {
                "git status": "git status",
                "git diff": "git diff" + r.choice(["", " --stat", " HEAD~1", " -- src/"]),
                "git commit": f'git add -A && git commit -m "{r.choice(VERBS)} {r.choice(WORDS)} {r.choice(WORDS)}"',  # noqa: E501
                "test": {
                    "py": f"pytest -x tests/test_{r.choice(WORDS)}.py -q",
                    "ts": "npm test",
                    "go": "go test ./...",
                    "rs": "cargo test",
                    "tf": "terraform plan",
                    "md": "npm run build",
                }[lang],
                "ls": "ls -la " + r.choice(["", "src", "tests", "docs"]),
                "rg": f'rg -n "{r.choice(VERBS)}_{r.choice(WORDS)}" src',
                "cat": "cat " + r.choice(files),
                "make": r.choice(["make build", "make lint", "make -j4"]),
                "git log": "git log --oneline -20",
            }[kind]
            inp = {
                "command": cmd,
                "description": r.choice(
                    [
                        "Run tests",
                        "Show working tree status",
                        "Show changes",
                        "Commit changes",
                        "List files",
                        "Search code",
                        "Build",
                    ]
                ),
            }
            if r.random() < 0.1:
                inp["timeout"] = 120000
        elif name == "Grep":
            inp = {
                "pattern": f"{r.choice(VERBS)}_{r.choice(WORDS)}",
                "path": proj["cwd"],
                "output_mode": r.choice(["content", "files_with_matches"]),
            }
        elif name == "Glob":
            inp = {
                "pattern": r.choice(
                    [
                        "**/*" + LANG_EXT[proj["lang"]],
                        "src/**/*",
                        "tests/**/*",
                        "**/package.json",
                        "*.md",
                    ]
                )
            }
        elif name == "TodoWrite":
            inp = {
                "todos": [
                    {
                        "content": f"{v.capitalize()} the {w}",
                        "status": s,
                        "activeForm": f"{v.capitalize()}ing the {w}",
                    }
                    for v, w, s in (
                        (
                            r.choice(VERBS),
                            r.choice(WORDS),
                            r.choice(["pending", "in_progress", "completed"]),
                        )
                        for _ in range(r.randint(2, 7))
                    )
                ]
            }
        elif name == "WebFetch":
            inp = {
                "url": f"https://docs.example.com/{r.choice(WORDS)}/{r.choice(WORDS)}",
                "prompt": f"How do I {r.choice(VERBS)} a {r.choice(WORDS)}?",
            }
        elif name == "WebSearch":
            inp = {"query": f"{r.choice(WORDS)} {r.choice(WORDS)} {r.choice(VERBS)} error 2026"}
        else:  # mcp
            name, f = r.choice(MCP)
            inp = f(r, proj["name"])
        return {"type": "tool_use", "id": tid, "name": name, "input": inp}, tid
