"""CSV downloads: exact rows, safe to open in a spreadsheet, named after the view."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from . import clock
from .filters import FilterState
from .schema import EVENTS
from .urlstate import slug

PROJECT = "Militancy Monitor"


# OWASP CSV injection: a cell starting with =, +, -, @, a tab or a carriage return may be run as a formula by
# spreadsheet software. A formula character at the start of the cell or of any line in it: a spreadsheet that splits a cell on a carriage
# return starts a new row there, so every line is neutralised, not only the first.
LINE_START_FORMULA = re.compile(r"(^|\r\n|\n|\r)(?=[=+\-@\t\r])")


def neutralise(value: str) -> str:
    """A text cell made inert for spreadsheets: a single quote before every line that starts with a formula character."""
    return LINE_START_FORMULA.sub(lambda m: m.group(1) + "'", value) if value else value


def _cell_text(series: pd.Series) -> pd.Series:
    """A column as the text the CSV holds: ISO dates, plain integers, true/false, blank for missing."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.strftime("%Y-%m-%d").fillna("")
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "true", False: "false"}).astype("object").fillna("")
    if pd.api.types.is_integer_dtype(series):
        return series.astype("object").map(lambda v: "" if v is pd.NA or v is None else str(int(v)))
    if pd.api.types.is_float_dtype(series):
        return series.map(lambda v: "" if pd.isna(v) else repr(float(v)))
    text = series.astype("object").map(lambda v: "" if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                                       else str(v))
    return text.map(neutralise)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV: numeric columns as numbers, text columns neutralised, nothing else changed."""
    out = pd.DataFrame({name: _cell_text(frame[name]) for name in frame.columns})
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


# Excel on Windows reads CSV without a byte-order mark in the local code page and garbles non-ASCII text; other
# readers (pandas, Python's csv with utf-8-sig) skip the mark. Offered as a separate download, the plain CSV stays BOM-free.
BOM = "\ufeff".encode()


def for_excel(csv_bytes: bytes) -> bytes:
    """CSV bytes with the UTF-8 byte-order mark that Excel needs to read non-ASCII text."""
    return csv_bytes if csv_bytes.startswith(BOM) else BOM + csv_bytes


def events_csv(events: pd.DataFrame) -> bytes:
    """The filtered events with every schema column (and `dataset` when present), as CSV bytes."""
    cols = [c for c in ["dataset", *EVENTS.names] if c in events.columns]
    return to_csv_bytes(events[cols])


def file_name(kind: str, state: FilterState, today: dt.date | None = None) -> str:
    """A download's file name that says what is in it, e.g. 'militancy-monitor_events_group-ISKP_2026-11-26.csv'."""
    day = (today or clock.today()).isoformat()
    return f"militancy-monitor_{kind}_{slug(state)}_{day}.csv"


def citation(view_url: str, data_version: str, today: dt.date | None = None) -> str:
    """How to cite the current view."""
    day = (today or clock.today()).isoformat()
    return (f"{PROJECT}, curated events table (data version {data_version}), view: {view_url}, accessed {day}. "
            "Cite the original sources listed in each row's `sources` column for specific facts.")


NOTICE = (
    "Rows come from the curated Militancy Monitor events table: each event cites the public sources it rests on "
    "(`sources`), its claim or attribution status and a casualty range (low–high; perpetrators not counted). "
    "Uploaded datasets remain the property and responsibility of their producers (ACLED, GTD, UCDP) and their terms "
    "apply. Cells that begin with = + - @ are prefixed with ' so that spreadsheets do not run them as formulas."
)
