"""API calls: prompt-cache usage, one response written as one line per content block, the
ground truth of every billed call, advisor consultations, and the agent_progress copies of
subagent lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.corpus.base import Base, OutFile, PromptCache, enc
from bench.corpus.catalog import ADVISOR_MODELS, NO_BREAKDOWN_VERSIONS


@dataclass(slots=True)
class CopyTarget:
    """Where a running subagent's lines are copied: agent_progress lines of the parent file."""

    file: OutFile
    tool_id: str
    prompt: str
    every_line: bool = False
    """The subagent's own transcript will be missing: every line is copied (else about half)."""
    request_id: bool = True
    """2.1.x copies carry the line's requestId; older ones leave it out."""


@dataclass(slots=True)
class Advisor:
    """An advisor consultation inside one response: billed at its own model, outside the
    response's top-level usage."""

    model: str
    input: int
    output: int
    iterations: list[dict[str, Any]]


class Calls(Base):
    def register(
        self,
        mid: str,
        rid: str | None,
        t: float,
        model: str,
        u: tuple[int, int, int, int, int],
        sid: str,
        sub: bool,
        fast: bool,
    ) -> None:
        key = (mid, rid)
        prev = self.calls.get(key)
        if prev is None or u[1] >= prev[5]:
            self.calls[key] = (
                mid,
                rid,
                self.iso(t),
                model,
                u[0],
                u[1],
                u[2],
                u[3],
                u[4],
                sid,
                sub,
                fast,
            )

    # ---- assistant call ------------------------------------------------------------------
    def usage_for(self, c: PromptCache, t: float, new_tokens: int) -> tuple[int, int, int]:
        """(input, cache_read, cache_write) for a call at time t; updates the context state."""
        r = self.r
        c.pending += new_tokens
        if c.first:
            sys_tokens = r.randint(9_000, 19_000) + c.extra
            if r.random() < 0.6:
                read, write = sys_tokens, c.pending + r.randint(200, 3_000)
            else:
                read, write = 0, sys_tokens + c.pending
            c.first = False
            c.ctx = read + write
        elif t - c.last > c.ttl:
            # cache expired: the whole conversation is written to the cache again
            read = r.randint(9_000, 19_000) if r.random() < 0.5 else 0
            read = min(read, c.ctx)
            write = c.ctx - read + c.pending
            c.ctx = read + write
            if write > 20_000:
                self.features["idle_rebuild"] += 1
                if self.owed.get("idle_rebuild", 0) > 0:
                    self.owed["idle_rebuild"] -= 1
        else:
            read = c.ctx
            write = c.pending
            c.ctx += write
        c.pending = 0
        inp = (
            r.choice((1, 3, 3, 3, 4, 5, 6, 8, 10, 12)) if r.random() < 0.93 else r.randint(20, 3000)
        )
        c.last = t
        return inp, read, write

    def api_call(
        self,
        w: OutFile,
        c: PromptCache,
        t: float,
        blocks: list[dict[str, Any]],
        out_final: int,
        new_tokens: int,
        parent: str | None,
        *,
        stop: str | None = None,
        no_request_id: bool = False,
        progress_to: CopyTarget | None = None,
    ) -> tuple[str, float]:
        """Write one API response as one line per content block; returns (last uuid, end time)."""
        r = self.r
        era = w.era
        model = c.model
        inp, read, write = self.usage_for(c, t, new_tokens)
        if read + write + inp > 200_000:
            self.features["long_context"] += 1
        one_h = c.ttl == 3600
        if one_h:
            cw5, cw1 = 0, write
            self.features["cache_1h"] += 1
        else:
            cw5, cw1 = write, 0
        breakdown = w.version not in NO_BREAKDOWN_VERSIONS
        if not breakdown:
            self.features["no_cache_breakdown"] += 1
        fast = False
        if model == "claude-opus-4-6" and era == "v21" and not w.sidechain:
            fast = self.want("fast", self.cfg.p_fast)
            if fast:
                self.features["fast"] += 1
        mid = "msg_01" + self.b62(22)
        rid = None if no_request_id else "req_011C" + self.b62(20)
        if no_request_id:
            self.features["no_request_id"] += 1
            blocks = blocks[-1:]
        n = len(blocks)
        early = r.choice((1, 2, 3, 3, 4, 8, 9, 11, 13))
        out_final = max(out_final, early + 1)
        identical = (
            n == 1
            and not no_request_id
            and self.want("identical_copies", self.cfg.p_identical_copies)
        )
        if identical:
            self.features["identical_copies"] += 1
            blocks = blocks * r.choice((2, 2, 3))
            n = len(blocks)
        ttft = r.uniform(1.2, 5.0) + (out_final / 60.0 if n == 1 else 0)
        t += ttft
        advisor = self.advisor_for(inp, read, write, out_final) if era == "v21" else None
        uid_prev = parent
        sub = w.sidechain
        line = ""
        for i, blk in enumerate(blocks):
            last = i == n - 1
            out = out_final if (last or identical) else early
            if era == "v1":
                msg: dict[str, Any] = {
                    "id": mid,
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [blk],
                    "stop_reason": (stop if last else None),
                    "stop_sequence": None,
                }
                usage: dict[str, Any] = {
                    "input_tokens": inp,
                    "cache_creation_input_tokens": write,
                    "cache_read_input_tokens": read,
                }
                if breakdown:
                    usage["cache_creation"] = {
                        "ephemeral_5m_input_tokens": cw5,
                        "ephemeral_1h_input_tokens": cw1,
                    }
                usage["output_tokens"] = out
                usage["service_tier"] = "standard"
            else:
                msg = {
                    "model": model,
                    "id": mid,
                    "type": "message",
                    "role": "assistant",
                    "content": [blk],
                    "stop_reason": None,
                    "stop_sequence": None,
                }
                if era == "v21" and last and not identical and r.random() < 0.5:
                    # the final line of a 2.1.x response often has the fuller usage object
                    usage = {
                        "input_tokens": inp,
                        "cache_creation_input_tokens": write,
                        "cache_read_input_tokens": read,
                        "output_tokens": out,
                        "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
                        "service_tier": "standard",
                        "cache_creation": {
                            "ephemeral_1h_input_tokens": cw1,
                            "ephemeral_5m_input_tokens": cw5,
                        },
                        "inference_geo": "",
                        "iterations": [],
                    }
                    if fast:
                        usage["speed"] = "fast"
                else:
                    usage = {
                        "input_tokens": inp,
                        "cache_creation_input_tokens": write,
                        "cache_read_input_tokens": read,
                        "cache_creation": {
                            "ephemeral_5m_input_tokens": cw5,
                            "ephemeral_1h_input_tokens": cw1,
                        },
                        "output_tokens": out,
                        "service_tier": "standard",
                    }
                    if fast:
                        usage["speed"] = "fast"
                    if era == "v21":
                        usage["inference_geo"] = "not_available"
            consulted = advisor is not None and (last or identical)
            if consulted:
                usage["iterations"] = advisor.iterations  # type: ignore[union-attr]
            msg["usage"] = usage
            if not identical or i == 0:
                uid = self.uuid()
                d = self.env(w, uid_prev)
                d["message"] = msg
                if rid is not None:
                    d["requestId"] = rid
                d["type"] = "assistant"
                if consulted:
                    d["advisorModel"] = advisor.model  # type: ignore[union-attr]
                d["uuid"] = uid
                d["timestamp"] = self.iso(t)
                line = enc(d)
                self.register(mid, rid, t, model, (inp, out, read, cw5, cw1), w.sid, sub, fast)
                if consulted:
                    a = advisor
                    assert a is not None
                    usage_a = (a.input, a.output, 0, 0, 0)
                    self.register(f"{mid}#advisor1", rid, t, a.model, usage_a, w.sid, sub, False)
                uid_prev = uid
                self.last_msg = msg
            self.emit(w, line, "assistant", assistant=True)
            if progress_to is not None and (progress_to.every_line or r.random() < 0.5):
                self.agent_progress(progress_to, d, t)
            if not last:
                t += r.uniform(0.05, 1.4)
        return uid_prev or "", t

    def advisor_for(self, inp: int, read: int, write: int, out: int) -> Advisor | None:
        """Maybe an advisor consultation for a response (quirk ``advisor``): the advisor reads
        the whole conversation uncached; the executor's two message iterations add up to the
        response's top-level usage; now and then an unbilled fallback entry."""
        if not self.maybe("advisor", self.cfg.p_advisor):
            return None
        r = self.r
        self.features["advisor"] += 1
        model = self.pick(ADVISOR_MODELS)
        a_in, a_out = inp + read + write + r.randint(300, 3_000), r.randint(200, 6_000)
        o1, i1, r1, w1 = out // 8, inp // 2, read // 2, write // 2

        def message(i: int, o: int, rd: int, wr: int) -> dict[str, Any]:
            return {
                "type": "message",
                "input_tokens": i,
                "output_tokens": o,
                "cache_read_input_tokens": rd,
                "cache_creation_input_tokens": wr,
            }

        advice = {
            "type": "advisor_message",
            "model": model,
            "input_tokens": a_in,
            "output_tokens": a_out,
            "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 0,
        }
        iterations = [
            message(i1, o1, r1, w1),
            advice,
            message(inp - i1, out - o1, read - r1, write - w1),
        ]
        if r.random() < 0.25:
            fallback = {"type": "fallback_message", "model": "claude-sonnet-4-6"}
            iterations.insert(1, fallback | {"input_tokens": a_in // 3, "output_tokens": 0})
        return Advisor(model, a_in, a_out, iterations)

    def agent_progress(self, target: CopyTarget, d: dict[str, Any], t: float) -> None:
        pw, tool_id, prompt = target.file, target.tool_id, target.prompt
        msg = dict(d["message"])
        msg["context_management"] = None
        inner = {
            "type": "assistant",
            "timestamp": d["timestamp"],
            "message": msg,
            "requestId": d.get("requestId"),
            "uuid": d["uuid"],
        }
        if not target.request_id:
            del inner["requestId"]
        p = self.env(pw, pw.parent, "progress")
        p["data"] = {
            "message": inner,
            "normalizedMessages": [],
            "type": "agent_progress",
            "prompt": prompt[:400],
            "agentId": d.get("agentId", ""),
        }
        p["toolUseID"] = "agent_msg_01" + self.b62(22)
        p["parentToolUseID"] = tool_id
        u = self.uuid()
        p["uuid"] = u
        p["timestamp"] = self.iso(t + 0.01)
        pw.parent = u
        self.emit(pw, enc(p), "progress:agent_progress")
