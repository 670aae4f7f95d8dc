"""The command line: the export contract's options, the demo, errors that explain themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import days_of, export, run_cli
from tests.data.sources.claude.lines import assistant, write


def test_demo_export_works_out_of_the_box() -> None:
    document, stderr = export("--demo", "--tz", "UTC", "--level", "session")
    assert document["totals"]["calls"] > 100
    assert len(document["children"]) >= 3  # a few weeks
    projects = {
        s["project"] for w in document["children"] for d in w["children"] for s in d["children"]
    }
    assert len(projects) >= 4
    assert "no Claude Code transcripts" not in stderr


def test_since_and_until_bound_the_days_inclusively(claude_samples: Path) -> None:
    full, _ = export("--root", str(claude_samples), "--tz", "UTC", "--level", "day")
    days = sorted(days_of(full))
    assert len(days) >= 3
    part, _ = export(
        "--root",
        str(claude_samples),
        "--tz",
        "UTC",
        "--level",
        "day",
        "--since",
        days[1],
        "--until",
        days[1].replace("-", ""),
    )
    assert sorted(days_of(part)) == [days[1]]
    assert part["totals"]["calls"] == days_of(full)[days[1]]["totals"]["calls"]
    assert (part["since"], part["until"]) == (days[1], days[1])


def test_root_accepts_a_config_dir_a_projects_dir_or_any_dir(claude_samples: Path) -> None:
    config_dir = claude_samples.parent
    totals = [
        export("--root", str(path), "--tz", "UTC", "--level", "week")[0]["totals"]
        for path in (config_dir, claude_samples, claude_samples / "sample-project")
    ]
    assert totals[0] == totals[1] == totals[2]


def test_claude_config_dir_is_discovered(claude_samples: Path, monkeypatch) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", f"/nonexistent,{claude_samples.parent}")
    document, _ = export("--tz", "UTC", "--level", "week")
    assert document["totals"]["calls"] == 36
    assert str(claude_samples) in document["roots"]


def test_unknown_source_time_zone_and_dates_are_clear_errors(tmp_path: Path) -> None:
    code, _, err = run_cli("export", "--json", "--source", "cursor", "--root", str(tmp_path))
    assert code == 2 and "unknown source 'cursor'" in err and "claude" in err
    code, _, err = run_cli("export", "--json", "--tz", "Mars/Olympus", "--root", str(tmp_path))
    assert code == 2 and "Mars/Olympus" in err
    try:
        run_cli("export", "--json", "--since", "last tuesday")
        raise AssertionError("argparse should have exited")
    except SystemExit as exit_:
        assert exit_.code == 2


def test_options_before_and_after_the_subcommand(claude_samples: Path) -> None:
    code, out, _ = run_cli(
        "--tz", "UTC", "--root", str(claude_samples), "export", "--json", "--level", "week"
    )
    assert code == 0 and json.loads(out)["timezone"] == "UTC"


def test_output_file_and_a_bad_config(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "logs" / "p" / "s.jsonl", [assistant("msg_1", "2026-11-20T10:00:00.000Z")])
    target = tmp_path / "out.json"
    code, out, _ = run_cli("export", "--json", "--root", str(tmp_path / "logs"), "-o", str(target))
    assert code == 0 and out == "" and json.loads(target.read_text())["totals"]["calls"] == 1
    config = tmp_path / "config.toml"
    config.write_text('thme = "dark"\n')
    code, _, err = run_cli("export", "--json", "--config", str(config), "--root", str(tmp_path))
    assert code == 2 and "thme" in err and "theme" in err


def test_paths_command_lists_locations(claude_samples: Path) -> None:
    code, out, _ = run_cli("paths", "--root", str(claude_samples))
    assert code == 0
    assert "cache file:" in out and "Claude Code [claude]" in out
    assert f"{claude_samples} (6 files)" in out


def test_console_script_runs_headless_without_importing_textual(tmp_path: Path) -> None:
    """The installed entry point works, and a headless command never loads the TUI."""
    probe = (
        "import sys, runpy; sys.argv=['tokentree','export','--json','--demo','--level','week'];"
        "import io, contextlib; buf=io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try: runpy.run_module('tokentree', run_name='__main__')\n"
        "    except SystemExit: pass\n"
        "print('textual' in sys.modules, len(buf.getvalue()) > 100)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split()[-2:] == ["False", "True"], result.stderr


def _find(document: dict, path: list[str]) -> dict:
    node = document
    for part in path:
        (node,) = [child for child in node["children"] if child["id"] == part]
    return node


def test_scope_exports_one_node_equal_to_the_same_node_of_the_full_export(
    claude_samples: Path,
) -> None:
    full, _ = export("--root", str(claude_samples), "--tz", "UTC")
    week = full["children"][-1]
    day = week["children"][0]
    session = day["children"][-1]
    turn = session["children"][-1]
    call = turn["children"][0]
    for node_path in (
        [week["id"]],
        [week["id"], day["id"]],
        [week["id"], day["id"], session["id"]],
        [week["id"], day["id"], session["id"], turn["id"]],
        [week["id"], day["id"], session["id"], turn["id"], call["id"]],
    ):
        scoped, _ = export(
            "--root", str(claude_samples), "--tz", "UTC", "--scope", "/".join(node_path)
        )
        assert scoped["path"] == node_path[:-1]
        (only,) = scoped["children"]
        expected = _find(full, node_path)
        if len(node_path) < 5:
            assert only["children"], node_path
        # everything but insights (ranked within the export's scope) is identical
        assert _same_tree(only, expected), node_path
        assert scoped["totals"] == only["totals"]


def _same_tree(a: dict, b: dict) -> bool:
    keys = ("kind", "id", "label", "totals", "activity", "child_count")
    if any(a.get(k) != b.get(k) for k in keys) or len(a["children"]) != len(b["children"]):
        return False
    return all(_same_tree(x, y) for x, y in zip(a["children"], b["children"], strict=True))


def test_export_publishes_the_summary_the_statusline_answers_from(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tokentree.data.pricing.prices import PriceTable
    from tokentree.model import format as fmt
    from tokentree.model.callcost import cost_units

    logs = tmp_path / "logs"
    recent = (datetime.now(UTC) - timedelta(minutes=2)).isoformat(timespec="milliseconds")
    line = assistant("msg_1", recent.replace("+00:00", "Z"), session="s-now", inp=1000, out=500)
    write(logs / "p" / "s-now.jsonl", [line])
    code, _, _ = run_cli("export", "--json", "--root", str(logs), "--level", "day")
    assert code == 0
    pusd = PriceTable.bundled().call_cost_pusd(
        "claude-sonnet-4-5-20250929",
        input=1000,
        output=500,
        cache_read=0,
        cache_write_5m=0,
        cache_write_1h=0,
    )
    cost = fmt.usd(cost_units(pusd) / 2**30)
    code, out, _ = run_cli("statusline", "--root", str(logs), "--no-input")
    assert code == 0
    assert out.startswith(f"sess {cost} · today {cost} · 5h 1.5k ↻"), out
    # the same through the full parser (data options before the subcommand)
    code, again, _ = run_cli("--root", str(logs), "statusline", "--no-input")
    assert code == 0 and again == out


def test_a_warm_export_keeps_the_summary_of_unchanged_data_and_renews_it_after_a_change(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime, timedelta

    from tokentree import paths
    from tokentree.service import summary as summaries

    logs = tmp_path / "logs"
    recent = datetime.now(UTC) - timedelta(minutes=5)

    def line(n: int, tokens: int) -> str:
        at = (recent + timedelta(seconds=n)).isoformat(timespec="milliseconds")
        return assistant(f"msg_{n}", at.replace("+00:00", "Z"), session="s", inp=tokens, out=0)

    def published() -> summaries.Summary:
        key = summaries.data_set_key([logs], [], False)
        found = summaries.load(summaries.summary_file(paths.cache_dir(), key))
        assert found is not None
        return found

    write(logs / "p" / "s.jsonl", [line(1, 1000)])
    first_export, _ = export("--root", str(logs), "--level", "day")
    first = published()
    assert first.basis and first.sessions["s"].totals.tokens == 1000
    again, _ = export("--root", str(logs), "--level", "day")  # served from the cache
    assert again["totals"] == first_export["totals"]
    assert published() == first  # nothing new: not collected again
    write(logs / "p" / "s.jsonl", [line(1, 1000), line(2, 200)])  # an appended line
    export("--root", str(logs), "--level", "day")
    grown = published()
    assert grown.sessions["s"].totals.tokens == 1200 and grown.basis != first.basis
    write(logs / "q" / "t.jsonl", [line(3, 30)])  # a new file
    export("--root", str(logs), "--level", "day")
    assert published().sessions["s"].totals.tokens == 1230
    export("--root", str(logs), "--level", "day")
    assert published().sessions["s"].totals.tokens == 1230


def test_live_follows_a_session_or_a_project_not_both(tmp_path: Path) -> None:
    try:
        run_cli("live", "--session", "abc", "--project", "web")
        raise AssertionError("argparse should have exited")
    except SystemExit as exit_:
        assert exit_.code == 2
