"""The command line: `python -m monitor validate FILE` and friends."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_reports import cmd_alerts, cmd_brief
from .load import DATA_DIR, DataFileError, file_problem, read_text_table
from .problems import errors, format_problems
from .releases import validate_corrections, validate_releases
from .schema import CORRECTIONS, EVENTS, GROUPS, MILESTONES, RELEASES, SCHEMAS
from .validate import (
    detect_table,
    validate_events,
    validate_groups,
    validate_milestones,
)


def _summary(path: str, frame, schema_name: str, warnings: int) -> str:
    extra = f" ({warnings} warning(s) listed above)" if warnings else ""
    if schema_name == "events":
        dates = sorted(d for d in frame["date"] if d)
        span = f"{dates[0]} to {dates[-1]}" if dates else "no dates"
        return (f"OK {path}: {len(frame)} events, {span}, {frame['group'].nunique()} groups, "
                f"{frame['country'].nunique()} countries{extra}")
    return f"OK {path}: {len(frame)} {schema_name} rows{extra}"


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate one file and report every problem at once."""
    try:
        frame = read_text_table(args.file)
    except DataFileError as exc:
        print(f"INVALID {args.file}\n{format_problems(exc.problems)}")
        return 1
    schema = SCHEMAS[args.kind] if args.kind else detect_table(list(frame.columns)) or EVENTS
    if schema is EVENTS:
        groups_path = Path(args.groups) if args.groups else DATA_DIR / "groups.csv"
        try:
            known = set(read_text_table(groups_path)["short_name"])
        except (DataFileError, KeyError):
            print(f"note: could not read groups from {groups_path}; group names are not checked", file=sys.stderr)
            known = None
        problems = validate_events(frame, known)
    elif schema is GROUPS:
        problems = validate_groups(frame)
    elif schema is RELEASES:
        problems = validate_releases(frame)
    elif schema is CORRECTIONS:
        events_path = Path(args.events) if args.events else DATA_DIR / "events.csv"
        try:
            events = read_text_table(events_path)
        except DataFileError:
            print(f"note: could not read {events_path}; chains are not checked against it", file=sys.stderr)
            events = None
        problems = validate_corrections(frame, events)
    else:
        assert schema is MILESTONES
        problems = validate_milestones(frame)
    bad = errors(problems)
    warnings = [p for p in problems if p.severity != "error"]
    if args.strict:
        bad = problems
    if bad:
        print(f"INVALID {args.file} ({schema.name}): {len(bad)} problem(s)\n{format_problems(problems)}")
        return 1
    if warnings:
        print(format_problems(warnings))
    print(_summary(args.file, frame, schema.name, len(warnings)))
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    """Print the codebook, or write it to data/README.md."""
    from .codebook import render

    text = render()
    if args.write:
        (DATA_DIR / "README.md").write_text(text, encoding="utf-8")
        print(f"wrote {DATA_DIR / 'README.md'}")
    else:
        print(text)
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    """Rebuild data/boundaries from the reference boundary files (maintainers only; needs shapely)."""
    from .boundaries import build

    try:
        sizes = build(Path(args.source))
    except ImportError:
        print("rebuilding boundaries needs shapely: pip install shapely", file=sys.stderr)
        return 2
    for name, size in sizes.items():
        print(f"{name}: {size:,} bytes")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Convert an ACLED, GTD or UCDP export into the canonical schema and report what was kept and rejected."""
    import time

    from .importers import import_frame, read_table
    from .load import load_groups

    start = time.perf_counter()
    path = Path(args.file)
    try:
        if not path.is_file():
            raise DataFileError(path, file_problem("file does not exist", str(path)))
        frame = read_table(path.read_bytes(), path.name)
        result = import_frame(frame, load_groups(), args.format)
    except DataFileError as exc:
        print(f"CANNOT IMPORT {path}\n{format_problems(exc.problems)}")
        return 1
    result.events.to_csv(args.out, index=False, lineterminator="\n")
    print(result.report())
    if len(result.rejected):
        print("rejected rows (first 50):")
        print(result.rejected.head(50).astype(str).to_string(index=False, max_colwidth=60))
    print(f"wrote {result.kept:,} events to {args.out} in {time.perf_counter() - start:.2f} s")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    """Write synthetic events (for benchmarks and tests only) in the canonical schema."""
    from .devtools.synth import synth
    from .load import load_events

    synth(load_events(), args.events, args.seed).to_csv(args.out, index=False, lineterminator="\n")
    print(f"wrote {args.events:,} synthetic events to {args.out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Print the performance figures for N synthetic events."""
    from .devtools.bench import run

    run(args.events, runs=args.runs, seed=args.seed, browser=args.browser,
        workdir=Path(args.workdir) if args.workdir else None)
    return 0


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Browser-protocol sessions through HAProxy and N workers; prints latency, errors and memory per worker."""
    from .devtools.wsload import run

    stats = run(Path(args.events_file), users=args.users, seconds=args.seconds, workers=args.workers,
                think=args.think, kill_at=args.kill_one_at, seed=args.seed, post_script_gc=args.post_script_gc,
                cache_dir=Path(args.cache_dir) if args.cache_dir else None)
    return 1 if stats.errors else 0


def cmd_flood(args: argparse.Namespace) -> int:
    """Rerun flood against one server; prints what another user and a health probe saw, and the recovery time."""
    from .devtools.flood import flood

    line = flood(args.clients, args.rate, args.seconds, args.after, app=Path(args.app) if args.app else None,
                 hello=args.hello, options=args.option, events=Path(args.events) if args.events else None)
    return 0 if "recovered_after" in line else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = argparse.ArgumentParser(prog="python -m monitor", description="Militancy Monitor data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check an events, groups or milestones file against the schema")
    val.add_argument("file", help="CSV or Parquet file")
    val.add_argument("--kind", choices=sorted(SCHEMAS), help="which table (default: detected from the header)")
    val.add_argument("--groups", help="groups.csv to check group names against (default: data/groups.csv)")
    val.add_argument("--strict", action="store_true", help="treat warnings (suspected duplicates) as errors")
    val.add_argument("--events", help="for a corrections log: the events file its chains must end in "
                                      "(default: data/events.csv)")
    val.set_defaults(func=cmd_validate)
    imp = sub.add_parser("import", help="convert an ACLED, GTD or UCDP GED export into the events schema")
    imp.add_argument("file", help="CSV or xlsx export")
    imp.add_argument("--format", choices=["acled", "gtd", "ucdp"], help="default: detected from the header")
    imp.add_argument("--out", required=True, help="where to write the converted events CSV")
    imp.set_defaults(func=cmd_import)
    syn = sub.add_parser("synth", help="write synthetic events for benchmarks and tests (never real data)")
    syn.add_argument("--events", type=int, required=True)
    syn.add_argument("--seed", type=int, default=0)
    syn.add_argument("--out", required=True)
    syn.set_defaults(func=cmd_synth)
    ben = sub.add_parser("bench", help="measure load, memory, page, map and browser figures on synthetic events")
    ben.add_argument("--events", type=int, default=1_000_000)
    ben.add_argument("--runs", type=int, default=5, help="runs per figure (the median is printed)")
    ben.add_argument("--seed", type=int, default=0)
    ben.add_argument("--browser", action="store_true", help="also time the Overview in headless Chromium")
    ben.add_argument("--workdir", help="keep the synthetic file and cache here (default: a temp folder)")
    ben.set_defaults(func=cmd_bench)
    load = sub.add_parser("loadtest", help="browser-protocol sessions through HAProxy and N workers (prints figures)")
    load.add_argument("events_file", help="events file the workers serve (e.g. data/events.csv)")
    load.add_argument("--users", type=int, default=20)
    load.add_argument("--seconds", type=int, default=120)
    load.add_argument("--workers", type=int, default=2, help="Streamlit workers behind the proxy")
    load.add_argument("--think", default="1-3", help="seconds a user reads between actions, MIN-MAX (default 1-3)")
    load.add_argument("--kill-one-at", type=float, default=None, metavar="SECONDS",
                      help="SIGKILL the busiest worker this far into the run, restart it once the proxy marks it down")
    load.add_argument("--seed", type=int, default=0)
    load.add_argument("--post-script-gc", action="store_true", help="workers keep Streamlit's GC after every run")
    load.add_argument("--cache-dir", help="the shared columnar copy's folder (default: $MONITOR_CACHE_DIR or .cache)")
    load.set_defaults(func=cmd_loadtest)
    fld = sub.add_parser("flood", help="raw websocket clients flood one server with reruns; prints what others saw")
    fld.add_argument("--clients", type=int, default=1)
    fld.add_argument("--rate", type=float, default=20, help="rerun requests a second per client")
    fld.add_argument("--seconds", type=float, default=15, help="how long the flood lasts")
    fld.add_argument("--after", type=float, default=30, help="how long to keep watching after it stops")
    fld.add_argument("--app", help="another app script (e.g. an older checkout's app.py), run from its own folder")
    fld.add_argument("--hello", action="store_true", help="flood a hello-world app with Streamlit's own defaults")
    fld.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                     help="a Streamlit option for the server, e.g. runner.fastReruns=false (repeatable)")
    fld.add_argument("--events", help="events file the server reads (default: data/events.csv)")
    fld.set_defaults(func=cmd_flood)
    alr = sub.add_parser("alerts", help="surge and lull alerts for one period, by group, country and province (CSV)")
    alr.add_argument("--period", required=True, help="month YYYY-MM, quarter YYYY-Qn or year YYYY")
    alr.add_argument("--query", default="", help="the app's URL query string (or the whole URL), e.g. 'country=Pakistan'")
    alr.add_argument("--events", help="events file (default: $MONITOR_EVENTS or data/events.csv)")
    alr.add_argument("--out", required=True, help="where to write the alerts CSV")
    alr.add_argument("--baseline", type=int, default=12, help="baseline periods before the period (seasonal: years)")
    alr.add_argument("--seasonal", action="store_true", help="baseline: the same period in earlier years")
    alr.add_argument("--alpha", type=float, default=0.05, help="flag tests with a q-value below this")
    alr.add_argument("--min-baseline-events", type=int, default=5,
                     help="test a key only when its baseline holds at least this many events")
    alr.set_defaults(func=cmd_alerts)
    brf = sub.add_parser("brief", help="a self-contained brief (HTML or PDF) of a view for a month, quarter or year")
    brf.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn or YYYY")
    brf.add_argument("--query", default="", help="the view as a URL query string (or a whole dashboard URL)")
    brf.add_argument("--events", help="events file (default: $MONITOR_EVENTS or data/events.csv)")
    brf.add_argument("--base-url", default="http://localhost:8501", help="where permalinks point")
    brf.add_argument("--out", required=True, help="FILE.html or FILE.pdf")
    brf.set_defaults(func=cmd_brief)
    book = sub.add_parser("codebook", help="print the codebook generated from the schema")
    book.add_argument("--write", action="store_true", help="write it to data/README.md")
    book.set_defaults(func=cmd_codebook)
    bnd = sub.add_parser("boundaries", help="rebuild data/boundaries from reference GeoJSON (needs shapely)")
    bnd.add_argument("--source", default=str(DATA_DIR.parent.parent / "shared" / "reference" / "boundaries"))
    bnd.set_defaults(func=cmd_boundaries)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = build_parser().parse_args(argv)
    return args.func(args)
