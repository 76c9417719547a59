"""The release tables: the corrections log (each chain of changes must end at the current value) and the notes."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import clock
from .problems import Problem, as_text
from .schema import CORRECTIONS, EVENTS, RELEASES
from .validate import check_cells, check_columns, check_sources, short


def validate_corrections(df: pd.DataFrame, events: pd.DataFrame | None = None,
                         today: dt.date | None = None) -> list[Problem]:
    """Every problem of a corrections log; with the events table, also that each chain ends at the current value."""
    out = check_columns(df, CORRECTIONS)
    df = as_text(df)
    out += check_cells(df, CORRECTIONS, "event_id", today or clock.today())
    out += check_sources(df, "event_id", "source")
    if not {"event_id", "field", "old_value", "new_value"} <= set(df.columns):
        return out
    current = events.set_index(events["event_id"].astype(str)) if events is not None else None
    if current is not None:
        current = current[~current.index.duplicated()]
    last: dict[tuple[str, str], str] = {}
    for pos, (eid, field, old, new) in enumerate(zip(df["event_id"], df["field"], df["old_value"], df["new_value"],
                                                     strict=True)):
        row = pos + 2
        if field not in EVENTS.names or field == "last_checked":
            out.append(Problem(row, eid, "field", field, "not an events column that corrections log"))
            continue
        if (eid, field) in last and last[(eid, field)] != old:
            out.append(Problem(row, eid, "old_value", short(old), "does not continue the chain: the previous change to "
                                                                   f"{field} ended at “{short(last[(eid, field)], 40)}”"))
        last[(eid, field)] = new
    if current is not None:
        for (eid, field), value in last.items():
            if eid not in current.index:
                out.append(Problem(None, eid, "event_id", eid, "no such event in the events table"))
            elif str(current.at[eid, field]) != value:
                out.append(Problem(None, eid, field, short(value), "the chain of changes does not end at the events "
                                                                    "table's current value"))
    return out


def validate_releases(df: pd.DataFrame, today: dt.date | None = None) -> list[Problem]:
    """Every problem of a release-notes table given as text cells."""
    out = check_columns(df, RELEASES)
    df = as_text(df)
    return out + check_cells(df, RELEASES, "release", today or clock.today())
