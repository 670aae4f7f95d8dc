"""One turn: the human prompt, the calls and tool round-trips that answer it, or an API error."""

from __future__ import annotations

import bisect
import math
import re
from typing import Any

from bench.corpus.base import Base, OutFile, PromptCache, enc, tok


class Turns(Base):
    def turn(self, S: dict[str, Any], t: float, focus: list[str], repeated: str | None) -> float:
        r = self.r
        cfg = self.cfg
        w: OutFile = S["w"]
        c: PromptCache = S["ctx"]
        proj = S["proj"]
        if c.ctx > c.threshold or (
            c.ctx > 25_000
            and (
                self.owed.get("compaction", 0) > 0
                or (self.owed.get("acompact", 0) > 0 and S["layout"] == "nested")
            )
        ):
            t = self.compact(S, t, "auto")
        # the human prompt
        text = r.choice(self.P.prompts)
        if "{file}" in text:
            text = text.replace("{file}", focus[0].split(proj["cwd"] + "/", 1)[-1])
        elif "src/" in text and focus:
            text = re.sub(r"src/\S+\.py", focus[0].split(proj["cwd"] + "/", 1)[-1], text)
        if r.random() < 0.05:
            self.emit(
                w,
                enc(
                    {
                        "type": "queue-operation",
                        "operation": "enqueue",
                        "timestamp": self.iso(t - 3),
                        "sessionId": w.sid,
                        "content": text,
                    }
                ),
                "queue-operation",
            )
            self.emit(
                w,
                enc(
                    {
                        "type": "queue-operation",
                        "operation": "remove",
                        "timestamp": self.iso(t - 1),
                        "sessionId": w.sid,
                    }
                ),
                "queue-operation",
            )
        pu = self.uuid()
        if w.era != "v1":
            self.snapshot(w, pu, t, dict(S["tracked"]), False)
        if w.era == "v21" and proj["hooks"] and r.random() < 0.3:
            w.parent = self.hook(w, w.parent, "UserPromptSubmit", "", pu, t - 0.05)
        d = self.env(w, w.parent, "user")
        d["message"] = {"role": "user", "content": text}
        d["uuid"] = pu
        d["timestamp"] = self.iso(t)
        if w.era == "v21":
            d["thinkingMetadata"] = {"maxThinkingTokens": 31999}
            d["todos"] = []
            d["permissionMode"] = r.choice(
                ["default", "default", "acceptEdits", "bypassPermissions"]
            )
        self.emit(w, enc(d), "user")
        p = pu
        t_turn0 = t
        new_tokens = tok(text) + r.randint(20, 400)
        # synthetic API error instead of a response
        if self.want("synthetic", cfg.p_synthetic):
            return self.synthetic(S, t, p)
        n_calls = max(1, int(r.lognormvariate(math.log(6), 0.9)))
        n_calls = min(n_calls, 60)
        reads_left = 0
        if repeated is not None and not S.get("repeated_done"):
            reads_left = r.randint(10, 14)
            n_calls = max(n_calls, reads_left + 2)
            S["repeated_done"] = True
            self.features["repeated_read"] += 1
        thinking_model = c.model != "claude-haiku-4-5-20251001"
        target = S["target"]
        for k in range(n_calls):
            if reads_left <= 0 and w.nbytes > target and k < n_calls - 1 and k > 0:
                n_calls = k + 1  # the file reached its size: wrap the turn up
            last = k == n_calls - 1
            if c.ctx > c.threshold + 25_000:
                t = self.compact(S, t, "auto")
                p = w.parent
            blocks: list[dict[str, Any]] = []
            if w.era == "v21" and r.random() < 0.3:
                blocks.append({"type": "text", "text": "\n\n"})
            if thinking_model and r.random() < (0.45 if k == 0 else 0.2):
                blocks.append(
                    {
                        "type": "thinking",
                        "thinking": r.choice(self.P.thinks),
                        "signature": r.choice(self.P.sigs),
                    }
                )
            if r.random() < 0.45 or last:
                blocks.append({"type": "text", "text": r.choice(self.P.texts)})
            tus: list[dict[str, Any]] = []
            if not last:
                ntu = 1 if r.random() < 0.8 else r.randint(2, 4)
                for _ in range(ntu):
                    if reads_left > 0 and r.random() < 0.8:
                        tu, _ = self.tool_use(proj, "Read", [repeated])  # type: ignore[list-item]
                        tu["input"]["file_path"] = repeated
                        reads_left -= 1
                    elif (r.random() < cfg.p_task and w.era != "v1") or (
                        w.era == "v1" and r.random() < cfg.p_task * 0.7
                    ):
                        tu = self.task_tool(w)
                    else:
                        name = self._tool_vals[
                            bisect.bisect_right(self._tool_cum, r.random() * self._tool_cum[-1])
                        ]
                        tu, _ = self.tool_use(proj, name, focus)
                    if w.era == "v21":
                        tu["caller"] = {"type": "direct"}
                    tus.append(tu)
                blocks.extend(tus)
            if last:
                out = int(r.lognormvariate(math.log(450), 0.8))
            elif any(b["type"] == "thinking" for b in blocks):
                out = int(r.lognormvariate(math.log(700), 0.8))
            else:
                out = int(r.lognormvariate(math.log(160), 0.9))
            if any(tu["name"] == "Write" for tu in tus):
                out += sum(len(tu["input"]["content"]) // 4 for tu in tus if tu["name"] == "Write")
            out = min(out, 32_000)
            no_rid = w.era == "v1" and self.owed.get("no_request_id", 0) > 0 and k == 0
            if no_rid:
                self.owed["no_request_id"] -= 1
            p, t = self.api_call(
                w,
                c,
                t,
                blocks,
                out,
                new_tokens,
                p,
                stop=("end_turn" if last else "tool_use"),
                no_request_id=no_rid,
            )
            if w.era == "v21" and not S["btw_done"] and r.random() < 0.3:
                S["recent_assistant"] = [*S["recent_assistant"][-3:], {"message": self.last_msg}]
            new_tokens = out
            src = p
            for tu in tus:
                if w.era == "v21" and proj["hooks"] and r.random() < 0.5:
                    w.parent = p
                    p = self.hook(w, p, "PreToolUse", tu["name"], tu["id"], t + 0.005)
                if tu["name"] in ("Task", "Agent"):
                    t, p = self.task_result(S, w, tu, t, p, src)
                    new_tokens += 600
                    continue
                content, res, err, dur = self.tool_result(proj, tu)
                t += dur
                if tu["name"] in ("Edit", "Write", "MultiEdit"):
                    fp = tu["input"]["file_path"]
                    tr = S["tracked"]
                    v = tr.get(fp, {}).get("version", 0) + 1
                    tr[fp] = {
                        "backupFileName": f"{self.hexid(16)}@v{v}",
                        "version": v,
                        "backupTime": self.iso(t),
                    }
                if w.era == "v21" and proj["hooks"] and r.random() < 0.5:
                    p = self.hook(w, p, "PostToolUse", tu["name"], tu["id"], t)
                p = self.emit_tool_result(w, p, src, tu, content, res, err, t)
                new_tokens += tok(content)
            w.parent = p
            t += r.uniform(0.5, 4)
            if last:
                break
        if w.era == "v21" and r.random() < 0.5:
            w.parent = self.system(
                w, w.parent, "turn_duration", t, durationMs=int((t - t_turn0) * 1000)
            )
        if w.era == "v21" and S.get("bg_task") and self.want("task_notification", 0.3):
            S["bg_task"] = None
            t += r.uniform(20, 200)
            w.parent = self.user_text(
                w,
                w.parent,
                f"<task-notification>\n<task-id>{self.hexid(8)}</task-id>\n<status>completed"
                '</status>\n<summary>Agent "Explore codebase" completed</summary>\n</task-notification>',  # noqa: E501
                t,
                prompt=True,
            )
            self.features["task_notification"] += 1
            p, t = self.api_call(
                w,
                c,
                t + 2,
                [{"type": "text", "text": r.choice(self.P.texts)}],
                r.randint(80, 700),
                300,
                w.parent,
                stop="end_turn",
            )
            w.parent = p
        return t

    def synthetic(self, S: dict[str, Any], t: float, parent: str) -> float:
        r = self.r
        w: OutFile = S["w"]
        t += r.uniform(2, 30)
        text = r.choice(
            [
                "API Error: Request was aborted.",
                'API Error: 529 {"type":"error","error":'
                '{"type":"overloaded_error","message":"Overloaded"}}',
                f"Claude AI usage limit reached|{int(t) // 3600 * 3600 + 3 * 3600}",
            ]
        )
        d = self.env(w, parent)
        d["message"] = {
            "id": self.uuid(),
            "container": None,
            "model": "<synthetic>",
            "role": "assistant",
            "stop_reason": "stop_sequence",
            "stop_sequence": "",
            "type": "message",
            "usage": {
                "input_tokens": 0,
                "output_tokens": 0,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
                "service_tier": None,
                "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
            },
            "content": [{"type": "text", "text": text}],
        }
        d["type"] = "assistant"
        u = self.uuid()
        d["uuid"] = u
        d["timestamp"] = self.iso(t)
        d["isApiErrorMessage"] = True
        self.emit(w, enc(d), "assistant(synthetic)")
        self.features["synthetic"] += 1
        w.parent = u
        return t
