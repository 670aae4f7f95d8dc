"""Writing lines: the envelope of a line, lines broken on purpose, files written out."""

from __future__ import annotations

from typing import Any

from bench.corpus.base import Base, OutFile, enc, inject


class Emission(Base):
    # ---- line emission -------------------------------------------------------------------
    def env(self, w: OutFile, parent: str | None, typ: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "parentUuid": parent,
            "isSidechain": w.sidechain,
            "userType": "external",
            "cwd": w.cwd,
            "sessionId": w.sid,
            "version": w.version,
            "gitBranch": w.branch,
        }
        if w.agent_id is not None:
            d["agentId"] = w.agent_id
        if w.slug is not None:
            d["slug"] = w.slug
        if typ is not None:
            d["type"] = typ
        return d

    def emit(self, w: OutFile, line: str, typ: str, *, assistant: bool = False) -> None:
        """Append one encoded JSON line (with its newline), maybe breaking it on purpose."""
        w.types[typ] += 1
        if w.broken_ok:
            cfg = self.cfg
            if self.want_broken("malformed", cfg.p_broken_extra * 0.65):
                cut = line[: max(1, int(len(line) * self.r.uniform(0.2, 0.8)))]
                if cut.endswith("\\"):
                    cut = cut[:-1]
                self._add_broken(w, cut + "\n", "malformed")
            elif self.want_broken("empty_line", cfg.p_broken_extra * 0.35):
                self._add_broken(w, "\n", "empty_line")
            if assistant or typ == "user":
                pc = cfg.p_broken_counted if assistant else cfg.p_broken_counted * 0.3
                if '"text":"' in line or '"content":"' in line:
                    if self.want_broken("lone_surrogate", pc * 0.35):
                        line = inject(line, "\\ud800 ")
                        self._add_broken(w, line + "\n", "lone_surrogate")
                        return
                    if self.want_broken("invalid_utf8", pc * 0.25):
                        line = inject(
                            line, self.r.choice(["\udcff\udcfe", "\udcc3(", "caf\udce9 "])
                        )
                        self._add_broken(w, line + "\n", "invalid_utf8")
                        return
                if self.want_broken("crlf", pc * 0.4):
                    self._add_broken(w, line + "\r\n", "crlf")
                    return
        w.lines.append(line + "\n")
        w.nbytes += len(line) + 1

    def want_broken(self, kind: str, p: float) -> bool:
        return self.want(kind, p)

    def _add_broken(self, w: OutFile, raw: str, kind: str) -> None:
        w.lines.append(raw)
        w.nbytes += len(raw)
        self.broken.append((w.rel, len(w.lines), kind))
        self.broken_files.add(w.rel)

    # ---- writers ------------------------------------------------------------------------
    def close(self, w: OutFile, category: str, *, truncate: bool = False) -> None:
        if truncate:
            # a session still being written: the last line is cut (an unfinished assistant line)
            d = self.env(w, w.parent)
            d["message"] = {
                "model": "claude-opus-4-6",
                "id": "msg_01" + self.b62(22),
                "type": "message",
                "role": "assistant",
                "content": [{"type": "text", "text": self.r.choice(self.P.texts)}],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": 3,
                    "cache_creation_input_tokens": 812,
                    "cache_read_input_tokens": 40211,
                    "output_tokens": 2,
                },
            }
            d["requestId"] = "req_011C" + self.b62(20)
            d["type"] = "assistant"
            full = enc(d)
            cut = full[: int(len(full) * self.r.uniform(0.3, 0.85))]
            w.lines.append(cut)
            w.nbytes += len(cut)
            self.broken.append((w.rel, len(w.lines), "truncated_last_line"))
            self.broken_files.add(w.rel)
            w.types["assistant(truncated)"] += 1
        data = self.restyle(w, category, "".join(w.lines)).encode("utf-8", "surrogateescape")
        path = self.out / w.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.total_bytes += len(data)
        self.file_sizes.append((w.rel, len(data), category))
        self.types.update(w.types)
        if not w.keep:
            w.lines = []

    def write_raw(self, rel: str, data: bytes, category: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.total_bytes += len(data)
        self.file_sizes.append((rel, len(data), category))
