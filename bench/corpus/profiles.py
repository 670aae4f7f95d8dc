"""Corpus profiles: how big, how many days and projects, and how often each quirk appears."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

Profile = Literal["bench", "demo", "small", "quirks"]
PROFILES: tuple[Profile, ...] = ("bench", "demo", "small", "quirks")

END_DATE = date(2026, 11, 20)

# Size quantiles of a main session file (ccusage's real-world profile), bytes.
SIZE_Q_BENCH = [
    (0.0, 2_500),
    (0.10, 18_000),
    (0.25, 48_000),
    (0.50, 105_000),
    (0.75, 234_000),
    (0.90, 654_000),
    (0.95, 1_500_000),
    (0.99, 5_400_000),
    (1.0, 14_000_000),
]
SIZE_Q_DEMO = [(0.0, 3_000), (0.5, 9_000), (0.9, 30_000), (1.0, 50_000)]
SIZE_Q_SMALL = [(0.0, 2_000), (0.5, 12_000), (0.9, 50_000), (1.0, 120_000)]


@dataclass
class Config:
    profile: str
    days: int
    n_projects: int
    size_q: list[tuple[float, int]]
    target_bytes: int
    eras: tuple[
        float, float, float
    ]  # weights of 1.0.x (embedded), 2.0.28-2.1.37 (flat), 2.1.38+ (nested)
    p_task: float  # per tool_use slot: Task instead of another tool
    p_broken_extra: float  # per line: insert a malformed/empty line before it
    p_broken_counted: float  # per assistant line: lone surrogate / invalid utf-8 / CRLF
    p_truncated_file: float
    p_resume: float
    p_btw: float
    p_synthetic: float  # per turn
    p_fast: float  # per opus-4-6 call
    p_clear_followup: float
    p_long_ctx_session: float
    p_identical_copies: float
    read_lines_median: int
    marathon_bytes: int
    noise_file_bytes: int
    minimums: dict[str, int] = field(default_factory=dict)
    named_projects_only: bool = False
    broken: bool = True
    demo_prompts: bool = False
    notes_project_first: bool = False  # the project with a space in its path is always present
    # Quirks added after the first profiles were frozen (QUIRK_FEATURES); 0 = never, and then
    # the generator draws nothing for them, so older profiles keep writing the same bytes.
    p_advisor: float = 0.0  # per 2.1.38+ call: an advisor consultation in usage.iterations
    p_progress_only: float = 0.0  # per subagent: its own transcript is missing (copies only)
    p_progress_no_rid: float = 0.0  # per subagent: its agent_progress copies lack requestId
    p_bom: float = 0.0  # per clean file: a UTF-8 byte-order mark at its start
    p_loose_json: float = 0.0  # per clean file: re-serialised with whitespace around colons


QUIRK_FEATURES = ("advisor", "progress_only", "progress_no_request_id", "bom", "loose_json")
"""The quirks a profile adds with ``quirks=True`` (and the ``quirks`` profile always has)."""


def with_quirks(cfg: Config, minimum: int) -> Config:
    """``cfg`` with every quirk of QUIRK_FEATURES, each at least ``minimum`` times."""
    return replace(
        cfg,
        p_advisor=0.03,
        p_progress_only=0.2,
        p_progress_no_rid=0.2,
        p_bom=0.02,
        p_loose_json=0.02,
        minimums={**cfg.minimums, **dict.fromkeys(QUIRK_FEATURES, minimum)},
    )


def make_config(
    profile: str, target_bytes: int | None, days: int | None, quirks: bool | None = None
) -> Config:
    """The configuration of ``profile``; ``quirks`` adds (or, for the ``quirks`` profile,
    removes) the quirks of QUIRK_FEATURES."""
    if profile == "quirks":
        cfg = replace(_make_config("small", target_bytes, days), profile="quirks")
        return cfg if quirks is False else with_quirks(cfg, 2)
    cfg = _make_config(profile, target_bytes, days)
    return with_quirks(cfg, 1) if quirks else cfg


def _make_config(profile: str, target_bytes: int | None, days: int | None) -> Config:
    if profile == "bench":
        tb = int(target_bytes or 1_000_000_000)
        return Config(
            profile,
            days or 60,
            30,
            SIZE_Q_BENCH,
            tb,
            (0.08, 0.27, 0.65),
            p_task=0.085,
            p_broken_extra=0.0012,
            p_broken_counted=0.0012,
            p_truncated_file=0.004,
            p_resume=0.05,
            p_btw=0.01,
            p_synthetic=0.01,
            p_fast=0.008,
            p_clear_followup=0.08,
            p_long_ctx_session=0.01,
            p_identical_copies=0.2,
            read_lines_median=12,
            marathon_bytes=int(tb * 0.075),
            noise_file_bytes=max(int(tb * 0.105), 1_000_000),
            minimums={k: 1 for k in ALL_FEATURES},
        )
    if profile == "demo":
        return Config(
            profile,
            days or 21,
            6,
            SIZE_Q_DEMO,
            int(target_bytes or 2_300_000),
            (0.0, 0.3, 0.7),
            p_task=0.04,
            p_broken_extra=0.0,
            p_broken_counted=0.0,
            p_truncated_file=0.0,
            p_resume=0.03,
            p_btw=0.0,
            p_synthetic=0.02,
            p_fast=0.0,
            p_clear_followup=0.1,
            p_long_ctx_session=0.0,
            p_identical_copies=0.2,
            read_lines_median=30,
            marathon_bytes=300_000,
            noise_file_bytes=0,
            minimums={
                "layout_flat": 2,
                "layout_nested": 3,
                "idle_rebuild": 3,
                "repeated_read": 1,
                "compaction": 1,
                "resume": 1,
                "synthetic": 1,
                "cache_1h": 1,
                "task_notification": 1,
            },
            named_projects_only=True,
            broken=False,
            demo_prompts=True,
        )
    if profile == "small":
        return Config(
            profile,
            days or 10,
            6,
            SIZE_Q_SMALL,
            int(target_bytes or 3_500_000),
            (0.25, 0.3, 0.45),
            p_task=0.15,
            p_broken_extra=0.004,
            p_broken_counted=0.006,
            p_truncated_file=0.03,
            p_resume=0.08,
            p_btw=0.05,
            p_synthetic=0.03,
            p_fast=0.02,
            p_clear_followup=0.1,
            p_long_ctx_session=0.0,
            p_identical_copies=0.2,
            read_lines_median=40,
            marathon_bytes=400_000,
            noise_file_bytes=400_000,
            minimums={k: 2 for k in ALL_FEATURES},
            notes_project_first=True,
        )
    raise ValueError(f"unknown profile {profile!r}")


BROKEN_KINDS = (
    "malformed",
    "empty_line",
    "crlf",
    "lone_surrogate",
    "invalid_utf8",
    "truncated_last_line",
)
ALL_FEATURES = (
    *BROKEN_KINDS,
    "layout_embedded",
    "layout_flat",
    "layout_nested",
    "resume",
    "btw_replay",
    "synthetic",
    "fast",
    "long_context",
    "no_request_id",
    "no_cache_breakdown",
    "acompact",
    "compaction",
    "idle_rebuild",
    "cache_1h",
    "repeated_read",
    "identical_copies",
    "task_notification",
    "summary_only_file",
    "empty_file",
)


def default_start(profile: Profile, days: int | None = None) -> date:
    cfg = make_config(profile, None, days)
    return END_DATE - timedelta(days=cfg.days - 1)
