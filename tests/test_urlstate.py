"""Links as views: every value survives the round trip through one encoder; odd values get a notice, never a crash."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from monitor import urlstate
from monitor.filters import FilterState

VOCAB = {"group": ("ISKP", "Haqqani Network", "TTP"), "country": ("Afghanistan", "Pakistan"), "_years": (2015, 2025),
         "province": ("Kabul", "Kurram, Upper", "Kurram"), "dataset": ("curated", "acled:export, March 2024")}

ROUND_TRIP = [
    # The About page's citation once reopened another view: '&' and '#' ended the value early.
    ("ampersand and hash", FilterState(group=("Haqqani Network",), q="school & mosque #2")),
    ("non-ASCII search", FilterState(q="دشت برچی مکتب")),
    ("plus and percent", FilterState(q="a+b 100% c=d")),
    # Lists are joined with commas; a value with a comma of its own (uploads bring such names) must stay whole.
    ("a comma inside a value", FilterState(province=("Kurram, Upper", "Kabul"), dataset=("acled:export, March 2024",))),
    ("a value with a comma beside its own first part", FilterState(province=("Kurram", "Kurram, Upper"))),
    ("every kind at once", FilterState(group=("ISKP", "TTP"), year=(2021, 2024), min_killed=5, suicide="yes",
                                       figure="high", q="Kabul")),
]


@pytest.mark.parametrize("reason,state", ROUND_TRIP, ids=[r[0] for r in ROUND_TRIP])
def test_a_link_reopens_exactly_its_view(reason, state):
    url = urlstate.to_url(urlstate.to_query(state), "http://host/about")
    params = {k: v for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    back, notices = urlstate.parse_query(params, VOCAB)
    assert (back, notices) == (state, [])


CLAMP = [
    # The year slider only holds the data's years; a link must never hand it one it rejects.
    ("after the data", "2026", (2025, 2025), "year: “2026” is outside the data (2015–2025), shown as 2025"),
    ("before the data", "1990", (2015, 2015), "year: “1990” is outside the data (2015–2025), shown as 2015"),
    ("overlapping the end", "2020-2030", (2020, 2025), "year: “2020-2030” is outside the data (2015–2025), shown as 2020-2025"),
    ("inside", "2016-2017", (2016, 2017), None),
]


@pytest.mark.parametrize("reason,value,year,notice", CLAMP, ids=[c[0] for c in CLAMP])
def test_years_are_clamped_to_the_data_with_a_notice(reason, value, year, notice):
    state, notices = urlstate.parse_query({"year": value}, VOCAB)
    assert state.year == year
    assert notices == ([notice] if notice else [])


ODD = [
    ("repeated single-value key: the last counts, and the notice says so", {"year": ["2016", "2017"]},
     FilterState(year=(2017, 2017)), ["year: given 2 times; the last value was used"]),
    ("right-to-left override and NUL removed from search", {"q": "abc\u202e\x00def"}, FilterState(q="abcdef"),
     ["q: control or direction characters were removed from the search text"]),
    ("Unicode minus is not a number", {"min_killed": "\u22125"}, FilterState(),
     ["min_killed: “−5” is not a whole number from 0 to 100000, dropped"]),
    ("Arabic-Indic digits are not accepted as a number", {"min_killed": "٥"}, FilterState(),
     ["min_killed: “٥” is not a whole number from 0 to 100000, dropped"]),
    ("huge page parameter dropped", {"event": "x" * 5000}, FilterState(),
     ["event: value longer than 200 characters, dropped"]),
    ("a URL as a group is dropped, shown as text", {"group": "https://evil.example.com/login"}, FilterState(),
     ["group: unknown value “https://evil.example.com/login” was dropped"]),
    ("suicide choice", {"suicide": "no"}, FilterState(suicide="no"), []),
]


@pytest.mark.parametrize("reason,params,state,notices", ODD, ids=[o[0] for o in ODD])
def test_odd_values(reason, params, state, notices):
    got, got_notices = urlstate.parse_query(params, VOCAB)
    assert (got, got_notices) == (state, notices)


def test_page_parameters_travel_with_the_filters_and_can_be_replaced():
    state = FilterState(group=("ISKP",), extra=(("view", "kabul"), ("event", "E-1")))
    assert urlstate.with_extra(state, event=None) == {"group": "ISKP", "view": "kabul"}
    assert urlstate.to_url(urlstate.with_extra(state, view="border"), "./map") == \
        "./map?group=ISKP&view=border&event=E-1"


DATES = [
    ("a day-precise range", {"from": "2021-08-15", "to": "2024-12-31"}, (dt.date(2021, 8, 15), dt.date(2024, 12, 31)), []),
    ("only a start", {"from": "2021-08-15"}, (dt.date(2021, 8, 15), None), []),
    ("a day before the data is clamped", {"from": "1999-01-01"}, (dt.date(2015, 1, 30), None),
     ["from: 1999-01-01 is outside the data (2015-01-30 to 2025-12-05), shown as 2015-01-30"]),
    ("not a day", {"to": "31/12/2024"}, (None, None), ["to: “31/12/2024” is not a day like 2021-08-15, dropped"]),
    ("an impossible day", {"to": "2024-02-30"}, (None, None), ["to: “2024-02-30” is not a day like 2021-08-15, dropped"]),
    ("backwards", {"from": "2024-01-02", "to": "2024-01-01"}, (None, None),
     ["from/to: 2024-01-02 is after 2024-01-01: the range runs backwards and was dropped"]),
]


@pytest.mark.parametrize("reason,params,days,notices", DATES, ids=[d[0] for d in DATES])
def test_date_range_from_the_url(reason, params, days, notices):
    vocab = {**VOCAB, "_dates": (dt.date(2015, 1, 30), dt.date(2025, 12, 5))}
    state, got = urlstate.parse_query(params, vocab)
    assert ((state.start, state.end), got) == (days, notices)
    if days != (None, None):
        assert urlstate.parse_query(urlstate.to_query(state), vocab)[0] == state
