"""Cold-cache explorer benchmark: from process start to the first listing with data, and to
the complete data, with the split first frame (tokentree.data.read.first_frame) and with one read,
alternating, each in a fresh process with an empty cache and data directory.

    python -m bench.first_frame [--corpus /work/corpus1g] [--rounds 3] [--work /tmp/ff-bench]

Each time is also given as the process's CPU seconds (user + system, steadier than wall time
on a shared machine). The corpus is copied once into ``--work`` and its files dated as real logs are
(:mod:`bench.mtimes`: a generated corpus has every file modified when it was written). The
explorer runs headless (Textual's pilot, 120×40) and is polled every 10 ms; "one read" sets
``$TOKENTREE_SPLIT_BYTES`` beyond the corpus, so its first listing is the complete one.
Numbers are informational (a shared machine is noisy); nothing here is asserted.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before anything else is imported: the process start

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MODES = ("split", "one")


async def measure(root: Path, work: Path) -> dict[str, object]:
    """Run the explorer on ``root``; the seconds to its first listing and to complete data."""
    from tokentree.data.workspace import Options
    from tokentree.ui.app import TokenTreeApp

    app = TokenTreeApp(
        Options(roots=[("claude", root)], tz="UTC"),
        watch=False,
        state_file=work / "state.json",
        cache_dir=work / "cache",
        user_themes=work / "themes",
    )
    found: dict[str, object] = {}
    first = None
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            listed = app.browser.rows.listing.rows if app.browser.loaded else []
            now = time.perf_counter() - STARTED
            if listed and "first" not in found:
                found["first"] = round(now, 3)
                found["first_cpu"] = cpu_seconds()
                found["first_weeks"] = len(listed)
                found["since"] = str(app._partial) if app._partial else None
                first = app.browser.loaded
            complete = app._partial is None and not app.refresher.busy
            if found.get("since"):  # the complete listing replaces the first one
                complete = complete and app.browser.loaded is not first
            if listed and complete and app._data_version is not None:
                found["complete"] = round(now, 3)
                found["complete_cpu"] = cpu_seconds()
                found["weeks"] = len(listed)
                found["tokens"] = sum(node.totals.total for node in listed)
                break
            await pilot.pause(0.01)
        app.exit()
    return found


def cpu_seconds() -> float:
    """User and system CPU of this process so far, its threads included (steadier than wall
    time on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 3)


def child(root: Path) -> None:
    work = Path(os.environ["TOKENTREE_CACHE_DIR"]).parent
    print(json.dumps(asyncio.run(measure(root, work))))


def run_once(mode: str, root: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="ff-run-") as temp:
        env = dict(os.environ)
        env.update(
            TOKENTREE_CACHE_DIR=f"{temp}/cache",
            TOKENTREE_DATA_DIR=f"{temp}/data",
            XDG_STATE_HOME=f"{temp}/state",
            TOKENTREE_CONFIG=f"{temp}/none.toml",
        )
        if mode == "one":
            env["TOKENTREE_SPLIT_BYTES"] = str(10**15)
        command = [sys.executable, "-m", "bench.first_frame", "--child", str(root)]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])


def prepare(corpus: Path, work: Path) -> Path:
    """A copy of ``corpus`` under ``work`` with its files dated (made once)."""
    from bench.mtimes import set_mtimes

    copy = work / "corpus"
    if not (work / "dated").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(corpus / ".claude", copy / ".claude")
        set_mtimes(copy)
        (work / "dated").touch()
    return copy / ".claude" / "projects"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/corpus1g"))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ff-bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    root = prepare(args.corpus, args.work)
    results: dict[str, list[dict[str, object]]] = {mode: [] for mode in MODES}
    for round_ in range(args.rounds):
        for mode in MODES if round_ % 2 == 0 else reversed(MODES):
            found = run_once(mode, root)
            results[mode].append(found)
            print(mode, json.dumps(found), flush=True)
    for mode in MODES:
        first, done, first_cpu, done_cpu = (
            statistics.median(float(r[key]) for r in results[mode])  # type: ignore[arg-type]
            for key in ("first", "complete", "first_cpu", "complete_cpu")
        )
        print(
            f"{mode:>5}: first listing {first:.2f} s (CPU {first_cpu:.2f} s), "
            f"complete {done:.2f} s (CPU {done_cpu:.2f} s), medians"
        )
    print(os.popen("uptime").read().strip())


if __name__ == "__main__":
    main()
