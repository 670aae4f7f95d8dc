"""Subagents in their three layouts (embedded sidechains, flat agent files, nested with a
sidecar), compaction summarisers, /btw replays, and the Task calls that spawn them."""

from __future__ import annotations

import bisect
from typing import Any

from bench.corpus.base import Base, OutFile, PromptCache, enc, tok
from bench.corpus.calls import CopyTarget
from bench.corpus.catalog import SUB_MODELS


class Subagents(Base):
    # ---- subagents -------------------------------------------------------------------------
    def run_subagent(
        self,
        S: dict[str, Any],
        pw: OutFile,
        task: dict[str, Any],
        t0: float,
        layout: str,
        compact: bool = False,
    ) -> tuple[str, float, str, int, int]:
        """Run a subagent conversation; returns (final text, end time, agent id, tokens, tools)."""
        r = self.r
        proj = S["proj"]
        prompt = task["input"].get("prompt", "")
        sid = pw.sid
        if layout == "embedded":
            w = OutFile(
                pw.rel,
                sid,
                sidechain=True,
                agent_id=None,
                broken_ok=pw.broken_ok,
                era=pw.era,
                version=pw.version,
                cwd=pw.cwd,
                branch=pw.branch,
                slug=pw.slug,
                lines=pw.lines,
                types=pw.types,
            )
            aid = ""
            missing = False
        else:
            # quirk: the subagent's own transcript is gone; its copies in the parent remain
            missing = not compact and self.maybe("progress_only", self.cfg.p_progress_only)
            if compact:
                aid = "acompact-" + self.hexid(6)
            elif layout == "flat":
                aid = self.hexid(8)
            else:
                aid = "a" + self.hexid(16) if r.random() < 0.7 else self.hexid(7)
            rel = (
                f".claude/projects/{proj['enc']}/agent-{aid}.jsonl"
                if layout == "flat"
                else f".claude/projects/{proj['enc']}/{sid}/subagents/agent-{aid}.jsonl"
            )
            w = OutFile(
                rel,
                sid,
                sidechain=True,
                agent_id=aid,
                broken_ok=pw.broken_ok and not missing,
                era=pw.era,
                version=pw.version,
                cwd=pw.cwd,
                branch=pw.branch,
                slug=pw.slug,
            )
            self.features["layout_" + layout] += 1
            if self.owed.get("layout_" + layout, 0) > 0:
                self.owed["layout_" + layout] -= 1
            if missing:
                self.features["progress_only"] += 1
            if layout == "nested" and not compact and not missing:
                meta = {
                    "agentType": task["input"].get("subagent_type", "general-purpose"),
                    "description": task["input"].get("description", ""),
                    "toolUseId": task["id"],
                }
                if pw.version >= "2.1.50":
                    meta["spawnDepth"] = 1
                self.write_raw(rel[: -len(".jsonl")] + ".meta.json", enc(meta).encode(), "meta")
        if layout == "embedded":
            self.features["layout_embedded"] += 1
            if self.owed.get("layout_embedded", 0) > 0:
                self.owed["layout_embedded"] -= 1
        t = t0 + r.uniform(0.5, 4.0)
        model = self.pick(SUB_MODELS[pw.era]) if not compact else S["ctx"].model
        c = PromptCache(model, 300, 10**9)
        p = self.user_text(w, None, prompt, t)
        progress_to = None
        if layout != "embedded" and not compact:
            with_rid = not self.maybe("progress_no_request_id", self.cfg.p_progress_no_rid)
            if not with_rid:
                self.features["progress_no_request_id"] += 1
            progress_to = CopyTarget(pw, task["id"], prompt, missing, with_rid)
        if compact:
            c.first = False
            c.ctx = r.randint(8_000, 18_000)
            c.last = t
            new = S["ctx"].ctx
            blocks = [
                {
                    "type": "text",
                    "text": "<analysis>\n"
                    + "\n".join(r.choices(self.P.texts, k=30))
                    + "\n</analysis>\n<summary>\n"
                    + "\n".join(r.choices(self.P.texts, k=20))
                    + "\n</summary>",
                }
            ]
            p, t = self.api_call(w, c, t, blocks, r.randint(1500, 5000), new, p)
            self.close(w, "acompact")
            return "", t, aid, 0, 0
        n_calls = r.randint(1, 8) if r.random() < 0.85 else r.randint(9, 30)
        total_tokens = 0
        n_tools = 0
        focus = r.sample(proj["files"], min(3, len(proj["files"])))
        new_tokens = len(prompt) // 4 + 50
        for k in range(n_calls):
            last = k == n_calls - 1
            blocks: list[dict[str, Any]] = []
            if r.random() < 0.5 or last:
                blocks.append({"type": "text", "text": r.choice(self.P.texts)})
            tus = []
            if not last:
                for _ in range(1 if r.random() < 0.7 else r.randint(2, 4)):
                    name = self._sub_vals[
                        bisect.bisect_right(self._sub_cum, r.random() * self._sub_cum[-1])
                    ]
                    tu, _tid = self.tool_use(proj, name, focus)
                    if w.era == "v21":
                        tu["caller"] = {"type": "direct"}
                    tus.append(tu)
                blocks.extend(tus)
            out = r.randint(40, 600) if not last else r.randint(300, 2500)
            p, t = self.api_call(w, c, t, blocks, out, new_tokens, p, progress_to=progress_to)
            new_tokens = out
            src = p
            for tu in tus:
                content, res, err, dur = self.tool_result(proj, tu)
                t += dur
                p = self.emit_tool_result(w, p, src, tu, content, res, err, t)
                new_tokens += tok(content)
                n_tools += 1
            t += r.uniform(0.3, 3)
        total_tokens = c.ctx
        if missing:
            w.lines = []  # never written
        elif layout != "embedded":
            self.close(w, "subagent_" + layout)
        else:
            pw.nbytes += w.nbytes
        return r.choice(self.P.texts), t, aid, total_tokens, n_tools

    def btw_replay(self, S: dict[str, Any], pw: OutFile, t: float) -> float:
        """A /btw side question: sidechain file replaying parent calls with new request ids."""
        r = self.r
        proj = S["proj"]
        aid = "a" + self.hexid(16)
        rel = f".claude/projects/{proj['enc']}/{pw.sid}/subagents/agent-{aid}.jsonl"
        w = OutFile(
            rel,
            pw.sid,
            sidechain=True,
            agent_id=aid,
            broken_ok=False,
            era=pw.era,
            version=pw.version,
            cwd=pw.cwd,
            branch=pw.branch,
            slug=pw.slug,
        )
        recent = S["recent_assistant"][-3:]
        p = None
        for d0 in recent:
            d = self.env(w, p)
            d["message"] = d0["message"]
            d["requestId"] = "req_011C" + self.b62(20)  # a new request id: a replay, not a call
            d["type"] = "assistant"
            u = self.uuid()
            d["uuid"] = u
            d["timestamp"] = self.iso(t)
            p = u
            self.emit(w, enc(d), "assistant")
            self.features["btw_replayed_lines"] += 1
        t += 1
        p = self.user_text(w, p, "btw " + r.choice(self.P.prompts), t)
        c = PromptCache(S["ctx"].model, S["ctx"].ttl, 10**9)
        c.first = False
        c.ctx = S["ctx"].ctx
        c.last = t
        _p, t = self.api_call(
            w, c, t, [{"type": "text", "text": r.choice(self.P.texts)}], r.randint(50, 600), 40, p
        )
        self.close(w, "subagent_nested")
        self.features["btw_replay"] += 1
        return t

    def task_tool(self, w: OutFile) -> dict[str, Any]:
        r = self.r
        name = "Agent" if w.version >= "2.1.63" else "Task"
        inp = {
            "description": r.choice(
                [
                    "Explore codebase",
                    "Find callers",
                    "Research API",
                    "Review changes",
                    "Investigate failing test",
                ]
            ),
            "prompt": r.choice(self.P.prompts) + "\n\n" + "\n".join(r.choices(self.P.texts, k=3)),
            "subagent_type": r.choice(["general-purpose", "general-purpose", "Explore", "Plan"]),
        }
        if w.era == "v21" and r.random() < 0.2:
            inp["run_in_background"] = True
        return {"type": "tool_use", "id": "toolu_01" + self.b62(22), "name": name, "input": inp}

    def task_result(
        self, S: dict[str, Any], w: OutFile, tu: dict[str, Any], t: float, p: str, src: str
    ) -> tuple[float, str]:
        layout = S["layout"]
        text, t_end, aid, tokens, ntools = self.run_subagent(S, w, tu, t, layout)
        if layout == "embedded":
            p = w.parent or p
        if tu["input"].get("run_in_background"):
            S["bg_task"] = aid
        content = [{"type": "text", "text": text}]
        res = {
            "status": "completed",
            "prompt": tu["input"]["prompt"],
            "agentId": aid,
            "content": content,
            "totalDurationMs": int((t_end - t) * 1000),
            "totalTokens": tokens,
            "totalToolUseCount": ntools,
        }
        if layout == "embedded":
            res = {
                "content": content,
                "totalDurationMs": int((t_end - t) * 1000),
                "totalTokens": tokens,
                "totalToolUseCount": ntools,
            }
        t = t_end + 0.3
        p = self.emit_tool_result(w, p, src, tu, content, res, False, t)
        w.parent = p
        return t, p
