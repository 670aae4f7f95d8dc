"""ASCII stand-ins keep every cell in place; the locale decides the character set."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tokentree.model.charset import detect_charset, for_charset, to_ascii

SAMPLES = [
    'All › 2026-W47 › 2026-11-20 › atlas-api · "fix the…" · 14:27',
    "▼tokens ▲cost  ● live  ‖ live paused",
    "2026-W45 · Nov 2–8  →  ← ↑ ↓",
    "╭─ tokentree · keys ─╮│ │╰──╯",
    "█▉▊▋▌▍▎▏ ▁▂▃▄▅▆▇",
    "café naïve Ærøskøbing",
    "日本語のプロンプト 🙂 ok",
    "x\u0301 combining",
    "≈ $1.50 × 3 “quoted” ‘single’",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_stand_ins_are_ascii_and_as_wide(text: str) -> None:
    converted = to_ascii(text)
    assert converted.isascii()
    assert cell_len(converted) == cell_len(text)


def test_known_glyphs() -> None:
    assert to_ascii("All › a › b") == "All > a > b"
    assert to_ascii("▼tokens ▲") == "vtokens ^"
    assert to_ascii("● live") == "* live"
    assert to_ascii("‖ live paused") == "| live paused"
    assert to_ascii("prompt…") == "prompt~"
    assert to_ascii("a · b – c") == "a - b - c"
    assert to_ascii("╭─╮│╰╯") == "+-+|++"
    assert to_ascii("café") == "cafe"
    assert to_ascii("日本") == "????"
    assert to_ascii("plain ascii") == "plain ascii"


def test_for_charset_leaves_unicode_alone() -> None:
    assert for_charset("a › b", "unicode") == "a › b"
    assert for_charset("a › b", "ascii") == "a > b"


@pytest.mark.parametrize(
    ("env", "encoding", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "ascii", "unicode"),
        ({"LANG": "C.utf8"}, "utf-8", "unicode"),
        ({"LANG": "C"}, "utf-8", "ascii"),
        ({"LANG": "POSIX"}, "utf-8", "ascii"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "utf-8", "ascii"),
        ({"LC_CTYPE": "de_DE.ISO-8859-1"}, "utf-8", "ascii"),
        ({}, "utf-8", "unicode"),
        ({}, "ascii", "ascii"),
        ({"TERM": "linux", "LANG": "C.UTF-8"}, "utf-8", "unicode"),  # text is fine there
        # Python started with LANG=C (or no locale) coerced itself to UTF-8 (PEP 538)
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "utf-8", "ascii"),
        ({"LC_CTYPE": "C.UTF-8"}, "utf-8", "ascii"),
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, "utf-8", "unicode"),
        ({"LC_ALL": "C.UTF-8", "LC_CTYPE": "C.UTF-8"}, "utf-8", "unicode"),
    ],
)
def test_detect_charset(env: dict[str, str], encoding: str, expected: str) -> None:
    assert detect_charset(env, encoding) == expected


def test_a_real_c_locale_is_detected_in_a_fresh_python() -> None:
    """The coercion is real: a Python started with LANG=C sees LC_CTYPE=C.UTF-8."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    code = (
        "import os, sys; from tokentree.model.charset import detect_charset; "
        "print(detect_charset(os.environ, sys.stdout.encoding))"
    )
    for lang, expected in (("C", "ascii"), ("C.UTF-8", "unicode")):
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "LANG": lang},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected, lang
