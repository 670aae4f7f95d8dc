"""The rich Claude Code corpus: a generator assembled from its parts, and ``generate``."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.corpus.base import enc
from bench.corpus.calls import Calls
from bench.corpus.emission import Emission
from bench.corpus.manifest import GENERATOR_VERSION, Manifest
from bench.corpus.misc_lines import MiscLines
from bench.corpus.profiles import END_DATE, Profile, make_config
from bench.corpus.sessions import Sessions
from bench.corpus.special_files import SpecialFiles
from bench.corpus.subagents import Subagents
from bench.corpus.tool_inputs import ToolInputs
from bench.corpus.tool_results import ToolResults
from bench.corpus.turns import Turns
from bench.corpus.variants import Variants


class ClaudeGenerator(
    Sessions,
    Turns,
    Subagents,
    Calls,
    ToolInputs,
    ToolResults,
    MiscLines,
    Emission,
    Variants,
    SpecialFiles,
):
    """Writes a whole corpus (``run``) and returns its ground truth (``manifest``)."""

    # ---- driver ------------------------------------------------------------------------
    def run(self) -> None:
        cfg = self.cfg
        r = self.r
        if cfg.noise_file_bytes:
            self.noise_file(cfg.noise_file_bytes)
        for _ in range(3 if cfg.profile == "bench" else 1):
            if cfg.profile != "demo":
                self.summary_only_file()
        if cfg.profile != "demo":
            proj = self.pick_project()
            self.write_raw(f".claude/projects/{proj['enc']}/{self.uuid()}.jsonl", b"", "empty")
            self.features["empty_file"] += 1
        # the marathon session: multi-day, many compactions
        self.new_session(
            t=self.t0 + 86400 * max(0, cfg.days - 24) + 9 * 3600,
            target=cfg.marathon_bytes,
            era="v21",
            marathon=True,
        )
        while self.total_bytes < cfg.target_bytes or any(
            self.owed.get(k, 0) > 0
            for k in (
                "layout_embedded",
                "layout_flat",
                "layout_nested",
                "resume",
                "truncated_last_line",
            )
        ):
            self.new_session()
            if self.total_bytes > cfg.target_bytes * 1.5:
                break
        if cfg.profile == "demo":
            # the session the user is in right now: its last line is still being written
            self.new_session(t=self.t_end - 3 * 3600, target=30_000, era="v21", live=True)
        del r

    def manifest(self, params: dict[str, Any]) -> Manifest:
        calls = sorted(self.calls.values(), key=lambda c: (c[2], c[0], c[1] or ""))
        sizes = sorted(s for _, s, cat in self.file_sizes if not cat.endswith("meta"))
        jsonl = [(rel, s, cat) for rel, s, cat in self.file_sizes if rel.endswith(".jsonl")]

        def pct(vals: list[int], q: float) -> int:
            if not vals:
                return 0
            return vals[min(len(vals) - 1, int(q * len(vals)))]

        js = sorted(s for _, s, _ in jsonl)
        main = sorted(s for _, s, cat in jsonl if cat.startswith("session"))
        cats = Counter(cat for _, _, cat in self.file_sizes)
        files = {
            "jsonl_files": len(jsonl),
            "all_files": len(self.file_sizes),
            "bytes": sum(s for _, s, _ in self.file_sizes),
            "jsonl_bytes": sum(js),
            "by_category": dict(sorted(cats.items())),
            "jsonl_percentiles": {
                f"p{int(q * 100)}": pct(js, q) for q in (0.5, 0.75, 0.9, 0.95, 0.99)
            }
            | {"max": js[-1] if js else 0},
            "session_file_percentiles": {
                f"p{int(q * 100)}": pct(main, q) for q in (0.5, 0.75, 0.9, 0.95, 0.99)
            }
            | {"max": main[-1] if main else 0},
        }
        del sizes
        return Manifest(
            params=params,
            calls=calls,
            broken_lines=sorted(self.broken),
            broken_by_kind=dict(sorted(Counter(k for _, _, k in self.broken).items())),
            lines_by_type=dict(sorted(self.types.items())),
            files=files,
            features=dict(sorted(self.features.items())),
        )


def generate(
    out: Path,
    *,
    profile: Profile,
    seed: int = 0,
    target_bytes: int | None = None,
    start: date | None = None,
    days: int | None = None,
    quirks: bool | None = None,
) -> Manifest:
    """Write a Claude Code tree under ``out/.claude/projects`` and return its ground truth.

    ``quirks`` adds the quirks of ``profiles.QUIRK_FEATURES`` to a profile (the ``quirks``
    profile has them unless ``quirks=False``). ``out/manifest.json`` receives the same manifest
    (outside ``.claude``). ``out`` should be empty or absent; existing files under
    ``out/.claude`` are not removed.
    """
    out = Path(out)
    cfg = make_config(profile, target_bytes, days, quirks)
    start = start or (END_DATE - timedelta(days=cfg.days - 1))
    params = {
        "profile": profile,
        "seed": seed,
        "target_bytes": cfg.target_bytes,
        "start": start.isoformat(),
        "days": cfg.days,
        "generator_version": GENERATOR_VERSION,
    }
    if quirks is not None and quirks != (profile == "quirks"):
        params["quirks"] = quirks
    (out / ".claude" / "projects").mkdir(parents=True, exist_ok=True)
    g = ClaudeGenerator(out, cfg, seed, start)
    g.run()
    m = g.manifest(params)
    (out / "manifest.json").write_text(enc(m.to_json()), encoding="utf-8")
    return m
