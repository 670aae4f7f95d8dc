"""Tool results: the user line with a tool_result block and its toolUseResult, by tool."""

from __future__ import annotations

from typing import Any

from bench.corpus.base import Base, OutFile, enc
from bench.corpus.text import PY, VERBS, WORDS


class ToolResults(Base):
    def tool_result(self, proj: dict[str, Any], tu: dict[str, Any]) -> tuple[Any, Any, bool, float]:
        """(message content, toolUseResult, is_error, duration seconds)."""
        r = self.r
        name, inp = tu["name"], tu["input"]
        if name == "Read":
            path = inp["file_path"]
            raw = self.file_content(proj, path)
            numbered, nl = proj["numbered"].get(path) or (None, 0)
            if numbered is None:
                ls = raw.split("\n")
                nl = len(ls)
                numbered = "\n".join(f"{i + 1:6d}\u2192{ln}" for i, ln in enumerate(ls))
                proj["numbered"][path] = (numbered, nl)
            return (
                numbered,
                {
                    "type": "text",
                    "file": {
                        "filePath": path,
                        "content": raw,
                        "numLines": nl,
                        "startLine": 1,
                        "totalLines": nl,
                    },
                },
                False,
                r.uniform(0.01, 0.2),
            )
        if name in ("Edit", "MultiEdit"):
            path = inp["file_path"]
            raw = self.file_content(proj, path)
            snippet = "\n".join(
                f"{i + 1:6d}\u2192{ln}" for i, ln in enumerate(raw.split("\n")[:12])
            )
            msg = (
                f"The file {path} has been updated. Here's the result of running `cat -n` on a "
                f"snippet of the edited file:\n{snippet}"
            )
            if name == "Edit":
                old, new = inp["old_string"], inp["new_string"]
            else:
                old, new = inp["edits"][0]["old_string"], inp["edits"][0]["new_string"]
            res = {
                "filePath": path,
                "oldString": old,
                "newString": new,
                "originalFile": raw,
                "structuredPatch": [
                    {
                        "oldStart": 1,
                        "oldLines": old.count("\n") + 1,
                        "newStart": 1,
                        "newLines": new.count("\n") + 1,
                        "lines": ["-" + x for x in old.split("\n")]
                        + ["+" + x for x in new.split("\n")],
                    }
                ],
                "userModified": False,
                "replaceAll": False,
            }
            return msg, res, False, r.uniform(0.02, 0.3)
        if name == "Write":
            return (
                f"File created successfully at: {inp['file_path']}",
                {
                    "type": "create",
                    "filePath": inp["file_path"],
                    "content": inp["content"],
                    "structuredPatch": [],
                },
                False,
                r.uniform(0.02, 0.2),
            )
        if name == "Bash":
            cmd = inp["command"]
            err = False
            if cmd.startswith(
                ("pytest", "npm test", "go test", "cargo test", "make", "terraform", "npm run")
            ):
                out = r.choice(self.P.test_out)
                err = "FAILED" in out
            elif cmd.startswith("git diff"):
                f = r.choice(proj["files"])
                body = self.file_content(proj, f).split("\n")
                a = r.randrange(len(body))
                hunk = [" " + x for x in body[a : a + r.randint(5, 60)]]
                out = (
                    f"diff --git a/{f} b/{f}\nindex 3f2a1c9..8b7d4e0 100644\n--- a/{f}\n+++ b/{f}\n"
                    f"@@ -{a + 1},{len(hunk)} +{a + 1},{len(hunk) + 1} @@\n" + "\n".join(hunk)
                )
            elif cmd.startswith("git status"):
                out = (
                    'On branch main\nChanges not staged for commit:\n  (use "git add <file>..." '
                    "to update what will be committed)\n"
                    + "\n".join(
                        f"\tmodified:   {x.split('/src/', 1)[-1]}"
                        for x in r.sample(proj["files"], min(len(proj["files"]), r.randint(1, 6)))
                    )
                )
            elif cmd.startswith("git add"):
                out = (
                    f"[main {self.hexid(7)}] {cmd.split('-m ', 1)[-1].strip(chr(34))}\n"
                    f" {r.randint(1, 9)} files changed, {r.randint(2, 300)} insertions(+), "
                    f"{r.randint(0, 120)} deletions(-)"
                )
            elif cmd.startswith("git log"):
                out = "\n".join(
                    f"{self.hexid(7)} {r.choice(VERBS)} {r.choice(WORDS)}" for _ in range(20)
                )
            elif cmd.startswith("ls"):
                out = (
                    "total 48\n"
                    + "\n".join(
                        f"-rw-r--r--  1 dev dev {r.randint(100, 90000):6d} Nov 12 10:{r.randint(10, 59)} "  # noqa: E501
                        f"{x.rsplit('/', 1)[-1]}"
                        for x in proj["files"][: r.randint(3, 30)]
                    )
                )
            elif cmd.startswith("cat"):
                out = self.file_content(proj, cmd[4:])
            else:  # rg
                out = "\n".join(
                    f"{x.split(proj['cwd'] + '/', 1)[-1]}:{r.randint(1, 400)}:"
                    f"{self.fill(r.choice(PY)).strip()}"
                    for x in r.sample(proj["files"], min(len(proj["files"]), r.randint(1, 15)))
                )
            res = {"stdout": out, "stderr": "", "interrupted": False, "isImage": False}
            if err:
                return "Error: " + out, "Error: " + out, True, r.uniform(1, 60)
            return out, res, False, r.uniform(0.05, 8)
        if name == "Grep":
            fs = r.sample(proj["files"], min(len(proj["files"]), r.randint(0, 12)))
            if inp.get("output_mode") == "content":
                out = "\n".join(
                    f"{x}:{r.randint(1, 300)}:{self.fill(r.choice(PY)).strip()}" for x in fs
                )
                res = {
                    "mode": "content",
                    "numFiles": len(fs),
                    "filenames": [],
                    "content": out,
                    "numLines": len(fs),
                }
            else:
                out = f"Found {len(fs)} files\n" + "\n".join(fs) if fs else "No files found"
                res = {"mode": "files_with_matches", "filenames": fs, "numFiles": len(fs)}
            return out, res, False, r.uniform(0.02, 0.5)
        if name == "Glob":
            fs = r.sample(proj["files"], min(len(proj["files"]), r.randint(0, 25)))
            return (
                "\n".join(fs) if fs else "No files found",
                {
                    "filenames": fs,
                    "durationMs": r.randint(3, 300),
                    "numFiles": len(fs),
                    "truncated": False,
                },
                False,
                r.uniform(0.01, 0.3),
            )
        if name == "TodoWrite":
            return (
                "Todos have been modified successfully. Ensure that you continue to use the todo "
                "list to track your progress. Please proceed with the current tasks if applicable",
                {"oldTodos": [], "newTodos": inp["todos"]},
                False,
                0.02,
            )
        if name == "WebFetch":
            page = r.choice(self.P.web)
            return (
                page,
                {
                    "bytes": len(page) * 7,
                    "code": 200,
                    "codeText": "OK",
                    "result": page,
                    "durationMs": r.randint(300, 9000),
                    "url": inp["url"],
                },
                False,
                r.uniform(1, 9),
            )
        if name == "WebSearch":
            links = [
                {
                    "title": f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} - Stack Overflow",
                    "url": f"https://stackoverflow.com/questions/{r.randint(10**6, 10**8)}",
                }
                for _ in range(r.randint(3, 8))
            ]
            summary = r.choice(self.P.web)[: r.randint(300, 2500)]
            text = (
                f'Web search results for query: "{inp["query"]}"\n\nLinks: {enc(links)}\n\n'
                f"{summary}"
            )
            return (
                text,
                {
                    "query": inp["query"],
                    "results": [
                        {"tool_use_id": "srvtoolu_01" + self.b62(22), "content": links},
                        summary,
                    ],
                    "durationSeconds": round(r.uniform(2, 12), 6),
                },
                False,
                r.uniform(2, 12),
            )
        # mcp
        body = enc(
            {
                "id": r.randint(1, 10**6),
                "title": self.fill("{V} {w} {w2}"),
                "state": "open",
                "body": r.choice(self.P.web)[: r.randint(200, 1500)],
            }
        )
        return (
            [{"type": "text", "text": body}],
            [{"type": "text", "text": body}],
            False,
            r.uniform(0.3, 4),
        )

    def emit_tool_result(
        self,
        w: OutFile,
        parent: str,
        src_uuid: str,
        tu: dict[str, Any],
        content: Any,
        result: Any,
        is_error: bool,
        t: float,
    ) -> str:
        d = self.env(w, parent, "user")
        block: dict[str, Any] = {"tool_use_id": tu["id"], "type": "tool_result", "content": content}
        if is_error or tu["name"] == "Bash":
            block["is_error"] = is_error
        d["message"] = {"role": "user", "content": [block]}
        u = self.uuid()
        d["uuid"] = u
        d["timestamp"] = self.iso(t)
        d["toolUseResult"] = result
        if w.era == "v21":
            d["sourceToolAssistantUUID"] = src_uuid
        self.emit(w, enc(d), "user")
        return u
