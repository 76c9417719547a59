"""Aggregations: small fixture in, exact tables out."""
from __future__ import annotations

import pandas as pd
import pytest

from monitor import aggregations as agg
from monitor import totals
from monitor.filters import FilterState
from monitor.summary import paragraph


def test_timeline_by_year_fills_empty_years(small_events):
    ts = agg.timeline(small_events[small_events["group"] == "ISKP"], "year", by_group=False)
    assert ts[["events", "killed_low", "killed_high"]].to_dict("list") == {
        "events": [1, 1, 0, 1], "killed_low": [170, 53, 0, 145], "killed_high": [183, 60, 0, 149]}
    assert [p.year for p in ts["period"]] == [2021, 2022, 2023, 2024]


def test_timeline_by_group_quarter(small_events):
    ts = agg.timeline(small_events[small_events["date"].dt.year == 2024], "quarter")
    got = ts[ts["events"] > 0][["period", "group", "events", "killed_low"]]
    assert got.astype(str).values.tolist() == [
        ["2024-01-01", "ISKP", "1", "145"],
        ["2024-01-01", "Pakistan Armed Forces", "1", "8"],
        ["2024-10-01", "BLA", "1", "26"],
    ]


def test_unknown_toll_counts_zero_and_is_flagged(small_events):
    t = totals.totals(small_events[small_events["group"] == "Unknown"])
    assert t == totals.Totals(events=1, killed_low=0, killed_high=0, wounded_low=0, wounded_high=0, killed_unknown=1,
                           wounded_unknown=1, claimed=0)


def test_missing_high_figure_is_at_least_the_low_one(small_events):
    # With T-4's high figure removed, only its low one (8) is known: the high sum must not fall below the low sum.
    events = small_events.copy()
    events.loc[events["event_id"] == "T-4", "killed_high"] = pd.NA
    t = totals.totals(events[events["event_id"] == "T-4"])
    assert (t.killed_low, t.killed_high) == (8, 8)


@pytest.mark.parametrize("year,label,prev_label,events,prev_events", [
    (None, "2024", "2023", 3, 1),
    ((2021, 2022), "2021–2022", "2019–2020", 2, 1),
])
def test_headline_compares_with_previous_period(small_events, year, label, prev_label, events, prev_events):
    head = totals.headline(small_events, year)
    assert (head.label, head.previous_label, head.current.events, head.previous.events) == (
        label, prev_label, events, prev_events)


@pytest.mark.parametrize("current,previous,text", [(5, 4, "+1 (+25%)"), (2, 4, "-2 (-50%)"), (3, 0, "+3"),
                                                  (3, None, "")])
def test_change(current, previous, text):
    assert totals.change(current, previous) == text


@pytest.mark.parametrize("rows,column,text", [
    (slice(None), "events", "+2 (+200%)"),  # 2024 (3 events) on 2023 (1)
    (slice(None), "killed_low", "+95 (+113%)"),  # 2024: 8 + 26 + 145 killed (low) on 2023: 84
    (slice(0, 0), "events", ""),  # no events: no previous period, so no change rather than "+0"
])
def test_headline_gives_the_change_of_a_sum(small_events, rows, column, text):
    assert totals.headline(small_events.iloc[rows], None).change(column) == text


def test_group_table(small_events):
    table = agg.group_table(small_events).set_index("group")
    iskp = table.loc["ISKP"]
    assert iskp[["events", "killed_low", "killed_high", "wounded_low", "wounded_high"]].tolist() == [3, 368, 392, 811,
                                                                                                   861]
    assert iskp["share_claimed"] == pytest.approx(2 / 3, abs=1e-3)
    assert iskp["share_suicide"] == pytest.approx(2 / 3, abs=1e-3)
    assert iskp["countries"] == "Afghanistan, Russia"
    assert (iskp["first_event"], iskp["last_event"]) == ("2021-08-26", "2024-03-22")
    assert iskp["killed_per_attack_low"] == pytest.approx(122.7)
    assert list(table.index) == ["ISKP", "BLA", "Pakistan Armed Forces", "TTP", "Unknown"]


def test_breakdown(small_events):
    bd = agg.breakdown(small_events, "attack_type")
    assert bd[bd["group"] == "ISKP"][["attack_type", "events"]].values.tolist() == [["bombing", 2],
                                                                                    ["armed_assault", 1]]


def test_deadliest_in_date_order(small_events):
    assert list(agg.deadliest(small_events, 3)["event_id"]) == ["T-1", "T-3", "T-6"]
    assert list(agg.deadliest(small_events, 2, "high")["event_id"]) == ["T-1", "T-6"]


def test_newest(small_events):
    assert list(agg.newest(small_events, 2)["event_id"]) == ["T-5", "T-6"]


def test_coverage(small_events):
    cov = agg.coverage(small_events)
    assert cov.to_dict("list") == {"year": [2019, 2021, 2022, 2023, 2024], "Afghanistan": [1, 1, 1, 0, 1],
                                   "Pakistan": [0, 0, 0, 1, 1], "Russia": [0, 0, 0, 0, 1], "total": [1, 1, 1, 1, 3]}


@pytest.mark.parametrize(("datasets", "curated_last", "by_group"), [
    # the shipped fixture: counts by group, most first, ties in alphabetical order
    (["curated"] * 7, "2024-11-09", "group,events\nISKP,3\nBLA,1\nPakistan Armed Forces,1\nTTP,1\nUnknown,1\n"),
    # with an upload, the curated table's own last date is the one stated (not the upload's later one)
    (["curated"] * 6 + ["gtd:x"], "2024-03-22", "group,events\nISKP,3\nBLA,1\nPakistan Armed Forces,1\nTTP,1\nUnknown,1\n"),
])
def test_coverage_model(small_events, datasets, curated_last, by_group):
    from monitor import models

    events = small_events.sort_values("date").assign(dataset=pd.Categorical(datasets))
    model = models.coverage(events, "curated")
    assert (model.events, f"{model.first:%Y-%m-%d}", f"{model.last:%Y-%m-%d}") == (7, "2019-08-17", "2024-11-09")
    assert f"{model.curated_last:%Y-%m-%d}" == curated_last
    assert model.by_group.to_csv(index=False) == by_group
    assert model.by_country.to_csv(index=False) == "country,events\nAfghanistan,4\nPakistan,2\nRussia,1\n"


def test_summary_paragraph(small_events):
    state = FilterState(group=("ISKP",))
    view = small_events[small_events["group"] == "ISKP"]
    text = paragraph(view, state, totals.headline(view, None))
    assert text.startswith("This view (group ISKP) holds 3 events between 26 Aug 2021 and 22 Mar 2024, in which "
                           "368–392 people were killed")
    assert "ISKP accounts for the most events (3, 100%)." in text
    assert "67% of the events were claimed" in text


def test_summary_of_nothing(small_events):
    assert paragraph(small_events.iloc[0:0], FilterState(q="zzz"), totals.headline(small_events.iloc[0:0], None)) == \
        "No events match this view (q zzz)."
