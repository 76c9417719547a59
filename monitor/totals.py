"""Headline figures: the counts and casualty sums of a set of events, and of one period against the one before."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import casualties
from .core import summable


@dataclass(frozen=True)
class Totals:
    """Counts and casualty sums of a set of events; an `*_unknown` counts the events that did not report that toll."""

    events: int
    killed_low: int
    killed_high: int
    wounded_low: int
    wounded_high: int
    killed_unknown: int
    wounded_unknown: int
    claimed: int

    def column(self, name: str) -> int:
        """A sum by its column name (`killed_high`, as casualties.column names the one a figure reads)."""
        return getattr(self, name)

    def toll(self, measure: str) -> str:
        """The summed killed or wounded as people read it ('unknown' when no event reported it)."""
        return casualties.total_text(self.column(f"{measure}_low"), self.column(f"{measure}_high"), self.events,
                                     self.column(f"{measure}_unknown"))

    def figure(self, measure: str, figure: str) -> str:
        """The summed killed or wounded as the chosen casualty figure shows it."""
        return casualties.figure_text(self.column(f"{measure}_low"), self.column(f"{measure}_high"), figure)


@dataclass(frozen=True)
class Headline:
    """Headline figures of one period, with the previous period of the same length."""

    label: str
    previous_label: str
    current: Totals
    previous: Totals | None

    def change(self, column: str) -> str:
        """The change of a sum (`events`, `killed_high`, ...) on the previous period in words; '' without one."""
        return change(self.current.column(column), self.previous.column(column) if self.previous else None)


def totals(events: pd.DataFrame, rows: np.ndarray | None = None, arrays: dict | None = None) -> Totals:
    """Counts and casualty sums of a set of events (or of the rows a boolean mask picks)."""
    weight = np.ones(len(events)) if rows is None else rows.astype("float64")
    ready = arrays or summable(events)

    def weighted(values: np.ndarray) -> int:
        return int(round(float(values.astype("float64") @ weight)))

    unknown_wounded = ready.get("wounded_unknown")
    return Totals(int(weight.sum()), *(weighted(ready[col]) for col in casualties.COLUMNS), weighted(ready["killed_unknown"]),
                  weighted(unknown_wounded) if unknown_wounded is not None else 0,
                  weighted((events["attribution"] == "claimed").to_numpy()))


def headline(events: pd.DataFrame, year: tuple[int, int] | None, within: np.ndarray | None = None) -> Headline:
    """Totals for the chosen years (or the latest year present) against the same number of years before.

    `within` restricts the events by a mask instead of a copy (the view without its year filter, at scale).
    """
    within = np.ones(len(events), dtype=bool) if within is None else within
    if not within.any():
        return Headline("no events", "", totals(events, within), None)
    if "_month" in events.columns:
        years = events["_month"].to_numpy() // 12 + 1970
    else:
        years = events["date"].to_numpy().astype("datetime64[Y]").astype("int64") + 1970
    first, last = year if year else (int(years[within].max()), int(years[within].max()))
    span = last - first + 1
    current = within & (years >= first) & (years <= last)
    prev = within & (years >= first - span) & (years <= first - 1)
    label = str(first) if span == 1 else f"{first}–{last}"
    prev_label = str(first - 1) if span == 1 else f"{first - span}–{first - 1}"
    ready = summable(events)
    return Headline(label, prev_label, totals(events, current, ready), totals(events, prev, ready))


def change(current: int, previous: int | None) -> str:
    """The change between two counts in words, e.g. '+3 (+25%)'."""
    if previous is None:
        return ""
    diff = current - previous
    pct = f" ({diff / previous:+.0%})" if previous else ""
    return f"{diff:+d}{pct}"
