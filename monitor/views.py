"""Page models: everything a page computes from the filtered view, as small picklable results (cached per view)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import aggregations as agg
from . import summary
from .filters import FilterState

SHORT_COLUMNS = ["date", "group", "country", "admin1", "location", "attack_type", "killed_low", "killed_high",
                 "attribution", "event_id"]
DEADLY_COLUMNS = ["date", "group", "country", "location", "attack_type", "killed_low", "killed_high", "wounded_low",
                  "wounded_high", "attribution", "description", "event_id"]


def overview(view: pd.DataFrame, core: pd.DataFrame, without_year: np.ndarray, events: pd.DataFrame,
             state: FilterState, facet: str = "group") -> dict:
    """Headline, summary paragraph, recent and deadliest events, and yearly counts by group (or country)."""
    head = agg.headline(core, state.year, within=without_year)
    if facet == "country":
        yearly = agg.yearly(view[["date", "country", *agg.SUMS]].rename(columns={"country": "group"}))
        yearly = yearly.rename(columns={"group": "country"})
    else:
        yearly = agg.yearly(view)
    return {
        "head": head,
        "paragraph": summary.paragraph(view, state, head),
        "recent": events.loc[agg.recent(view, 10).index, SHORT_COLUMNS],
        "deadliest": events.loc[agg.deadliest(view, 10, state.figure).index, SHORT_COLUMNS],
        "yearly": yearly,
    }


def timeline(view: pd.DataFrame, events: pd.DataFrame, state: FilterState, freq: str) -> dict:
    """Counts and casualties per period and group, and the deadliest events of the period."""
    return {"series": agg.timeline(view, freq, by_group=True),
            "deadliest": events.loc[agg.deadliest(view, 15, state.figure).index, DEADLY_COLUMNS]}


def groups(view: pd.DataFrame, by: str) -> dict:
    """The per-group table, a breakdown by attack or target type, and yearly counts."""
    return {"table": agg.group_table(view), "breakdown": agg.breakdown(view, by), "yearly": agg.yearly(view)}
