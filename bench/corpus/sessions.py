"""Sessions: where and when they start, their turns and idle gaps, resumes, /clear follow-ups,
slash commands and compaction."""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from datetime import timedelta
from typing import Any

from bench.corpus.base import Base, OutFile, PromptCache, enc, tok
from bench.corpus.catalog import ERA_MODELS, ERA_VERSIONS, NO_BREAKDOWN_VERSIONS
from bench.corpus.text import BRANCHES, PROMPTS, SLUG_A, SLUG_B, SLUG_C


class Sessions(Base):
    # ---- sessions --------------------------------------------------------------------------
    def pick_project(self) -> dict[str, Any]:
        i = bisect.bisect_right(self._proj_cum, self.r.random() * self._proj_cum[-1])
        return self._projects[min(i, len(self._projects) - 1)]

    def pick_start(self) -> float:
        r = self.r
        while True:
            day = r.randrange(self.cfg.days)
            d = self.start + timedelta(days=day)
            if d.weekday() >= 5 and r.random() < 0.65:
                continue
            break
        hour = r.choice(
            [7, 8, 9, 9, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18, 20, 21, 22, 23]
        )
        return self.t0 + day * 86400 + hour * 3600 + r.uniform(0, 3600)

    def pick_era(self) -> str:
        e = self.cfg.eras
        if self.owed.get("layout_embedded", 0) > 0 and e[0] > 0:
            return "v1"
        if self.owed.get("layout_flat", 0) > 0 and e[1] > 0:
            return "v20"
        x = self.r.random() * sum(e)
        return "v1" if x < e[0] else ("v20" if x < e[0] + e[1] else "v21")

    def session_size(self) -> int:
        q = self.cfg.size_q
        u = self.r.random()
        for (p0, s0), (p1, s1) in itertools.pairwise(q):
            if u <= p1:
                f = (u - p0) / (p1 - p0) if p1 > p0 else 0
                return int(math.exp(math.log(s0) + f * (math.log(s1) - math.log(s0))))
        return q[-1][1]

    def new_session(
        self,
        *,
        proj: dict[str, Any] | None = None,
        t: float | None = None,
        target: int | None = None,
        era: str | None = None,
        clear_first: bool = False,
        marathon: bool = False,
        live: bool = False,
    ) -> None:
        r = self.r
        cfg = self.cfg
        proj = proj or self.pick_project()
        era = era or self.pick_era()
        version = r.choice(ERA_VERSIONS[era])
        if era == "v1" and self.owed.get("no_cache_breakdown", 0) > 0:
            version = r.choice(sorted(NO_BREAKDOWN_VERSIONS))
        sid = self.uuid()
        branch = self.fill(r.choice(BRANCHES)) if era != "v1" or r.random() < 0.7 else ""
        _slug = (  # unused, kept: it draws from the RNG (output stability)
            f"{r.choice(SLUG_A)}-{r.choice(SLUG_B)}-{r.choice(SLUG_C)}" if era == "v21" else None
        )
        t = t if t is not None else self.pick_start()
        target = target or self.session_size()
        resume = (
            not marathon and not live and target < 3_000_000 and self.want("resume", cfg.p_resume)
        )
        broken_ok = cfg.broken and not resume
        rel = f".claude/projects/{proj['enc']}/{sid}.jsonl"
        w = OutFile(
            rel,
            sid,
            sidechain=False,
            agent_id=None,
            broken_ok=broken_ok,
            era=era,
            version=version,
            cwd=proj["cwd"],
            branch=branch,
            slug=None,
            lines=None,
        )
        w.keep = resume
        model = self.pick(ERA_MODELS[era]) if not marathon else "claude-opus-4-6"
        ttl = 3600 if era == "v21" and self.want("cache_1h", 0.45) else 300
        long_ctx = (
            not marathon
            and model in ("claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-sonnet-4-6")
            and self.want("long_context", cfg.p_long_ctx_session)
        )
        threshold = r.randint(120_000, 165_000)
        extra = 0
        if long_ctx:
            threshold = r.randint(225_000, 250_000)
            extra = r.randint(188_000, 196_000)
            target = min(target, 60_000)
        c = PromptCache(model, ttl, threshold, extra)
        S = {
            "proj": proj,
            "w": w,
            "ctx": c,
            "recent_assistant": [],
            "tracked": {},
            "layout": {"v1": "embedded", "v20": "flat", "v21": "nested"}[era],
            "read_counts": Counter(),
            "btw_done": False,
        }
        if era != "v21" and r.random() < 0.15:
            for _ in range(r.randint(1, 3)):
                self.emit(
                    w,
                    enc(
                        {
                            "type": "summary",
                            "summary": self.fill(r.choice(PROMPTS)).capitalize(),
                            "leafUuid": self.uuid(),
                        }
                    ),
                    "summary",
                )
        if clear_first:
            p = self.slash(w, None, "clear", "", t)
            t += r.uniform(2, 20)
        else:
            p = None
        w.parent = p
        t = self.session_turns(S, t, target, marathon=marathon)
        if w.slug is None and era == "v21":
            pass
        truncate = live or (
            broken_ok and self.want_broken("truncated_last_line", cfg.p_truncated_file)
        )
        self.close(w, "session", truncate=truncate)
        if resume:
            self.resume_session(S, t)
        if not marathon and not live and t < self.t_end - 600 and r.random() < cfg.p_clear_followup:
            self.new_session(
                proj=proj,
                t=t + r.uniform(10, 120),
                era=era,
                clear_first=True,
                target=self.session_size(),
            )

    def resume_session(self, S: dict[str, Any], t_end_prev: float) -> None:
        r = self.r
        w0: OutFile = S["w"]
        t = t_end_prev + r.choice([r.uniform(1800, 7200), r.uniform(3 * 3600, 30 * 3600)])
        if t > self.t_end - 3600:
            t = t_end_prev + r.uniform(600, 1800)
        if t > self.t_end - 600:
            w0.lines = []
            return
        new_file_id = self.uuid()
        rel = w0.rel.rsplit("/", 1)[0] + f"/{new_file_id}.jsonl"
        w = OutFile(
            rel,
            w0.sid,
            sidechain=False,
            agent_id=None,
            broken_ok=False,
            era=w0.era,
            version=w0.version,
            cwd=w0.cwd,
            branch=w0.branch,
            slug=w0.slug,
            lines=list(w0.lines),
            types=Counter(w0.types),
        )
        w.nbytes = w0.nbytes
        w.parent = w0.parent
        w0.lines = []
        S["w"] = w
        S["ctx"].last = t - 10**6  # cache long gone
        self.features["resume"] += 1
        t = self.session_turns(S, t, w.nbytes + r.randint(20_000, 200_000))
        self.close(w, "session_resumed")

    def session_turns(
        self, S: dict[str, Any], t: float, target: int, marathon: bool = False
    ) -> float:
        r = self.r
        cfg = self.cfg
        w: OutFile = S["w"]
        c: PromptCache = S["ctx"]
        proj = S["proj"]
        focus = r.sample(proj["files"], min(4, len(proj["files"])))
        slug_at = r.randint(0, 2)
        turn = 0
        repeated = None
        if self.owed.get("repeated_read", 0) > 0 and (target > 80_000 or marathon):
            self.owed["repeated_read"] -= 1
            repeated = focus[0]
        S["target"] = target
        c = S["ctx"]
        t_start = t
        while w.nbytes < target and t < self.t_end:
            if w.era == "v21" and turn == slug_at and w.slug is None:
                w.slug = r.choice(SLUG_A) + "-" + r.choice(SLUG_B) + "-" + r.choice(SLUG_C)
            t = self.turn(S, t, focus, repeated)
            turn += 1
            # idle gap before the next human prompt
            x = r.random()
            if self.owed.get("idle_rebuild", 0) > 0 and c.ctx > 20_000:
                t += c.ttl + r.uniform(60, 1800)
            elif x < 0.75:
                t += r.uniform(15, 280)
            elif x < 0.9:
                t += r.uniform(330, 3000)
            elif x < 0.97 or (marathon and x < 0.996):
                t += r.uniform(3700, 3 * 3600) if not marathon else r.uniform(330, 3000)
            else:
                t += (
                    r.uniform(8 * 3600, 16 * 3600)
                    if (marathon or target > 400_000)
                    else r.uniform(400, 900)
                )
            if r.random() < 0.04:
                t = self.misc_commands(S, t)
            if r.random() < 0.05 and focus:
                focus = r.sample(proj["files"], min(4, len(proj["files"])))
            if (
                w.era == "v21"
                and not S["btw_done"]
                and S["recent_assistant"]
                and self.want("btw_replay", cfg.p_btw)
            ):
                S["btw_done"] = True
                t = self.btw_replay(S, w, t) + r.uniform(5, 60)
        if int(t // 86400) != int(t_start // 86400):
            self.features["session_crosses_midnight_utc"] += 1
        return t

    def misc_commands(self, S: dict[str, Any], t: float) -> float:
        r = self.r
        w: OutFile = S["w"]
        cmd, out = r.choice(
            [
                ("model", "Kept model as \u001b[1mDefault (recommended)\u001b[22m"),
                ("mcp", "MCP dialog dismissed"),
                ("cost", "Total cost: $3.41"),
                ("context", "Context usage: 41%"),
                ("compact", ""),
            ]
        )
        if cmd == "compact":
            return self.compact(S, t, "manual")
        w.parent = self.slash(w, w.parent, cmd, out, t)
        return t + r.uniform(1, 30)

    def compact(self, S: dict[str, Any], t: float, trigger: str) -> float:
        r = self.r
        w: OutFile = S["w"]
        c: PromptCache = S["ctx"]
        self.features["compaction"] += 1
        if self.owed.get("compaction", 0) > 0:
            self.owed["compaction"] -= 1
        pre = c.ctx
        if S["layout"] == "nested":
            task = {
                "id": "",
                "input": {
                    "prompt": "Your task is to create a detailed summary of the "
                    "conversation so far, paying close attention to the "
                    "user's explicit requests and your previous actions."
                },
            }
            _x, t, _a, _b, _c = self.run_subagent(S, w, task, t, "nested", compact=True)
            self.features["acompact"] += 1
            if self.owed.get("acompact", 0) > 0:
                self.owed["acompact"] -= 1
        else:
            t += r.uniform(20, 90)
        b = self.system(
            w,
            None,
            "compact_boundary",
            t,
            logicalParentUuid=w.parent,
            content="Conversation compacted",
            level="info",
            compactMetadata={"trigger": trigger, "preTokens": pre},
        )
        summ = (
            "This session is being continued from a previous conversation that ran out of "
            "context. The conversation is summarized below:\n"
            + "\n".join(r.choices(self.P.texts, k=25))
        )
        w.parent = self.user_text(
            w,
            b,
            summ,
            t + 0.01,
            extra={"isVisibleInTranscriptOnly": True, "isCompactSummary": True},
        )
        c.ctx = r.randint(9_000, 19_000) + c.extra
        c.pending = tok(summ) + r.randint(2_000, 8_000)
        c.last = t - 10**6  # next call writes the new prefix
        return t + r.uniform(1, 5)
