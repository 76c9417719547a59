"""The report commands of the command line: `alerts` (surge and lull tests as CSV) and `brief` (HTML or PDF)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import DataFileError
from .problems import format_problems


def cmd_alerts(args: argparse.Namespace) -> int:
    """Test every group, country, province and group-country pair for a surge or lull in one period; write a CSV."""
    import pandas as pd

    from . import export, filters, trends, urlstate
    from .load import load_events

    try:
        period, freq = trends.parse_period(args.period)
    except ValueError as exc:
        print(f"alerts: {exc}", file=sys.stderr)
        return 2
    try:
        events = load_events(args.events)
    except DataFileError as exc:
        print(f"INVALID {exc.path}\n{format_problems(exc.problems)}")
        return 1
    # The app marks the curated table as a dataset; doing the same keeps `dataset=curated` in a copied link valid.
    events.insert(0, "dataset", pd.Categorical(["curated"] * len(events)))
    state, notices = urlstate.parse_query(urlstate.from_query_string(args.query), filters.vocabulary(events))
    if state.year:
        # A year filter would remove the baseline periods, which would then read as zeros and raise false surges.
        notices.append("year: ignored, alerts compare the period with the periods before it")
        state = state.with_(year=None)
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    view = filters.apply(events, state)
    last = events["date"].max()
    if pd.notna(last) and last < period.end_time.normalize():
        print(f"note: the data ends on {last.date()}, before the end of {trends.period_label(period)}: the period "
              "may be incomplete, and a lull may only be missing data", file=sys.stderr)
    try:
        # Coverage is the whole file's, not the view's: a group's months before its first event are real zeros.
        table = trends.alerts(view, period, freq, baseline=args.baseline, seasonal=args.seasonal, alpha=args.alpha,
                              min_baseline_events=args.min_baseline_events, covered_from=events["date"].min())
    except ValueError as exc:
        print(f"alerts: {exc}", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(export.to_csv_bytes(table))
    print(f"wrote {len(table)} tests for {trends.period_label(period)} ({urlstate.describe(state)}), "
          f"{int(table['flagged'].sum())} flagged at q < {args.alpha}, to {args.out}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the brief of a view for one month, quarter or year, as self-contained HTML or as PDF."""
    import pandas as pd

    from . import boundaries, brief, clock, colors, filters, trends, urlstate
    from .load import load_events, load_groups

    try:
        period, _ = trends.parse_period(args.period)
        events = load_events(args.events)
    except ValueError as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    except DataFileError as exc:
        print(f"INVALID {exc.path}\n{format_problems(exc.problems)}")
        return 1
    events.insert(0, "dataset", pd.Categorical(["curated"] * len(events)))
    state, notices = urlstate.parse_query(urlstate.from_query_string(args.query), filters.vocabulary(events))
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    made = brief.build(filters.apply(events, state.with_(year=None, start=None, end=None)), state, period,
                       covered_from=events["date"].min())
    page = brief.to_html(made, {n: boundaries.read(n) for n in boundaries.FILES}, colors.group_colors(load_groups()),
                         _version(), clock.today(), args.base_url.rstrip("/"))
    out = Path(args.out)
    try:
        out.write_bytes(brief.to_pdf(page) if out.suffix.lower() == ".pdf" else page.encode("utf-8"))
    except RuntimeError as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 1
    print(f"wrote the brief for {made.label} ({len(made.events):,} events, {made.view}) to {out}")
    return 0


def _version() -> str:
    """The data version of the events file the command read (as the app shows it)."""
    import hashlib

    from .load import default_events_path

    return hashlib.sha256(default_events_path().read_bytes()).hexdigest()[:12]
