"""Deterministic generator of realistic Claude Code transcript trees.

``generate(out, profile=...)`` writes ``out/.claude/projects/<encoded-cwd>/...`` exactly as
Claude Code lays it out (main session files, the three subagent layouts, compaction summariser
files, sidecar ``.meta.json`` files) and returns a :class:`Manifest` with the ground truth,
computed from the generator's own bookkeeping while it writes (never by re-reading the files):

* every unique billed call (message id, request id, timestamp of the line a correct reader keeps,
  model, the five token figures, session id, subagent flag, fast flag);
* per-UTC-day totals (``Manifest.day_totals(tz)`` re-buckets the calls for any time zone);
* every deliberately broken line (file, 1-based line number, kind) and the counts by kind;
* lines by type, file-size statistics, subagent layouts, the parameters used.

Counting rules the ground truth follows (see shared/research/formats.md §1): only top-level
``type == "assistant"`` lines count; one call = one ``(message.id, requestId)`` group across all
files, keep the line with the largest ``output_tokens`` (the generator makes that line unique, or
all copies byte-identical); ``<synthetic>`` lines carry zero usage; sidechain lines that replay a
parent call (same ``message.id``, other ``requestId``; ``/btw`` side questions) are not calls;
``agent_progress`` copies are not calls; assistant lines that are valid JSON but contain a
lone-surrogate escape, invalid UTF-8 bytes inside a string, or a CRLF terminator *are* counted; a
truncated last line is not.

Only the standard library is used; everything random comes from ``random.Random(seed)`` (text pools
come from a fixed seed), so the same arguments give byte-identical trees.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import random
import re
import time as _time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

GENERATOR_VERSION = 3

Profile = Literal["bench", "demo", "small"]

_ENC = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
_enc = _ENC.encode

END_DATE = date(2026, 11, 20)

# --------------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------------

CALL_FIELDS = (
    "message_id",
    "request_id",
    "timestamp",
    "model",
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "session_id",
    "is_subagent",
    "fast",
)


@dataclass
class Manifest:
    """Ground truth of one generated tree (also written to ``out/manifest.json``)."""

    params: dict[str, Any]
    calls: list[tuple]  # one tuple per unique billed call, fields in CALL_FIELDS order
    broken_lines: list[tuple[str, int, str]]  # (path relative to out, 1-based line, kind)
    broken_by_kind: dict[str, int]
    lines_by_type: dict[str, int]
    files: dict[str, Any]
    features: dict[str, int]

    # -- derived ------------------------------------------------------------------------
    @property
    def unique_calls(self) -> int:
        return len(self.calls)

    def totals(self) -> dict[str, int]:
        t = {
            "calls": 0,
            "input": 0,
            "output": 0,
            "cache_read": 0,
            "cache_write_5m": 0,
            "cache_write_1h": 0,
        }
        for c in self.calls:
            t["calls"] += 1
            t["input"] += c[4]
            t["output"] += c[5]
            t["cache_read"] += c[6]
            t["cache_write_5m"] += c[7]
            t["cache_write_1h"] += c[8]
        t["cache_write"] = t["cache_write_5m"] + t["cache_write_1h"]
        return t

    def day_totals(self, tz: str = "UTC") -> dict[str, dict[str, int]]:
        """Totals per calendar day in time zone ``tz`` (IANA name), keyed ``YYYY-MM-DD``."""
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(tz)
        out: dict[str, dict[str, int]] = {}
        for c in self.calls:
            ts = datetime.fromisoformat(c[2].replace("Z", "+00:00"))
            day = ts.astimezone(zone).date().isoformat() if tz != "UTC" else c[2][:10]
            d = out.get(day)
            if d is None:
                d = out[day] = {
                    "calls": 0,
                    "input": 0,
                    "output": 0,
                    "cache_read": 0,
                    "cache_write_5m": 0,
                    "cache_write_1h": 0,
                    "cache_write": 0,
                }
            d["calls"] += 1
            d["input"] += c[4]
            d["output"] += c[5]
            d["cache_read"] += c[6]
            d["cache_write_5m"] += c[7]
            d["cache_write_1h"] += c[8]
            d["cache_write"] += c[7] + c[8]
        return dict(sorted(out.items()))

    # -- (de)serialisation --------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        models: dict[str, int] = {}
        sessions: dict[str, int] = {}
        rows = []
        for c in self.calls:
            mi = models.setdefault(c[3], len(models))
            si = sessions.setdefault(c[9], len(sessions))
            rows.append(
                [c[0], c[1], c[2], mi, c[4], c[5], c[6], c[7], c[8], si, int(c[10]), int(c[11])]
            )
        return {
            "generator_version": GENERATOR_VERSION,
            "params": self.params,
            "files": self.files,
            "lines_by_type": self.lines_by_type,
            "broken_by_kind": self.broken_by_kind,
            "features": self.features,
            "totals": self.totals(),
            "days_utc": self.day_totals("UTC"),
            "broken_lines": [list(b) for b in self.broken_lines],
            "calls": {
                "fields": list(CALL_FIELDS),
                "note": "model and session_id are indexes into models/sessions; "
                "is_subagent and fast are 0/1",
                "models": list(models),
                "sessions": list(sessions),
                "rows": rows,
            },
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Manifest:
        cs = d["calls"]
        models, sessions = cs["models"], cs["sessions"]
        calls = [
            (
                r[0],
                r[1],
                r[2],
                models[r[3]],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                sessions[r[9]],
                bool(r[10]),
                bool(r[11]),
            )
            for r in cs["rows"]
        ]
        return cls(
            params=d["params"],
            calls=calls,
            broken_lines=[tuple(b) for b in d["broken_lines"]],
            broken_by_kind=d["broken_by_kind"],
            lines_by_type=d["lines_by_type"],
            files=d["files"],
            features=d.get("features", {}),
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def _split(words: str) -> list[str]:
    return words.split()


# --------------------------------------------------------------------------------------------
# Text pools (fixed seed: independent of the corpus seed, built once per process)
# --------------------------------------------------------------------------------------------

_WORDS = _split(
    "user account session token cache config request response handler router client server "
    "payload schema record batch queue worker job task event stream buffer index query "
    "filter order invoice payment customer product item price report metric label tenant "
    "region node cluster volume bucket object key value entry result error retry timeout "
    "limit policy rule profile setting option flag feature build deploy release version "
    "manifest module package service gateway proxy endpoint route path file line chunk "
    "block page view model layer state store action reducer effect hook component prop "
    "style theme layout grid table row column cell header footer dialog modal button input "
    "form field validator parser lexer"
)
_VERBS = _split(
    "get set load save fetch parse build create update delete list find resolve validate "
    "normalize render compute apply merge split flush sync send receive encode decode hash "
    "sign verify open close start stop init reset refresh collect emit handle map reduce"
)
_PY = [
    "def {v}_{w}(self, {w2}: {W}) -> {W2}:",
    '    """{V} the {w} for the given {w2}."""',
    "    if {w2} is None:",
    '        raise ValueError("{w2} must not be None")',
    "    {w} = self._{w}s.get({w2}.id)",
    "    return {W2}.from_{w}({w}, strict=True)",
    "class {W}{W2}(Base{W}):",
    "    {w}_{w2}: int = {n}",
    "    {w}: list[{W}] = field(default_factory=list)",
    "from .{w} import {W}, {W2}",
    "import {w}",
    "        for {w} in {w2}s:",
    "            yield self.{v}_{w}({w})",
    '    logger.debug("{v} %s in %.2f ms", {w2}, elapsed * 1000)',
    "    async def {v}_{w}(self, {w2}_id: str) -> {W} | None:",
    "        async with self._lock:",
    '            return await self._client.{v}(f"/{w}s/{{{w2}_id}}")',
    "@pytest.fixture",
    "def {w}_{w2}(tmp_path):",
    "    assert {v}_{w}({w2}) == {n}",
    "    # TODO: {v} {w} once the {w2} migration lands",
    "",
    "        except {W}Error as exc:",
    "            raise {W2}Error(str(exc)) from exc",
    "    {w}s = sorted({w2}s, key=lambda x: x.{w})",
    '    return {{"{w}": {w}, "{w2}": {w2}, "count": {n}}}',
]
_TS = [
    "export function {v}{W}({w}: {W2}): {W} {{",
    "  const {w}{W2} = await {v}{W}({w2});",
    "  if (!{w}) {{",
    "    throw new Error(`missing {w}: ${{{w2}}}`);",
    "  }}",
    "  return {{ ...{w}, {w2}: {w2} ?? {n} }};",
    "}}",
    "import {{ {W}, {W2} }} from './{w}';",
    "import type {{ {W}Props }} from '../{w2}/types';",
    "export interface {W}{W2} {{",
    "  {w}: string;",
    "  {w2}?: number;",
    "  readonly {w}Id: {W}Id;",
    "export const {w}{W2} = ({{ {w}, {w2} }}: {W}Props) => {{",
    "  const [{w}, set{W}] = useState<{W2} | null>(null);",
    "  useEffect(() => {{",
    "  }}, [{w}, {w2}]);",
    '    <div className="{w}-{w2}">',
    "      <{W} {w}={{{w}}} on{W2}={{{v}{W2}}} />",
    "    </div>",
    "describe('{v}{W}', () => {{",
    "  it('{v}s the {w} when {w2} is set', async () => {{",
    "    expect(await {v}{W}({w2})).toEqual({n});",
    "  }});",
    "",
    "  // {v} {w} lazily to keep the {w2} bundle small",
]
_GO = [
    "func (s *{W}Service) {V}{W2}(ctx context.Context, id string) (*{W2}, error) {{",
    "\t{w}, err := s.repo.{V}{W}(ctx, id)",
    "\tif err != nil {{",
    '\t\treturn nil, fmt.Errorf("{v} {w}: %w", err)',
    "\t}}",
    "\treturn &{W2}{{ID: {w}.ID, Count: {n}}}, nil",
    "}}",
    "type {W}{W2} struct {{",
    '\t{W} string `json:"{w}"`',
    '\t{W2}  int    `json:"{w2},omitempty"`',
    "\tfor _, {w} := range {w2}s {{",
    "\t\tif {w}.{W2} > {n} {{",
    "\t\t\tcontinue",
    "\t\t}}",
    "\tmu.Lock()",
    "\tdefer mu.Unlock()",
    "",
    "// {V}{W} {v}s the {w} and returns the {w2}.",
    '\tlog.Printf("{v} {w}=%s {w2}=%d", {w}, {n})',
]
_RS = [
    "pub fn {v}_{w}(&mut self, {w2}: &{W2}) -> Result<{W}, {W}Error> {{",
    "    let {w} = self.{w}s.get(&{w2}.id).ok_or({W}Error::NotFound)?;",
    "    Ok({W}::new({w}, {n}))",
    "}}",
    "#[derive(Debug, Clone, Serialize, Deserialize)]",
    "pub struct {W}{W2} {{",
    "    pub {w}: String,",
    "    pub {w2}: Option<u64>,",
    "impl {W} for {W2} {{",
    "    fn {v}(&self) -> usize {{",
    "        self.{w}.iter().filter(|x| x.{w2} > {n}).count()",
    "    }}",
    "use crate::{w}::{{{W}, {W2}}};",
    "",
    "    #[test]",
    "    fn {v}_{w}_works() {{",
    "        assert_eq!({v}_{w}(&{w2}), {n});",
    "    match {w} {{",
    '        {W}::{W2} => return Err(anyhow!("{v} failed for {w2}")),',
    "        _ => {{}}",
]
_HCL = [
    'resource "aws_{w}_{w2}" "{w}" {{',
    '  name     = "${{var.env}}-{w}-{w2}"',
    "  {w}_id  = aws_{w2}.main.id",
    "  tags     = local.common_tags",
    "}}",
    'variable "{w}_{w2}" {{',
    "  type    = number",
    "  default = {n}",
    'module "{w}" {{',
    '  source  = "./modules/{w2}"',
    "",
    "  lifecycle {{",
    "    prevent_destroy = true",
    "  }}",
    'output "{w}_{w2}_arn" {{',
    "  value = aws_{w}.{w2}.arn",
]
_MD = [
    "## {V} the {w}",
    "",
    "The `{w}` {w2} is {v}d on every request; see `{w}/{w2}.md` for details.",
    "- `{w}_{w2}`: number of {w}s to {v} (default {n})",
    "```bash",
    "make {v}-{w}",
    "```",
    "> **Note:** {V} the {w2} before you {v} the {w}.",
    "| {w} | {w2} | {n} |",
    "### {W} {W2}",
]
_LANG_TEMPLATES = {"py": _PY, "ts": _TS, "go": _GO, "rs": _RS, "tf": _HCL, "md": _MD}
_LANG_EXT = {"py": ".py", "ts": ".ts", "go": ".go", "rs": ".rs", "tf": ".tf", "md": ".md"}

_PROMPTS = [
    "fix the auth bug in the login flow",
    "the {w} endpoint returns 500 when {w2} is empty, can you fix it?",
    "add tests for {file}",
    "refactor {file} so the {w} logic lives in its own module",
    "why is `{v}_{w}` so slow? profile it and make it faster",
    "run the test suite and fix whatever fails",
    "add a --{w} flag to the cli that {v}s the {w2}",
    "can you explain how the {w} cache invalidation works here?",
    "write a migration that adds a `{w}_{w2}` column",
    "update the README with the new {w} setup steps",
    "the CI is red on main, see what broke",
    "rename {W} to {W2} everywhere",
    "implement pagination for the {w}s list",
    "add retries with exponential backoff to the {w} client",
    "look at {file} and tell me if there's a race condition",
    "bump the dependencies and make sure everything still builds",
    "make the {w} page responsive on mobile",
    "add structured logging to the {w2} worker",
    "we need a health check endpoint for the {w} service",
    "review my last commit",
    "commit this",
    "yes, go ahead",
    "no, keep the old behaviour for {w2}s and only change {w}s",
    "that broke the {w} test, please fix",
    "ok now do the same for {file}",
    "can you split this PR into smaller commits?",
    "add type hints to {file}",
    "port the {w} script from bash to python",
    "the docker build fails with a permission error, investigate",
    "set up terraform for a new {w} bucket in staging",
    "write a design doc for the {w} {w2} rework",
    "find all places where we {v} the {w} without checking the {w2}",
    "continue",
    "looks good. now add docs",
    "why does `make build` take 4 minutes?",
    "add a dark mode toggle to the settings page",
    "the {w} job leaks memory, find out where",
    "clean up the unused {w} helpers",
    "plan how to migrate {w}s from postgres to the new store, don't write code yet",
    "can you check the logs in /var/log/{w}.log and summarize the errors?",
]
_TEXTS = [
    "I'll start by looking at how the {w} is {v}d in `{file}`.",
    "Let me check the {w2} tests first to understand the expected behaviour.",
    "Found it: `{v}_{w}` ignores the {w2} when the cache is warm, so stale {w}s are returned.",
    "The fix is small: validate the {w2} before {v}ing the {w}, and add a regression test.",
    "All {n} tests pass now.",
    "I've updated `{file}`. The {w} is now {v}d lazily, which removes the extra round-trip.",
    "Now let me run the test suite to make sure nothing else broke.",
    "Let me search for other callers of `{v}_{w}`.",
    "The build is green. Here's a summary of what changed:\n\n- `{file}`: {v} the {w} only once\n"
    "- added a test for the empty {w2} case\n- removed the unused `{w}_{w2}` helper",
    "I see the problem. The {w2} handler swallows the error and returns an empty {w}.",
    "Good catch — I'll keep the old behaviour behind a flag.",
    "Let me look at the git history of this file.",
    "The migration is written; it is reversible and runs in a single transaction.",
    "I'm going to spawn an agent to explore the {w} module while I fix the {w2} bug.",
]
_THINKS = [
    "The user wants me to {v} the {w}. Let me think about where the {w2} comes from. It is created "
    "in the {w} service and passed down through the router, so the bug is probably in the "
    "{v} step. I should read `{file}` first, then check the tests.",
    "Hmm, the test failure says the {w} count is off by one. That suggests the {w2} boundary is "
    "inclusive on one side and exclusive on the other. Let me check the loop in `{v}_{w}`.",
    "I need to be careful not to break the public API. The {w2} parameter is used by the cli and "
    "by two other services. A safer approach is to add a new keyword argument with a default.",
    "Let me plan: 1) reproduce the failure, 2) find the root cause in the {w} layer, 3) fix, "
    "4) add a regression test, 5) run the whole suite.",
]
_BRANCHES = [
    "main",
    "main",
    "main",
    "master",
    "develop",
    "feat/{w}-{w2}",
    "fix/{w}-{v}",
    "chore/bump-deps",
    "refactor/{w}",
    "HEAD",
    "",
]
_SLUG_A = _split(
    "lexical dazzling quiet brave gentle rapid silent hidden cosmic frozen golden lucky"
)
_SLUG_B = _split("painting imagining dancing wandering humming drifting weaving glowing coding")
_SLUG_C = _split("whisper barto river falcon meadow ember harbor lantern pebble otter comet")
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B64 = _B62 + "+/"

PROJECTS_NAMED = [
    ("atlas-api", "py"),
    ("web-dashboard", "ts"),
    ("infra-terraform", "tf"),
    ("ml-pipeline", "py"),
    ("docs-site", "md"),
    ("cli-tools", "go"),
]
PROJECTS_MORE = [
    ("payments-service", "go"),
    ("auth-gateway", "ts"),
    ("mobile-app", "ts"),
    ("data-warehouse", "py"),
    ("search-indexer", "rs"),
    ("notification-hub", "ts"),
    ("billing-engine", "py"),
    ("k8s-manifests", "tf"),
    ("design-system", "ts"),
    ("analytics-etl", "py"),
    ("chat-backend", "go"),
    ("media-transcoder", "rs"),
    ("feature-flags", "ts"),
    ("edge-proxy", "rs"),
    ("recommender", "py"),
    ("geo-service", "go"),
    ("crm-sync", "py"),
    ("invoice-pdf", "ts"),
    ("log-shipper", "rs"),
    ("rate-limiter", "go"),
    ("scheduler", "py"),
    ("inventory-api", "ts"),
    ("graphql-gateway", "ts"),
    ("admin-portal", "ts"),
    ("e2e-tests", "ts"),
    ("sdk-python", "py"),
    ("dotfiles", "md"),
    ("homelab", "tf"),
    ("notes & drafts", "md"),
    ("compiler-playground", "rs"),
    ("llm-evals", "py"),
    ("game-engine", "rs"),
]


class _Pools:
    """Pre-generated text blocks, reused everywhere (fast, realistic-looking)."""

    def __init__(self) -> None:
        r = random.Random(20261120)
        self.r = r
        self.code: dict[str, list[str]] = {}
        for lang, tpls in _LANG_TEMPLATES.items():
            lines = []
            for _ in range(4000):
                lines.append(self._fill(r, r.choice(tpls)))
            self.code[lang] = lines
        self.prompts = [self._fill(r, p) for p in _PROMPTS for _ in range(6)]
        self.texts = [self._fill(r, t) for t in _TEXTS for _ in range(8)]
        self.thinks = [self._fill(r, t) for t in _THINKS for _ in range(10)]
        self.sigs = ["".join(r.choices(_B64, k=r.randint(300, 1800))) for _ in range(64)]
        self.blob = "".join(r.choices(_B64, k=400_000))  # base64-looking filler
        self.test_out = self._test_outputs(r)
        self.web = [self._web_page(r) for _ in range(40)]

    @staticmethod
    def _fill(r: random.Random, tpl: str, file: str | None = None) -> str:
        w, w2 = r.choice(_WORDS), r.choice(_WORDS)
        v = r.choice(_VERBS)
        return tpl.format(
            w=w,
            w2=w2,
            v=v,
            W=w.capitalize(),
            W2=w2.capitalize(),
            V=v.capitalize(),
            n=r.randint(0, 500),
            file=file or f"src/{w}/{w2}.py",
        )

    def _test_outputs(self, r: random.Random) -> list[str]:
        outs = []
        for _ in range(60):
            n = r.randint(5, 400)
            lines = [
                "============================= test session starts ==============================",
                "platform linux -- Python 3.11.9, pytest-8.3.3, pluggy-1.5.0",
                f"collected {n} items",
                "",
            ]
            for _ in range(r.randint(2, 18)):
                w, w2 = r.choice(_WORDS), r.choice(_WORDS)
                dots = "." * r.randint(1, 60)
                lines.append(f"tests/test_{w}_{w2}.py {dots}{' ' * 3}[{r.randint(1, 100):3d}%]")
            if r.random() < 0.4:
                w = r.choice(_WORDS)
                lines += [
                    "",
                    "=================================== FAILURES ===================================",  # noqa: E501
                    f"___________________________ test_{w}_roundtrip ___________________________",
                    "",
                ]
                lines += ["    " + self._fill(r, r.choice(_PY)) for _ in range(r.randint(4, 16))]
                lines += [
                    f"E       AssertionError: assert {r.randint(0, 99)} == {r.randint(100, 200)}",
                    f"FAILED tests/test_{w}.py::test_{w}_roundtrip - AssertionError",
                    f"========================= 1 failed, {n - 1} passed in {r.uniform(0.5, 90):.2f}s =========================",  # noqa: E501
                ]
            else:
                lines.append(
                    f"============================== {n} passed in {r.uniform(0.5, 90):.2f}s =============================="  # noqa: E501
                )
            outs.append("\n".join(lines))
        return outs

    def _web_page(self, r: random.Random) -> str:
        parts = [f"# {r.choice(_WORDS).capitalize()} {r.choice(_WORDS)} guide", ""]
        for _ in range(r.randint(3, 14)):
            parts.append(self._fill(r, r.choice(_MD)))
            parts.append(" ".join(r.choice(_WORDS) for _ in range(r.randint(8, 40))) + ".")
        return "\n".join(parts)


_POOLS: _Pools | None = None


def _pools() -> _Pools:
    global _POOLS
    if _POOLS is None:
        _POOLS = _Pools()
    return _POOLS


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------

# Size quantiles of a main session file (ccusage's real-world profile), bytes.
_SIZE_Q_BENCH = [
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
_SIZE_Q_DEMO = [(0.0, 3_000), (0.5, 9_000), (0.9, 30_000), (1.0, 50_000)]
_SIZE_Q_SMALL = [(0.0, 2_000), (0.5, 12_000), (0.9, 50_000), (1.0, 120_000)]


@dataclass
class _Cfg:
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


def _make_cfg(profile: str, target_bytes: int | None, days: int | None) -> _Cfg:
    if profile == "bench":
        tb = int(target_bytes or 1_000_000_000)
        return _Cfg(
            profile,
            days or 60,
            30,
            _SIZE_Q_BENCH,
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
            minimums={k: 1 for k in _ALL_FEATURES},
        )
    if profile == "demo":
        return _Cfg(
            profile,
            days or 21,
            6,
            _SIZE_Q_DEMO,
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
        return _Cfg(
            profile,
            days or 10,
            6,
            _SIZE_Q_SMALL,
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
            minimums={k: 2 for k in _ALL_FEATURES},
        )
    raise ValueError(f"unknown profile {profile!r}")


_BROKEN_KINDS = (
    "malformed",
    "empty_line",
    "crlf",
    "lone_surrogate",
    "invalid_utf8",
    "truncated_last_line",
)
_ALL_FEATURES = (
    *_BROKEN_KINDS,
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


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------

_ERA_VERSIONS = {
    "v1": ["1.0.51", "1.0.58", "1.0.88", "1.0.98", "1.0.108", "1.0.113"],
    "v20": ["2.0.30", "2.0.37", "2.0.55", "2.0.64", "2.0.76", "2.1.9", "2.1.20", "2.1.31"],
    "v21": ["2.1.38", "2.1.39", "2.1.45", "2.1.52", "2.1.63", "2.1.77"],
}
_NO_BREAKDOWN_VERSIONS = {"1.0.51", "1.0.58"}
_ERA_MODELS = {
    "v1": [("claude-sonnet-4-20250514", 70), ("claude-opus-4-1-20250805", 30)],
    "v20": [
        ("claude-sonnet-4-5-20250929", 55),
        ("claude-opus-4-6", 20),
        ("claude-opus-4-1-20250805", 12),
        ("claude-haiku-4-5-20251001", 13),
    ],
    "v21": [
        ("claude-opus-4-6", 50),
        ("claude-sonnet-4-6", 25),
        ("claude-sonnet-4-5-20250929", 15),
        ("claude-haiku-4-5-20251001", 10),
    ],
}
_SUB_MODELS = {
    "v1": [("claude-sonnet-4-20250514", 100)],
    "v20": [("claude-haiku-4-5-20251001", 50), ("claude-sonnet-4-5-20250929", 50)],
    "v21": [
        ("claude-haiku-4-5-20251001", 50),
        ("claude-sonnet-4-6", 25),
        ("claude-sonnet-4-5-20250929", 10),
        ("claude-opus-4-6", 15),
    ],
}
_TOOLS = [
    ("Read", 27),
    ("Edit", 12),
    ("Bash", 22),
    ("Grep", 9),
    ("Glob", 5),
    ("Write", 3),
    ("MultiEdit", 1),
    ("TodoWrite", 5),
    ("WebFetch", 2),
    ("WebSearch", 2),
    ("mcp", 4),
]
_SUB_TOOLS = [
    ("Read", 40),
    ("Grep", 20),
    ("Glob", 12),
    ("Bash", 18),
    ("WebSearch", 5),
    ("WebFetch", 5),
]
_MCP = [
    (
        "mcp__github__get_issue",
        lambda r, p: {"owner": "acme", "repo": p, "issue_number": r.randint(1, 900)},
    ),
    (
        "mcp__github__create_pull_request",
        lambda r, p: {
            "owner": "acme",
            "repo": p,
            "title": "Fix " + r.choice(_WORDS),
            "head": "fix/" + r.choice(_WORDS),
            "base": "main",
        },
    ),
    ("mcp__playwright__browser_snapshot", lambda r, p: {}),
    ("mcp__linear__list_issues", lambda r, p: {"team": p, "state": "In Progress"}),
    (
        "mcp__postgres__query",
        lambda r, p: {"sql": f"SELECT id, {r.choice(_WORDS)} FROM {r.choice(_WORDS)}s LIMIT 50"},
    ),
]


def _weighted(items: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    vals = [v for v, _ in items]
    cum, s = [], 0
    for _, w in items:
        s += w
        cum.append(s)
    return vals, cum


class _W:
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


class _Ctx:
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


class _Gen:
    def __init__(self, out: Path, cfg: _Cfg, seed: int, start: date) -> None:
        self.out = out
        self.root = out / ".claude" / "projects"
        self.cfg = cfg
        self.r = random.Random(seed)
        self.P = _pools()
        self.start = start
        self.t0 = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
        self.t_end = self.t0 + cfg.days * 86400 - 1
        self.calls: dict[tuple[str, str | None], tuple] = {}
        self.broken: list[tuple[str, int, str]] = []
        self.types: Counter[str] = Counter()
        self.features: Counter[str] = Counter()
        self.owed: dict[str, int] = dict(cfg.minimums)
        self.total_bytes = 0
        self.file_sizes: list[tuple[str, int, str]] = []  # (rel, bytes, category)
        self._tool_vals, self._tool_cum = _weighted(_TOOLS)
        self._sub_vals, self._sub_cum = _weighted(_SUB_TOOLS)
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

    def uuid(self) -> str:
        h = f"{self.r.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def b62(self, n: int) -> str:
        return "".join(self.r.choices(_B62, k=n))

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
        vals, cum = _weighted(items)
        return vals[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def fill(self, tpl: str, file: str | None = None) -> str:
        return _Pools._fill(self.r, tpl, file)

    # ---- projects ------------------------------------------------------------------------
    def _make_projects(self) -> list[dict[str, Any]]:
        cfg = self.cfg
        names = list(PROJECTS_NAMED)
        if not cfg.named_projects_only:
            more = list(PROJECTS_MORE)
            self.r.shuffle(more)
            if cfg.profile == "small":
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
                    f"{cwd}/{d}/{self.r.choice(_WORDS)}_{self.r.choice(_WORDS)}{_LANG_EXT[lang]}"
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

    # ---- line emission -------------------------------------------------------------------
    def env(self, w: _W, parent: str | None, typ: str | None = None) -> dict[str, Any]:
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

    def emit(self, w: _W, line: str, typ: str, *, assistant: bool = False) -> None:
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
                        line = _inject(line, "\\ud800 ")
                        self._add_broken(w, line + "\n", "lone_surrogate")
                        return
                    if self.want_broken("invalid_utf8", pc * 0.25):
                        line = _inject(
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

    def _add_broken(self, w: _W, raw: str, kind: str) -> None:
        w.lines.append(raw)
        w.nbytes += len(raw)
        self.broken.append((w.rel, len(w.lines), kind))

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
    def usage_for(self, c: _Ctx, t: float, new_tokens: int) -> tuple[int, int, int]:
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
        w: _W,
        c: _Ctx,
        t: float,
        blocks: list[dict[str, Any]],
        out_final: int,
        new_tokens: int,
        parent: str | None,
        *,
        stop: str | None = None,
        no_request_id: bool = False,
        progress_to: tuple[_W, str, str] | None = None,
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
        breakdown = w.version not in _NO_BREAKDOWN_VERSIONS
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
            msg["usage"] = usage
            if not identical or i == 0:
                uid = self.uuid()
                d = self.env(w, uid_prev)
                d["message"] = msg
                if rid is not None:
                    d["requestId"] = rid
                d["type"] = "assistant"
                d["uuid"] = uid
                d["timestamp"] = self.iso(t)
                line = _enc(d)
                self.register(mid, rid, t, model, (inp, out, read, cw5, cw1), w.sid, sub, fast)
                uid_prev = uid
                self.last_msg = msg
            self.emit(w, line, "assistant", assistant=True)
            if progress_to is not None and r.random() < 0.5:
                self.agent_progress(progress_to, d, t)
            if not last:
                t += r.uniform(0.05, 1.4)
        return uid_prev or "", t

    def agent_progress(self, target: tuple[_W, str, str], d: dict[str, Any], t: float) -> None:
        pw, tool_id, prompt = target
        msg = dict(d["message"])
        msg["context_management"] = None
        inner = {
            "type": "assistant",
            "timestamp": d["timestamp"],
            "message": msg,
            "requestId": d.get("requestId"),
            "uuid": d["uuid"],
        }
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
        self.emit(pw, _enc(p), "progress:agent_progress")

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
                new = old + "\n" + self.fill(r.choice(_LANG_TEMPLATES[proj["lang"]]))
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
                    + f"/{r.choice(_WORDS)}_new"
                    + _LANG_EXT[proj["lang"]],
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
                "git commit": f'git add -A && git commit -m "{r.choice(_VERBS)} {r.choice(_WORDS)} {r.choice(_WORDS)}"',  # noqa: E501
                "test": {
                    "py": f"pytest -x tests/test_{r.choice(_WORDS)}.py -q",
                    "ts": "npm test",
                    "go": "go test ./...",
                    "rs": "cargo test",
                    "tf": "terraform plan",
                    "md": "npm run build",
                }[lang],
                "ls": "ls -la " + r.choice(["", "src", "tests", "docs"]),
                "rg": f'rg -n "{r.choice(_VERBS)}_{r.choice(_WORDS)}" src',
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
                "pattern": f"{r.choice(_VERBS)}_{r.choice(_WORDS)}",
                "path": proj["cwd"],
                "output_mode": r.choice(["content", "files_with_matches"]),
            }
        elif name == "Glob":
            inp = {
                "pattern": r.choice(
                    [
                        "**/*" + _LANG_EXT[proj["lang"]],
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
                            r.choice(_VERBS),
                            r.choice(_WORDS),
                            r.choice(["pending", "in_progress", "completed"]),
                        )
                        for _ in range(r.randint(2, 7))
                    )
                ]
            }
        elif name == "WebFetch":
            inp = {
                "url": f"https://docs.example.com/{r.choice(_WORDS)}/{r.choice(_WORDS)}",
                "prompt": f"How do I {r.choice(_VERBS)} a {r.choice(_WORDS)}?",
            }
        elif name == "WebSearch":
            inp = {"query": f"{r.choice(_WORDS)} {r.choice(_WORDS)} {r.choice(_VERBS)} error 2026"}
        else:  # mcp
            name, f = r.choice(_MCP)
            inp = f(r, proj["name"])
        return {"type": "tool_use", "id": tid, "name": name, "input": inp}, tid

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
                    f"{self.hexid(7)} {r.choice(_VERBS)} {r.choice(_WORDS)}" for _ in range(20)
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
                    f"{self.fill(r.choice(_PY)).strip()}"
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
                    f"{x}:{r.randint(1, 300)}:{self.fill(r.choice(_PY)).strip()}" for x in fs
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
                    "title": f"{r.choice(_WORDS).capitalize()} {r.choice(_WORDS)} - Stack Overflow",
                    "url": f"https://stackoverflow.com/questions/{r.randint(10**6, 10**8)}",
                }
                for _ in range(r.randint(3, 8))
            ]
            summary = r.choice(self.P.web)[: r.randint(300, 2500)]
            text = (
                f'Web search results for query: "{inp["query"]}"\n\nLinks: {_enc(links)}\n\n'
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
        body = _enc(
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
        w: _W,
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
        self.emit(w, _enc(d), "user")
        return u

    def hook(self, w: _W, parent: str, event: str, tool: str, tool_id: str, t: float) -> str:
        d = self.env(w, parent, "progress")
        d["data"] = {
            "type": "hook_progress",
            "hookEvent": event,
            "hookName": f"{event}:{tool}" if tool else event,
            "command": self.r.choice(
                ["callback", "${CLAUDE_PLUGIN_ROOT}/hooks/guard.sh", "~/.claude/hooks/notify.sh"]
            ),
        }
        d["parentToolUseID"] = tool_id
        d["toolUseID"] = tool_id
        d["timestamp"] = self.iso(t)
        u = self.uuid()
        d["uuid"] = u
        self.emit(w, _enc(d), "progress:hook_progress")
        return u

    # ---- misc lines ----------------------------------------------------------------------
    def user_text(
        self,
        w: _W,
        parent: str | None,
        text: str,
        t: float,
        *,
        prompt: bool = False,
        meta: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> str:
        d = self.env(w, parent, "user")
        d["message"] = {"role": "user", "content": text}
        if meta:
            d["isMeta"] = True
        u = self.uuid()
        d["uuid"] = u
        d["timestamp"] = self.iso(t)
        if extra:
            d.update(extra)
        if prompt and w.era == "v21":
            d["thinkingMetadata"] = {"maxThinkingTokens": 31999}
            d["todos"] = []
            d["permissionMode"] = self.r.choice(
                ["default", "default", "acceptEdits", "bypassPermissions", "plan"]
            )
        self.emit(w, _enc(d), "user")
        return u

    def system(self, w: _W, parent: str | None, subtype: str, t: float, **kw: Any) -> str:
        d = self.env(w, parent, "system")
        d["subtype"] = subtype
        d.update(kw)
        d["timestamp"] = self.iso(t)
        u = self.uuid()
        d["uuid"] = u
        d["isMeta"] = False
        self.emit(w, _enc(d), f"system:{subtype}")
        return u

    def snapshot(
        self, w: _W, msg_uuid: str, t: float, tracked: dict[str, Any], update: bool
    ) -> None:
        d = {
            "type": "file-history-snapshot",
            "messageId": msg_uuid,
            "snapshot": {
                "messageId": msg_uuid,
                "trackedFileBackups": tracked,
                "timestamp": self.iso(t),
            },
            "isSnapshotUpdate": update,
        }
        self.emit(w, _enc(d), "file-history-snapshot")

    def slash(self, w: _W, parent: str | None, cmd: str, stdout: str, t: float) -> str:
        if w.era == "v21" and self.r.random() < 0.6:
            p = self.system(
                w,
                parent,
                "local_command",
                t,
                content=f"<command-name>/{cmd}</command-name>\n            <command-message>"
                f"{cmd}</command-message>\n            <command-args></command-args>",
                level="info",
            )
            return self.system(
                w,
                p,
                "local_command",
                t,
                content=f"<local-command-stdout>{stdout}</local-command-stdout>",
                level="info",
            )
        p = self.user_text(
            w,
            parent,
            "<local-command-caveat>Caveat: The messages below were "
            "generated by the user while running local commands. DO NOT respond to "
            "these messages or otherwise consider them in your response unless the "
            "user explicitly asks you to.</local-command-caveat>",
            t,
            meta=True,
        )
        p = self.user_text(
            w,
            p,
            f"<command-name>/{cmd}</command-name>\n            <command-message>"
            f"{cmd}</command-message>\n            <command-args></command-args>",
            t,
        )
        return self.user_text(
            w, p, f"<local-command-stdout>{stdout}</local-command-stdout>", t + 0.01
        )

    # ---- writers ------------------------------------------------------------------------
    def close(self, w: _W, category: str, *, truncate: bool = False) -> None:
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
            full = _enc(d)
            cut = full[: int(len(full) * self.r.uniform(0.3, 0.85))]
            w.lines.append(cut)
            w.nbytes += len(cut)
            self.broken.append((w.rel, len(w.lines), "truncated_last_line"))
            w.types["assistant(truncated)"] += 1
        data = "".join(w.lines).encode("utf-8", "surrogateescape")
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

    # ---- subagents -------------------------------------------------------------------------
    def run_subagent(
        self,
        S: dict[str, Any],
        pw: _W,
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
            w = _W(
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
        else:
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
            w = _W(
                rel,
                sid,
                sidechain=True,
                agent_id=aid,
                broken_ok=pw.broken_ok,
                era=pw.era,
                version=pw.version,
                cwd=pw.cwd,
                branch=pw.branch,
                slug=pw.slug,
            )
            self.features["layout_" + layout] += 1
            if self.owed.get("layout_" + layout, 0) > 0:
                self.owed["layout_" + layout] -= 1
            if layout == "nested" and not compact:
                meta = {
                    "agentType": task["input"].get("subagent_type", "general-purpose"),
                    "description": task["input"].get("description", ""),
                    "toolUseId": task["id"],
                }
                if pw.version >= "2.1.50":
                    meta["spawnDepth"] = 1
                self.write_raw(rel[: -len(".jsonl")] + ".meta.json", _enc(meta).encode(), "meta")
        if layout == "embedded":
            self.features["layout_embedded"] += 1
            if self.owed.get("layout_embedded", 0) > 0:
                self.owed["layout_embedded"] -= 1
        t = t0 + r.uniform(0.5, 4.0)
        model = self.pick(_SUB_MODELS[pw.era]) if not compact else S["ctx"].model
        c = _Ctx(model, 300, 10**9)
        p = self.user_text(w, None, prompt, t)
        progress_to = None
        if layout != "embedded" and not compact:
            progress_to = (pw, task["id"], prompt)
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
                new_tokens += _tok(content)
                n_tools += 1
            t += r.uniform(0.3, 3)
        total_tokens = c.ctx
        if layout != "embedded":
            self.close(w, "subagent_" + layout)
        else:
            pw.nbytes += w.nbytes
        return r.choice(self.P.texts), t, aid, total_tokens, n_tools

    def btw_replay(self, S: dict[str, Any], pw: _W, t: float) -> float:
        """A /btw side question: sidechain file replaying parent calls with new request ids."""
        r = self.r
        proj = S["proj"]
        aid = "a" + self.hexid(16)
        rel = f".claude/projects/{proj['enc']}/{pw.sid}/subagents/agent-{aid}.jsonl"
        w = _W(
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
            self.emit(w, _enc(d), "assistant")
            self.features["btw_replayed_lines"] += 1
        t += 1
        p = self.user_text(w, p, "btw " + r.choice(self.P.prompts), t)
        c = _Ctx(S["ctx"].model, S["ctx"].ttl, 10**9)
        c.first = False
        c.ctx = S["ctx"].ctx
        c.last = t
        _p, t = self.api_call(
            w, c, t, [{"type": "text", "text": r.choice(self.P.texts)}], r.randint(50, 600), 40, p
        )
        self.close(w, "subagent_nested")
        self.features["btw_replay"] += 1
        return t

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
        version = r.choice(_ERA_VERSIONS[era])
        if era == "v1" and self.owed.get("no_cache_breakdown", 0) > 0:
            version = r.choice(sorted(_NO_BREAKDOWN_VERSIONS))
        sid = self.uuid()
        branch = self.fill(r.choice(_BRANCHES)) if era != "v1" or r.random() < 0.7 else ""
        _slug = (  # unused, kept: it draws from the RNG (output stability)
            f"{r.choice(_SLUG_A)}-{r.choice(_SLUG_B)}-{r.choice(_SLUG_C)}" if era == "v21" else None
        )
        t = t if t is not None else self.pick_start()
        target = target or self.session_size()
        resume = (
            not marathon and not live and target < 3_000_000 and self.want("resume", cfg.p_resume)
        )
        broken_ok = cfg.broken and not resume
        rel = f".claude/projects/{proj['enc']}/{sid}.jsonl"
        w = _W(
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
        model = self.pick(_ERA_MODELS[era]) if not marathon else "claude-opus-4-6"
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
        c = _Ctx(model, ttl, threshold, extra)
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
                    _enc(
                        {
                            "type": "summary",
                            "summary": self.fill(r.choice(_PROMPTS)).capitalize(),
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
        w0: _W = S["w"]
        t = t_end_prev + r.choice([r.uniform(1800, 7200), r.uniform(3 * 3600, 30 * 3600)])
        if t > self.t_end - 3600:
            t = t_end_prev + r.uniform(600, 1800)
        if t > self.t_end - 600:
            w0.lines = []
            return
        new_file_id = self.uuid()
        rel = w0.rel.rsplit("/", 1)[0] + f"/{new_file_id}.jsonl"
        w = _W(
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
        w: _W = S["w"]
        c: _Ctx = S["ctx"]
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
                w.slug = r.choice(_SLUG_A) + "-" + r.choice(_SLUG_B) + "-" + r.choice(_SLUG_C)
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
        w: _W = S["w"]
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
        w: _W = S["w"]
        c: _Ctx = S["ctx"]
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
        c.pending = _tok(summ) + r.randint(2_000, 8_000)
        c.last = t - 10**6  # next call writes the new prefix
        return t + r.uniform(1, 5)

    def turn(self, S: dict[str, Any], t: float, focus: list[str], repeated: str | None) -> float:
        r = self.r
        cfg = self.cfg
        w: _W = S["w"]
        c: _Ctx = S["ctx"]
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
                _enc(
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
                _enc(
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
        self.emit(w, _enc(d), "user")
        p = pu
        t_turn0 = t
        new_tokens = _tok(text) + r.randint(20, 400)
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
                new_tokens += _tok(content)
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
        w: _W = S["w"]
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
        self.emit(w, _enc(d), "assistant(synthetic)")
        self.features["synthetic"] += 1
        w.parent = u
        return t

    def task_tool(self, w: _W) -> dict[str, Any]:
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
        self, S: dict[str, Any], w: _W, tu: dict[str, Any], t: float, p: str, src: str
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

    # ---- special files -----------------------------------------------------------------
    def noise_file(self, nbytes: int) -> None:
        """A big file without any usage: file-history-snapshot lines of ~200 KB each."""
        r = self.r
        proj = self._projects[0]
        rel = f".claude/projects/{proj['enc']}/{self.uuid()}.jsonl"
        tracked = {}
        for i in range(900):
            f = f"{proj['cwd']}/src/{r.choice(_WORDS)}/{r.choice(_WORDS)}_{i}{_LANG_EXT[proj['lang']]}"  # noqa: E501
            tracked[f] = {
                "backupFileName": f"{self.hexid(16)}@v{r.randint(1, 40)}",
                "version": r.randint(1, 40),
                "backupTime": self.iso(self.t0 + r.uniform(0, 86400)),
            }
        base = _enc(tracked)
        lines = []
        size = 0
        t = self.t0 + 86400 * max(0, self.cfg.days - 7) + 3600 * 10
        while size < nbytes:
            m = self.uuid()
            ln = (
                '{"type":"file-history-snapshot","messageId":"'
                + m
                + '","snapshot":{"messageId":"'
                + m
                + '","trackedFileBackups":'
                + base
                + ',"timestamp":"'
                + self.iso(t)
                + '"},"isSnapshotUpdate":true}\n'
            )
            lines.append(ln)
            size += len(ln)
            t += r.uniform(5, 120)
        self.types["file-history-snapshot"] += len(lines)
        self.write_raw(rel, "".join(lines).encode(), "no_usage")

    def summary_only_file(self) -> None:
        proj = self.pick_project()
        rel = f".claude/projects/{proj['enc']}/{self.uuid()}.jsonl"
        lines = []
        for _ in range(self.r.randint(1, 4)):
            lines.append(
                _enc(
                    {
                        "type": "summary",
                        "summary": self.fill(self.r.choice(_PROMPTS)).capitalize(),
                        "leafUuid": self.uuid(),
                    }
                )
                + "\n"
            )
            self.types["summary"] += 1
        self.write_raw(rel, "".join(lines).encode(), "summary_only")
        self.features["summary_only_file"] += 1

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


def _inject(line: str, token: str) -> str:
    for marker in ('"text":"', '"content":"'):
        i = line.find(marker)
        if i >= 0:
            j = i + len(marker)
            return line[:j] + token + line[j:]
    return line


def _tok(content: Any) -> int:
    if isinstance(content, str):
        return len(content) // 4 + 5
    return len(_enc(content)) // 4 + 5


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def default_start(profile: Profile, days: int | None = None) -> date:
    cfg = _make_cfg(profile, None, days)
    return END_DATE - timedelta(days=cfg.days - 1)


def generate(
    out: Path,
    *,
    profile: Profile,
    seed: int = 0,
    target_bytes: int | None = None,
    start: date | None = None,
    days: int | None = None,
) -> Manifest:
    """Write a Claude Code tree under ``out/.claude/projects`` and return its ground truth.

    ``out/manifest.json`` receives the same manifest (outside ``.claude``). ``out`` should be empty
    or absent; existing files under ``out/.claude`` are not removed.
    """
    out = Path(out)
    cfg = _make_cfg(profile, target_bytes, days)
    start = start or (END_DATE - timedelta(days=cfg.days - 1))
    params = {
        "profile": profile,
        "seed": seed,
        "target_bytes": cfg.target_bytes,
        "start": start.isoformat(),
        "days": cfg.days,
        "generator_version": GENERATOR_VERSION,
    }
    (out / ".claude" / "projects").mkdir(parents=True, exist_ok=True)
    g = _Gen(out, cfg, seed, start)
    g.run()
    m = g.manifest(params)
    (out / "manifest.json").write_text(_enc(m.to_json()), encoding="utf-8")
    return m


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Generate a synthetic Claude Code transcript tree.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--profile", choices=["bench", "demo", "small"], default="small")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target-bytes", type=int)
    ap.add_argument("--days", type=int)
    a = ap.parse_args(argv)
    t = _time.perf_counter()
    m = generate(a.out, profile=a.profile, seed=a.seed, target_bytes=a.target_bytes, days=a.days)
    print(
        json.dumps(
            {
                "seconds": round(_time.perf_counter() - t, 2),
                "files": m.files,
                "unique_calls": m.unique_calls,
                "broken_by_kind": m.broken_by_kind,
                "lines_by_type": m.lines_by_type,
                "features": m.features,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
