"""Command line: ``tokentree`` (the explorer), ``tokentree live`` (the side pane), ``export``,
``insights``, ``sync``, ``paths``, ``forget`` and ``statusline``.

Headless commands never import Textual; the explorer and live mode import it when they run.
The console script (:mod:`tokentree.entry`) hands ``tokentree statusline`` to
:mod:`tokentree.service.statusline` before this module is even imported: it runs every few
seconds and must stay light (no DuckDB, no Textual, no argparse, no config parsing).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tokentree import __version__, paths

if TYPE_CHECKING:
    from tokentree.data.workspace import Options, Workspace

LEVEL_CHOICES = ("week", "day", "session", "turn", "call")


def _date(text: str) -> date:
    cleaned = text.strip()
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _root(text: str) -> Path | tuple[str, Path]:
    """``--root [NAME=]PATH``: NAME is a source name (a path may itself contain ``=``)."""
    name, sep, rest = text.partition("=")
    if sep and name and name.isidentifier() and "/" not in name:
        return (name, Path(rest))
    return Path(text)


def _common(
    parser: argparse.ArgumentParser, *, sub: bool = False, device_filter: bool = True
) -> None:
    """The data options; on a subcommand they default to "not given" so that options placed
    before the subcommand (``tokentree --demo export``) are not overwritten."""
    group = parser.add_argument_group("data")
    if sub:
        group.set_defaults()
        group.argument_default = argparse.SUPPRESS
    group.add_argument(
        "--root",
        action="append",
        type=_root,
        default=argparse.SUPPRESS if sub else [],
        metavar="[SOURCE=]PATH",
        help="read logs under PATH instead of the default locations (repeatable); SOURCE names "
        "whose logs they are (default: recognised from PATH, else claude)",
    )
    group.add_argument(
        "--source",
        action="append",
        default=argparse.SUPPRESS if sub else [],
        metavar="NAME",
        help="only this source (repeatable; `tokentree paths` lists them)",
    )
    group.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="first day (local)")
    group.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="last day (local)")
    group.add_argument("--tz", metavar="IANA", help="time zone for days and weeks")
    group.add_argument("--demo", action="store_true", help="use the embedded demo data")
    group.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    group.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    if device_filter:
        group.add_argument(
            "--device",
            action="append",
            dest="devices",
            default=argparse.SUPPRESS if sub else [],
            metavar="NAME",
            help="only this device's calls (repeatable; devices come from `tokentree sync`)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokentree",
        description="ncdu for AI coding-assistant tokens: drill from a week down to one API call.",
    )
    parser.add_argument("--version", action="version", version=f"tokentree {__version__}")
    _common(parser)
    parser.add_argument("--theme", help="colour theme (see docs/themes.md)")
    parser.add_argument(
        "--no-watch", action="store_true", help="explorer: do not follow new log lines live"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    export = commands.add_parser("export", help="write the usage tree as JSON to stdout")
    _common(export, sub=True)
    export.add_argument("--json", action="store_true", help="JSON output (the only format)")
    export.add_argument("--level", choices=LEVEL_CHOICES, default="call", help="deepest level")
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE")
    export.add_argument(
        "--scope",
        metavar="ID/ID/…",
        help="export one node and its subtree: its ids from the week down, e.g. "
        "2026-W47/2026-11-20/<session-id>",
    )
    export.add_argument(
        "--annotate",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="add activity attribution and insights to every node (computed only when asked; "
        "default: --no-annotate)",
    )

    export.add_argument(
        "--anonymize-projects",
        action="store_true",
        help="replace project names (and directories) with stable hashes",
    )

    sync = commands.add_parser(
        "sync",
        help="write this machine's calls as Parquet to a shared folder or bucket, and merge "
        "the other devices found there from then on",
    )
    _common(sync, sub=True, device_filter=False)
    sync.add_argument(
        "dir",
        nargs="?",
        metavar="DIR",
        help="folder or URL (s3://bucket/prefix, gs://…); default: the one remembered",
    )
    sync.add_argument("--device", metavar="NAME", help="this machine's name (default: host name)")
    sync.add_argument("--endpoint", metavar="URL", help="an S3-compatible endpoint to use")
    sync.add_argument(
        "--anonymize-projects",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write stable hashes instead of project names (remembered)",
    )

    insights = commands.add_parser("insights", help="print the most valuable insights")
    _common(insights, sub=True)
    insights.add_argument("--limit", type=int, default=8, help="how many (default 8)")

    _common(commands.add_parser("paths", help="show where tokentree looks"), sub=True)

    forget = commands.add_parser(
        "forget", help="remove archived calls (of log files that are gone) from the archive"
    )
    forget.add_argument("--before", type=_date, metavar="YYYY-MM-DD", help="calls before this day")
    forget.add_argument("--session", metavar="ID", help="the calls of this session")
    forget.add_argument("--project", metavar="NAME", help="the calls of this project")
    forget.add_argument("--tz", metavar="IANA", help="time zone of --before (default: local)")
    forget.add_argument(
        "--dry-run", action="store_true", help="say what would be forgotten, remove nothing"
    )

    live = commands.add_parser(
        "live", help="a narrow pane that follows the session you are in (tmux or editor split)"
    )
    _common(live, sub=True)
    follow = live.add_mutually_exclusive_group()
    follow.add_argument("--session", metavar="ID", help="follow this session (id or unique prefix)")
    follow.add_argument("--project", metavar="NAME", help="follow the latest session of a project")
    live.add_argument("--theme", default=argparse.SUPPRESS, help="colour theme")
    live.add_argument(
        "--no-watch",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not follow new log lines (read once)",
    )

    statusline = commands.add_parser(
        "statusline",
        help="one short line for shell prompts, tmux and Claude Code's statusLine hook",
    )
    _common(statusline, sub=True)
    statusline.add_argument("--session", metavar="ID", help="this session (default: the hook's)")
    statusline.add_argument(
        "--no-input", action="store_true", help="do not read Claude Code's hook JSON from stdin"
    )
    return parser


def options_from(args: argparse.Namespace) -> Options:
    from tokentree import config
    from tokentree.data.sync import settings as sync_settings
    from tokentree.data.workspace import Options

    settings = config.load(args.config)
    return Options(
        devices=tuple(getattr(args, "devices", ()) or ()),
        sync=sync_settings.load(),
        roots=list(args.root),
        sources=tuple(args.source),
        since=args.since,
        until=args.until,
        tz=args.tz,
        demo=args.demo,
        use_cache=not args.no_cache,
        settings=settings,
    )


def _no_logs_message(roots: list[Path]) -> str:
    looked = ", ".join(str(r) for r in roots) or "(nowhere)"
    return (
        f"tokentree: no usage logs found (looked in: {looked}).\n"
        "tokentree: try the embedded demo: tokentree --demo   (or point --root at your logs)"
    )


def _scope(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    parts = tuple(part for part in text.split("/") if part)
    if not 1 <= len(parts) <= len(LEVEL_CHOICES):
        raise ValueError(f"--scope needs 1 to {len(LEVEL_CHOICES)} ids separated by /")
    return parts


def run_export(args: argparse.Namespace) -> int:
    from tokentree.data.workspace import Workspace

    workspace = Workspace(options_from(args))
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as handle:
                export_to(workspace, args, handle)
        else:
            export_to(workspace, args, sys.stdout)
            sys.stdout.flush()
    finally:
        workspace.close()
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from tokentree.data.sync import settings as sync_settings
    from tokentree.data.sync.location import open_location
    from tokentree.data.sync.write import write_partitions
    from tokentree.data.workspace import Workspace

    remembered = sync_settings.load()
    directory = args.dir or remembered.dir
    if not directory:
        raise ValueError("sync: name a folder or bucket: tokentree sync DIR")
    chosen = sync_settings.SyncSettings(
        dir=directory,
        device=args.device or remembered.device,
        endpoint=args.endpoint or remembered.endpoint,
        anonymize_projects=(
            remembered.anonymize_projects
            if args.anonymize_projects is None
            else args.anonymize_projects
        ),
    )
    location = open_location(directory, chosen.endpoint)
    chosen.dir = location.url
    options = replace(options_from(args), sync=replace(chosen, dir=None))  # nothing merged
    workspace = Workspace(options)
    try:
        report = workspace.refresh()
        written = write_partitions(
            workspace.store,
            location,
            workspace.device,
            rules=workspace.options.settings.activity_rules,
            anonymize_projects=chosen.anonymize_projects,
        )
        summary = report.summary()
    finally:
        workspace.close()
    sync_settings.save(chosen)
    print(
        f"tokentree: synced {written.calls} calls of device {written.device!r} to "
        f"{location.url}: {len(written.written)} partitions written, {written.unchanged} "
        f"unchanged, {written.removed} replaced",
        file=sys.stderr,
    )
    if summary:
        print(summary, file=sys.stderr)
    return 0


def export_to(workspace: Workspace, args: argparse.Namespace, out: IO[str]) -> None:
    """Read what changed, write the export document to ``out`` and publish the usage summary.
    Activity and insights are computed only with ``--annotate``."""
    from tokentree.data.tree.export import write_export
    from tokentree.model.tree import Kind

    report = workspace.refresh()
    workspace.begin_save()  # the raw tables are written while the answer is built
    workspace.save_calls_early()  # and the calls, once built
    if report.files == 0 and not args.demo:
        print(_no_logs_message(workspace.root_paths), file=sys.stderr)
    summary = report.summary()
    extra = {
        "sources": workspace.source_names,
        "roots": [str(r) for r in workspace.root_paths],
        "files": report.files,
        "skipped_lines": report.skipped_lines,
        "unreadable_files": len(report.errors),
        "device": workspace.device,
        "devices": workspace.device_names(),
    }
    now = datetime.now(UTC).astimezone(workspace.zone)
    write_export(
        workspace.store,
        workspace.view,
        out,
        level=Kind(args.level),
        generated_at=now,
        extra_root=extra,
        settings=workspace.options.settings,
        annotate=args.annotate,
        scope=_scope(args.scope),
        anonymize_projects=args.anonymize_projects,
    )
    if summary:
        print(summary, file=sys.stderr)
    from tokentree.service.collect import write_summary

    workspace.save_cache()  # first: the summary then names the data saved (the next run's)
    write_summary(workspace, now, paths.cache_dir())  # what `statusline` answers from


def run_insights(args: argparse.Namespace) -> int:
    from tokentree.data.insights import compute_insights, render_insights_text
    from tokentree.data.store.store import DEPTH_TURNS
    from tokentree.data.workspace import Workspace
    from tokentree.model.tree import Kind

    workspace = Workspace(options_from(args))
    try:
        report = workspace.refresh()
        if report.files == 0 and not args.demo:
            print(_no_logs_message(workspace.root_paths), file=sys.stderr)
        workspace.store.build(workspace.view, depth=DEPTH_TURNS)
        found = compute_insights(
            workspace.store,
            settings=workspace.options.settings,
            view=workspace.view,
            prices=workspace.store.prices,
            limit=args.limit,
            levels=(Kind.ROOT,),
        )
        print(render_insights_text(found.root))
        summary = report.summary()
        if summary:
            print(summary, file=sys.stderr)
    finally:
        workspace.close()
    return 0


def run_paths(args: argparse.Namespace) -> int:
    from tokentree.data.read.discovery import discover
    from tokentree.data.workspace import Workspace

    workspace = Workspace(options_from(args))
    try:
        print(f"config file:  {args.config or paths.config_file()}")
        print(f"cache file:   {workspace.cache.path if workspace.cache else '(disabled)'}")
        archive = workspace.archive.directory if workspace.archive else "(disabled)"
        print(f"archive dir:  {archive}")
        print(f"themes dir:   {paths.user_themes_dir()}")
        print(f"time zone:    {workspace.view.tz}")
        for source in workspace.sources:
            env = ", ".join(f"${name}" for name in source.env_vars) or "-"
            print(f"\n{source.label} [{source.name}]  (environment: {env})")
            roots = [root for root in workspace.roots if root.source is source]
            if not roots:
                print("  (no location)")
            for root in roots:
                found = discover([root])
                state = f"{len(found.files)} files" if found.roots else "missing"
                print(f"  {root.path} ({state})")
    finally:
        workspace.close()
    return 0


def run_forget(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from tokentree.data.history.archive import Archive
    from tokentree.data.history.forget import Selector, forget

    before = None
    if args.before is not None:
        try:
            zone = ZoneInfo(args.tz or paths.local_timezone())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {args.tz!r}") from None
        before = datetime.combine(args.before, datetime.min.time(), tzinfo=zone)
    selector = Selector(before=before, session=args.session, project=args.project)
    if selector.empty:
        raise ValueError("forget: name what to forget: --before, --session or --project")
    result = forget(Archive(paths.data_dir() / "archive"), selector, dry_run=args.dry_run)
    print(result.summary())
    return 0


def run_explorer(args: argparse.Namespace) -> int:
    from tokentree.ui.app import run

    return run(options_from(args), theme=args.theme, watch=not args.no_watch)


def run_live(args: argparse.Namespace) -> int:
    from tokentree.service.follow import FollowSpec
    from tokentree.ui.app import run

    spec = FollowSpec(session=args.session, project=args.project)
    return run(options_from(args), theme=args.theme, watch=not args.no_watch, follow=spec)


def run_statusline(args: argparse.Namespace) -> int:
    from tokentree.service.statusline import Request, run

    request = Request(
        list(args.root), list(args.source), args.demo, args.session, not args.no_input
    )
    return run(request, cache_dir=paths.cache_dir(), stdin=sys.stdin, stdout=sys.stdout)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["statusline"]:  # the light path: nothing else imported
        from tokentree.service.statusline import main as statusline

        return statusline(argv[1:])
    from tokentree import config

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            return run_export(args)
        if args.command == "sync":
            return run_sync(args)
        if args.command == "paths":
            return run_paths(args)
        if args.command == "insights":
            return run_insights(args)
        if args.command == "forget":
            return run_forget(args)
        if args.command == "live":
            return run_live(args)
        if args.command == "statusline":
            return run_statusline(args)
        return run_explorer(args)
    except config.ConfigError as error:
        print(f"tokentree: config: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"tokentree: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
