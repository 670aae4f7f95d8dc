"""The generator's state and the helpers every part of it uses: the output file being written,
the prompt cache of a conversation, ids and timestamps drawn from the corpus's RNG, projects."""

from __future__ import annotations

import bisect
import json
import math
import random
import re
import time as _time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.corpus.catalog import SUB_TOOLS, TOOLS, weighted
from bench.corpus.profiles import Config
from bench.corpus.text import B62, LANG_EXT, PROJECTS_MORE, PROJECTS_NAMED, WORDS, Pools, pools

ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
enc = ENCODER.encode
"""Claude Code's compact JSON."""


class OutFile:
    """One output file being written (main session, subagent, acompact)."""

    __slots__ = (
        "agent_id",
        "branch",
        "broken_ok",
        "cwd",
        "era",
        "keep",
        "lines",
        "nbytes",
        "parent",
        "rel",
        "sid",
        "sidechain",
        "slug",
        "types",
        "version",
    )

    def __init__(
        self,
        rel: str,
        sid: str,
        *,
        sidechain: bool,
        agent_id: str | None,
        broken_ok: bool,
        era: str,
        version: str,
        cwd: str,
        branch: str,
        slug: str | None,
        lines: list[str] | None = None,
        types: Counter[str] | None = None,
    ) -> None:
        self.rel = rel
        self.types: Counter[str] = types if types is not None else Counter()
        self.lines = lines if lines is not None else []
        self.nbytes = 0
        self.sid = sid
        self.sidechain = sidechain
        self.agent_id = agent_id
        self.broken_ok = broken_ok
        self.keep = False
        self.parent: str | None = None
        self.era = era
        self.version = version
        self.cwd = cwd
        self.branch = branch
        self.slug = slug


class PromptCache:
    """Prompt-cache state of one conversation (main agent or a subagent)."""

    __slots__ = ("ctx", "extra", "first", "last", "model", "pending", "threshold", "ttl")

    def __init__(self, model: str, ttl: int, threshold: int, extra: int = 0) -> None:
        self.extra = extra  # e.g. huge MCP tool definitions: part of every prompt
        self.ctx = 0
        self.pending = 0
        self.last = -1e18
        self.ttl = ttl
        self.threshold = threshold
        self.model = model
        self.first = True


class Base:
    def __init__(self, out: Path, cfg: Config, seed: int, start: date) -> None:
        self.out = out
        self.root = out / ".claude" / "projects"
        self.cfg = cfg
        self.r = random.Random(seed)
        self.P = pools()
        self.start = start
        self.t0 = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
        self.t_end = self.t0 + cfg.days * 86400 - 1
        self.calls: dict[tuple[str, str | None], tuple] = {}
        self.broken: list[tuple[str, int, str]] = []
        self.broken_files: set[str] = set()
        self.types: Counter[str] = Counter()
        self.features: Counter[str] = Counter()
        self.owed: dict[str, int] = dict(cfg.minimums)
        self.total_bytes = 0
        self.file_sizes: list[tuple[str, int, str]] = []  # (rel, bytes, category)
        self._tool_vals, self._tool_cum = weighted(TOOLS)
        self._sub_vals, self._sub_cum = weighted(SUB_TOOLS)
        self._ts_cache: tuple[int, str] = (-1, "")
        self._projects = self._make_projects()
        skew = 0.3 if cfg.named_projects_only else 0.8
        self._proj_w = [1.0 / (i + 1) ** skew for i in range(len(self._projects))]
        self._proj_cum = []
        s = 0.0
        for w in self._proj_w:
            s += w
            self._proj_cum.append(s)

    # ---- small helpers -------------------------------------------------------------------
    def want(self, feature: str, p: float) -> bool:
        """Random decision that also honours a guaranteed minimum number of occurrences."""
        if self.owed.get(feature, 0) > 0:
            self.owed[feature] -= 1
            return True
        return self.r.random() < p

    def maybe(self, feature: str, p: float) -> bool:
        """``want`` for a quirk a profile may not have: when it is off (``p == 0`` and nothing
        owed) no random number is drawn, so profiles without it keep writing the same bytes."""
        if p <= 0 and self.owed.get(feature, 0) <= 0:
            return False
        return self.want(feature, p)

    def uuid(self) -> str:
        h = f"{self.r.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def b62(self, n: int) -> str:
        return "".join(self.r.choices(B62, k=n))

    def hexid(self, n: int) -> str:
        return f"{self.r.getrandbits(4 * n):0{n}x}"

    def iso(self, t: float) -> str:
        ms = int(t * 1000)
        sec, milli = divmod(ms, 1000)
        base_key = sec // 60
        if self._ts_cache[0] != base_key:
            tm = _time.gmtime(base_key * 60)
            self._ts_cache = (
                base_key,
                f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d}T"
                f"{tm.tm_hour:02d}:{tm.tm_min:02d}:",
            )
        return f"{self._ts_cache[1]}{sec % 60:02d}.{milli:03d}Z"

    def pick(self, items: list[tuple[Any, int]]) -> Any:
        vals, cum = weighted(items)
        return vals[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def fill(self, tpl: str, file: str | None = None) -> str:
        return Pools._fill(self.r, tpl, file)

    # ---- projects ------------------------------------------------------------------------
    def _make_projects(self) -> list[dict[str, Any]]:
        cfg = self.cfg
        names = list(PROJECTS_NAMED)
        if not cfg.named_projects_only:
            more = list(PROJECTS_MORE)
            self.r.shuffle(more)
            if cfg.notes_project_first:
                more = [m for m in more if m[0] == "notes & drafts"] + more
            names += more
        names = names[: cfg.n_projects]
        projects = []
        for name, lang in names:
            cwd = f"/home/dev/src/{name}"
            n_files = self.r.randint(25, 90)
            files = []
            for _ in range(n_files):
                d = self.r.choice(["src", "src", "lib", "tests", "app", "pkg", "internal", "docs"])
                files.append(
                    f"{cwd}/{d}/{self.r.choice(WORDS)}_{self.r.choice(WORDS)}{LANG_EXT[lang]}"
                )
            projects.append(
                {
                    "name": name,
                    "lang": lang,
                    "cwd": cwd,
                    "enc": re.sub(r"[^a-zA-Z0-9]", "-", cwd),
                    "files": files,
                    "content": {},
                    "numbered": {},
                    "hooks": self.r.random() < 0.35,
                }
            )
        return projects

    def file_content(self, proj: dict[str, Any], path: str) -> str:
        c = proj["content"].get(path)
        if c is None:
            pool = self.P.code[proj["lang"]]
            n = int(
                min(1800, max(4, self.r.lognormvariate(math.log(self.cfg.read_lines_median), 0.9)))
            )
            a = self.r.randrange(0, len(pool) - n) if n < len(pool) else 0
            c = "\n".join(pool[a : a + n])
            proj["content"][path] = c
        return c


def inject(line: str, token: str) -> str:
    for marker in ('"text":"', '"content":"'):
        i = line.find(marker)
        if i >= 0:
            j = i + len(marker)
            return line[:j] + token + line[j:]
    return line


def tok(content: Any) -> int:
    if isinstance(content, str):
        return len(content) // 4 + 5
    return len(enc(content)) // 4 + 5
