"""A plain-words summary of the current view, from template sentences (no model)."""
from __future__ import annotations

import pandas as pd

from .casualties import who
from .filters import FilterState
from .totals import Headline, totals
from .urlstate import describe


def paragraph(events: pd.DataFrame, state: FilterState, head: Headline) -> str:
    """One paragraph: how many events, how deadly, who, where, how claimed, and the change on the last period."""
    if events.empty:
        return f"No events match this view ({describe(state)})."
    t = totals(events)
    first, last = events["date"].min().date(), events["date"].max().date()
    groups = events["group"].value_counts(sort=True)
    groups = groups[groups > 0]
    countries = events["country"].value_counts(sort=True)
    countries = countries[countries > 0]
    parts = [
        f"This view ({describe(state)}) holds {t.events:,} events between {first:%d %b %Y} and {last:%d %b %Y}, "
        f"in which {t.figure('killed', state.figure)} {who(state.figure)} were killed and "
        f"{t.toll('wounded')} people wounded (the perpetrators' own dead not counted; "
        "events with no reported figure count as zero).",
    ]
    top = groups.index[0]
    parts.append(f"{top} accounts for the most events ({groups.iloc[0]:,}, {groups.iloc[0] / t.events:.0%})"
                 + (f", followed by {groups.index[1]} ({groups.iloc[1]:,})." if len(groups) > 1 else "."))
    parts.append(f"Most events took place in {countries.index[0]} ({countries.iloc[0]:,})"
                 + (f"; {len(countries) - 1} other countries are represented." if len(countries) > 1 else "."))
    parts.append(f"{t.claimed / t.events:.0%} of the events were claimed by their perpetrators.")
    if head.previous is not None:
        cur = head.current
        parts.append(f"In {head.label} there were {cur.events:,} events ({head.change('events')} "
                     f"on {head.previous_label}) and {cur.figure('killed', state.figure)} killed.")
    if t.killed_unknown:
        parts.append(f"{t.killed_unknown:,} events have no reported death toll.")
    return " ".join(parts)
