"""Text pools: words, code templates, prompts, assistant texts, thinking, project names.

Built once per process from a fixed seed (independent of the corpus seed), so that every corpus
draws from the same realistic-looking material."""

from __future__ import annotations

import random


def split_words(words: str) -> list[str]:
    return words.split()


WORDS = split_words(
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
VERBS = split_words(
    "get set load save fetch parse build create update delete list find resolve validate "
    "normalize render compute apply merge split flush sync send receive encode decode hash "
    "sign verify open close start stop init reset refresh collect emit handle map reduce"
)
PY = [
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
TS = [
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
GO = [
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
RS = [
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
HCL = [
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
MD = [
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
LANG_TEMPLATES = {"py": PY, "ts": TS, "go": GO, "rs": RS, "tf": HCL, "md": MD}
LANG_EXT = {"py": ".py", "ts": ".ts", "go": ".go", "rs": ".rs", "tf": ".tf", "md": ".md"}

PROMPTS = [
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
TEXTS = [
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
THINKS = [
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
BRANCHES = [
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
SLUG_A = split_words(
    "lexical dazzling quiet brave gentle rapid silent hidden cosmic frozen golden lucky"
)
SLUG_B = split_words("painting imagining dancing wandering humming drifting weaving glowing coding")
SLUG_C = split_words("whisper barto river falcon meadow ember harbor lantern pebble otter comet")
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B64 = B62 + "+/"

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


class Pools:
    """Pre-generated text blocks, reused everywhere (fast, realistic-looking)."""

    def __init__(self) -> None:
        r = random.Random(20261120)
        self.r = r
        self.code: dict[str, list[str]] = {}
        for lang, tpls in LANG_TEMPLATES.items():
            lines = []
            for _ in range(4000):
                lines.append(self._fill(r, r.choice(tpls)))
            self.code[lang] = lines
        self.prompts = [self._fill(r, p) for p in PROMPTS for _ in range(6)]
        self.texts = [self._fill(r, t) for t in TEXTS for _ in range(8)]
        self.thinks = [self._fill(r, t) for t in THINKS for _ in range(10)]
        self.sigs = ["".join(r.choices(B64, k=r.randint(300, 1800))) for _ in range(64)]
        self.blob = "".join(r.choices(B64, k=400_000))  # base64-looking filler
        self.test_out = self._test_outputs(r)
        self.web = [self._web_page(r) for _ in range(40)]

    @staticmethod
    def _fill(r: random.Random, tpl: str, file: str | None = None) -> str:
        w, w2 = r.choice(WORDS), r.choice(WORDS)
        v = r.choice(VERBS)
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
                w, w2 = r.choice(WORDS), r.choice(WORDS)
                dots = "." * r.randint(1, 60)
                lines.append(f"tests/test_{w}_{w2}.py {dots}{' ' * 3}[{r.randint(1, 100):3d}%]")
            if r.random() < 0.4:
                w = r.choice(WORDS)
                lines += [
                    "",
                    "=================================== FAILURES ===================================",  # noqa: E501
                    f"___________________________ test_{w}_roundtrip ___________________________",
                    "",
                ]
                lines += ["    " + self._fill(r, r.choice(PY)) for _ in range(r.randint(4, 16))]
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
        parts = [f"# {r.choice(WORDS).capitalize()} {r.choice(WORDS)} guide", ""]
        for _ in range(r.randint(3, 14)):
            parts.append(self._fill(r, r.choice(MD)))
            parts.append(" ".join(r.choice(WORDS) for _ in range(r.randint(8, 40))) + ".")
        return "\n".join(parts)


_POOLS: Pools | None = None


def pools() -> Pools:
    global _POOLS
    if _POOLS is None:
        _POOLS = Pools()
    return _POOLS
