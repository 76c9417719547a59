"""Page models: what a page computes from the rows a view keeps, as small typed results (cached per view)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import aggregations as agg
from . import compare, filters, mapdata, maps, summary, totals, trends
from .filters import FilterState

SHORT_COLUMNS = ["date", "group", "country", "admin1", "location", "attack_type", "killed_low", "killed_high",
                 "attribution", "event_id"]
DEADLY_COLUMNS = ["date", "group", "country", "location", "attack_type", "killed_low", "killed_high", "wounded_low",
                  "wounded_high", "attribution", "description", "event_id"]


@dataclass
class Selection:
    """The rows of a dataset that a view keeps: `keep` is a mask over `core` (cheap columns) and `events` (all)."""

    events: pd.DataFrame
    core: pd.DataFrame
    keep: np.ndarray
    state: FilterState

    @classmethod
    def of(cls, events: pd.DataFrame, core: pd.DataFrame, state: FilterState) -> Selection:
        """What a view keeps of a dataset, `core` being counted by the view's casualty figure (core.for_figure)."""
        return cls(events, core, filters.mask(core, state, text=events), state)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The kept rows' core columns, selected on first use: a page served from the cache never pays for it."""
        return filters.select(self.core, self.keep)

    def without_year(self) -> np.ndarray:
        """A mask: the view with every filter but the years (for comparisons with earlier periods)."""
        return filters.mask(self.core, self.state.with_(year=None), text=self.events)

    def undated(self) -> pd.DataFrame:
        """The view's rows with its years and dates set aside: the baseline of alerts, comparisons and briefs."""
        return filters.select(self.core, filters.mask(self.core, self.state.with_(year=None, start=None, end=None),
                                                      text=self.events))

    def full(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Every column of some of the kept rows."""
        return self.events.loc[rows.index]


@dataclass(frozen=True)
class OverviewModel:
    """Headline figures, the summary paragraph, recent and deadliest events, yearly counts by a facet."""

    head: totals.Headline
    paragraph: str
    recent: pd.DataFrame
    deadliest: pd.DataFrame
    yearly: pd.DataFrame


@dataclass(frozen=True)
class TimelineModel:
    """Counts and casualties per period and group, and the deadliest events of the view."""

    series: pd.DataFrame
    deadliest: pd.DataFrame


@dataclass(frozen=True)
class GroupsModel:
    """The per-group table, a breakdown by attack or target type, and yearly counts."""

    table: pd.DataFrame
    breakdown: pd.DataFrame
    yearly: pd.DataFrame


def overview(sel: Selection, facet: str = "group") -> OverviewModel:
    """The Overview page's model; `facet` is group or country."""
    view = sel.rows
    head = totals.headline(sel.core, sel.state.year, within=sel.without_year())
    if facet == "country":
        yearly = agg.yearly(view[["date", "country", *agg.SUMS]].rename(columns={"country": "group"}))
        yearly = yearly.rename(columns={"group": "country"})
    else:
        yearly = agg.yearly(view)
    return OverviewModel(head, summary.paragraph(view, sel.state, head),
                         sel.events.loc[agg.newest(view, 10).index, SHORT_COLUMNS],
                         sel.events.loc[agg.deadliest(view, 10, sel.state.figure).index, SHORT_COLUMNS], yearly)


def timeline(sel: Selection, freq: str) -> TimelineModel:
    """The Timeline page's model at a frequency (month, quarter, year)."""
    return TimelineModel(agg.timeline(sel.rows, freq, by_group=True),
                         sel.events.loc[agg.deadliest(sel.rows, 15, sel.state.figure).index, DEADLY_COLUMNS])


def groups(sel: Selection, by: str) -> GroupsModel:
    """The Groups page's model, broken down by attack_type or target_type."""
    return GroupsModel(agg.group_table(sel.rows), agg.breakdown(sel.rows, by), agg.yearly(sel.rows))


@dataclass(frozen=True)
class MapModel:
    """The deck of a map view, what the page says about it, its most-hit points and the newest events to pick from."""

    result: maps.MapResult
    most_hit: pd.DataFrame
    legend: list[str]
    newest: pd.DataFrame


def map_view(sel: Selection, view: str, options: maps.MapOptions, colors: dict[str, str], boundaries: dict,
             places: pd.DataFrame | None) -> MapModel:
    """The Map page's model for a view preset and layer options (the base map's files and colours are passed in)."""
    visible = maps.in_view(sel.rows, view)
    newest = agg.newest(visible, 500)[["event_id", "date", "group", "location"]]
    legend = [str(g) for g, n in sel.rows["group"].value_counts().items() if n and str(g) in colors]
    return MapModel(maps.build_deck(sel.rows, view, colors, boundaries, places, options), mapdata.most_hit(visible),
                    legend, newest)


@dataclass(frozen=True)
class CoverageModel:
    """What a whole dataset covers (not the view): its dates, events by group and country, and by year."""

    events: int
    first: pd.Timestamp
    last: pd.Timestamp
    curated_last: pd.Timestamp | None
    by_group: pd.DataFrame
    by_country: pd.DataFrame
    by_year: pd.DataFrame


def coverage(events: pd.DataFrame, curated: str) -> CoverageModel:
    """The About page's model of a dataset; `curated` names the curated table's rows (their last date is shown)."""
    curated_dates = events.loc[(events["dataset"] == curated).to_numpy(), "date"]
    return CoverageModel(len(events), events["date"].min(), events["date"].max(),
                         curated_dates.max() if len(curated_dates) else None, agg.counts_by(events, "group"),
                         agg.counts_by(events, "country"), agg.coverage(events))


@dataclass(frozen=True)
class TrendsModel:
    """Surge and lull tests of one period for the view (its years and dates set aside: they are the baseline)."""

    period: str
    table: pd.DataFrame
    note: str


def latest_period(sel: Selection, unit: str) -> str:
    """The label of the period that holds the view's latest event (or of the data's latest one)."""
    dates = sel.rows["date"] if len(sel.rows) else sel.events["date"]
    return trends.period_label(pd.Timestamp(dates.max()).to_period(agg.FREQUENCIES[unit]))


def trend_alerts(sel: Selection, unit: str, period: str) -> TrendsModel:
    """The Trends page's model: every test of `period` for the view without its year and date filters."""
    target, freq = trends.parse_period(period)
    if freq != agg.FREQUENCIES[unit]:
        target = target.asfreq(agg.FREQUENCIES[unit], how="end")
    rows = sel.undated()
    try:
        table = trends.alerts(rows, target, agg.FREQUENCIES[unit], covered_from=sel.events["date"].min())
        note = ""
    except ValueError as exc:
        table, note = pd.DataFrame(columns=trends.ALERT_COLUMNS), str(exc)
    return TrendsModel(trends.period_label(target), table, note)


def period_comparison(sel: Selection, a: tuple, b: tuple, by: str) -> pd.DataFrame:
    """Events and killed by `by` in two date ranges, with the change and an exact test (view without its dates)."""
    return compare.compare_periods(sel.undated(), a, b, [by])
