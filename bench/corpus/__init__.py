"""Deterministic generator of realistic Claude Code transcript trees, with exact ground truth.

``generate(out, profile=...)`` writes ``out/.claude/projects/<encoded-cwd>/...`` exactly as
Claude Code lays it out (main session files, the three subagent layouts, compaction summariser
files, sidecar ``.meta.json`` files) and returns a :class:`Manifest` with the ground truth,
computed from the generator's own bookkeeping while it writes (never by re-reading the files):

* every unique billed call (message id, request id, timestamp of the line a correct reader keeps,
  model, the five token figures, session id, subagent flag, fast flag);
* per-UTC-day totals (``Manifest.day_totals(tz)`` re-buckets the calls for any time zone);
* every deliberately broken or unusual line (file, 1-based line number, kind) and the counts by
  kind;
* lines by type, file-size statistics, subagent layouts, the parameters used.

Counting rules the ground truth follows (docs/counting.md): only top-level ``type ==
"assistant"`` lines and ``agent_progress`` copies of them carry usage; one call = one
``(message.id, requestId)`` group across all files (a subagent's lines and their copies: one
``message.id``), keep the line with the largest ``output_tokens`` (the generator makes that line
unique, or all copies byte-identical); each ``advisor_message`` entry of ``usage.iterations`` is a
call of its own model; ``<synthetic>`` lines carry zero usage; sidechain lines that replay a parent
call (same ``message.id``, other ``requestId``; ``/btw`` side questions) are not calls; assistant
lines that are valid JSON but contain a lone-surrogate escape, invalid UTF-8 bytes inside a
string, or a CRLF terminator *are* counted; a truncated last line is not.

Only the standard library is used; everything random comes from ``random.Random(seed)`` (text pools
come from a fixed seed), so the same arguments give byte-identical trees. The modules, one concept
each: ``profiles`` (sizes and quirk rates), ``text`` (pools), ``catalog`` (versions, models,
tools), ``base`` (state and helpers), ``emission``, ``calls``, ``tool_inputs``, ``tool_results``,
``misc_lines``, ``subagents``, ``turns``, ``sessions``, ``special_files``, ``generator`` (the
parts assembled, ``generate``), ``manifest``, ``cli``.
"""

from bench.corpus.cli import main
from bench.corpus.generator import ClaudeGenerator, generate
from bench.corpus.manifest import CALL_FIELDS, GENERATOR_VERSION, Manifest
from bench.corpus.profiles import END_DATE, Profile, default_start

__all__ = [
    "CALL_FIELDS",
    "END_DATE",
    "GENERATOR_VERSION",
    "ClaudeGenerator",
    "Manifest",
    "Profile",
    "default_start",
    "generate",
    "main",
]
