"""The shared filters as a table: URL in, state and notices out; state in, rows out."""
from __future__ import annotations

import pytest

from monitor import filters, urlstate
from monitor.filters import FilterState

VOCAB = {
    "dataset": ("curated",),
    "group": ("ISKP", "TTP", "BLA", "Pakistan Armed Forces", "Unknown"),
    "country": ("Afghanistan", "Pakistan", "Russia"),
    "province": ("Kabul", "Khyber Pakhtunkhwa", "Paktika", "Balochistan", "Moscow Oblast"),
    "attack": ("bombing", "armed_assault", "air_strike"),
    "target": ("military", "education", "police", "militants", "civilians"),
    "attribution": ("claimed", "suspected", "disputed", "unclaimed"),
}

PARSE = [
    ("empty URL", {}, FilterState(), []),
    ("one group", {"group": "ISKP"}, FilterState(group=("ISKP",)), []),
    ("case-insensitive, canonical spelling kept", {"group": "iskp,ttp"}, FilterState(group=("ISKP", "TTP")), []),
    ("a name with spaces", {"group": "Pakistan Armed Forces"}, FilterState(group=("Pakistan Armed Forces",)), []),
    ("unknown value dropped with notice", {"group": "ISKP,Nobody"}, FilterState(group=("ISKP",)),
     ["group: unknown value “Nobody” was dropped"]),
    ("repeated value kept once", {"country": "Pakistan,pakistan"}, FilterState(country=("Pakistan",)), []),
    ("one year", {"year": "2024"}, FilterState(year=(2024, 2024)), []),
    ("year range", {"year": "2021-2024"}, FilterState(year=(2021, 2024)), []),
    ("backwards range dropped", {"year": "2024-2021"}, FilterState(),
     ["year: range “2024-2021” runs backwards and was dropped"]),
    ("malformed year dropped", {"year": "last year"}, FilterState(),
     ["year: “last year” is not a year or a range like 2021-2024, dropped"]),
    ("min killed", {"min_killed": "10"}, FilterState(min_killed=10), []),
    ("negative min killed dropped", {"min_killed": "-3"}, FilterState(),
     ["min_killed: “-3” is not a whole number from 0 to 100000, dropped"]),
    ("search text squeezed", {"q": "  girls   school "}, FilterState(q="girls school"), []),
    ("figure", {"figure": "HIGH"}, FilterState(figure="high"), []),
    ("bad figure dropped", {"figure": "median"}, FilterState(),
     ["figure: “median” is not one of range, low, high, civilians, dropped"]),
    ("hostile value shown shortened, never kept", {"target": "<script>alert(1)</script>"}, FilterState(),
     ["target: unknown value “<script>alert(1)</script>” was dropped"]),
    ("list from repeated parameters", {"attack": ["bombing", "air_strike"]},
     FilterState(attack=("bombing", "air_strike")), []),
]


@pytest.mark.parametrize("reason,params,state,notices", PARSE, ids=[p[0] for p in PARSE])
def test_parse_query(reason, params, state, notices):
    got, got_notices = urlstate.parse_query(params, VOCAB)
    assert got == state
    assert got_notices == notices


def test_long_search_is_cut():
    state, notices = urlstate.parse_query({"q": "x" * 500}, VOCAB)
    assert len(state.q) == filters.MAX_QUERY_LENGTH
    assert notices == ["q: search text cut to 200 characters"]


def test_unknown_parameters_are_kept_aside():
    # Page-specific parameters (the map's `view`) are not filters; they travel alongside, untouched.
    state, notices = urlstate.parse_query({"view": "kabul", "group": "ISKP"}, VOCAB)
    assert state.extra == (("view", "kabul"),) and notices == []


TO_QUERY = [
    (FilterState(), {}),
    (FilterState(group=("ISKP", "TTP"), year=(2021, 2024)), {"group": "ISKP,TTP", "year": "2021-2024"}),
    (FilterState(year=(2024, 2024), min_killed=5, q="bank", figure="low"),
     {"year": "2024", "min_killed": "5", "q": "bank", "figure": "low"}),
]


@pytest.mark.parametrize("state,query", TO_QUERY)
def test_to_query_and_back(state, query):
    assert urlstate.to_query(state) == query
    assert urlstate.parse_query(query, VOCAB)[0] == state


APPLY = [
    ("no filter keeps all", FilterState(), ["T-1", "T-2", "T-3", "T-4", "T-5", "T-6", "T-7"]),
    ("group", FilterState(group=("ISKP",)), ["T-1", "T-2", "T-6"]),
    ("group and years", FilterState(group=("ISKP",), year=(2022, 2024)), ["T-2", "T-6"]),
    ("country", FilterState(country=("Pakistan",)), ["T-3", "T-5"]),
    ("province", FilterState(province=("Paktika",)), ["T-4"]),
    ("attack type", FilterState(attack=("air_strike",)), ["T-4"]),
    ("target type", FilterState(target=("military",)), ["T-1", "T-5"]),
    ("attribution", FilterState(attribution=("disputed", "suspected")), ["T-2", "T-3"]),
    ("min killed uses the low figure by default", FilterState(min_killed=100), ["T-1", "T-6"]),
    ("min killed with the high figure", FilterState(min_killed=100, figure="high"), ["T-1", "T-3", "T-6"]),
    ("unknown toll never passes a minimum", FilterState(min_killed=1), ["T-1", "T-2", "T-3", "T-4", "T-5", "T-6"]),
    ("search is case-insensitive over description and place", FilterState(q="CONCERT"), ["T-6"]),
    ("search treats regex characters literally", FilterState(q="<img"), ["T-7"]),
    ("filters combine with AND", FilterState(group=("ISKP",), country=("Russia",)), ["T-6"]),
    # A family's values are family names, not groups: it once also ran as a plain group filter and kept nothing.
    ("family keeps its member groups", FilterState(family=("Islamic State (all)",)), ["T-1", "T-2", "T-6"]),
    ("two families", FilterState(family=("Baloch separatists", "State forces")), ["T-4", "T-5"]),
    ("family and group combine with AND", FilterState(family=("Islamic State (all)",), group=("TTP",)), []),
]


@pytest.mark.parametrize("reason,state,ids", APPLY, ids=[a[0] for a in APPLY])
def test_apply(small_events, reason, state, ids):
    assert list(filters.apply(small_events, state)["event_id"]) == ids


@pytest.mark.parametrize("state,text,slug", [
    (FilterState(), "all events", "all"),
    (FilterState(group=("ISKP",), year=(2021, 2024)), "group ISKP; year 2021-2024", "group-ISKP_year-2021-2024"),
    (FilterState(group=("Haqqani Network",), q="a/b"), "group Haqqani Network; q a/b", "group-Haqqani-Network_q-a-b"),
])
def test_describe_and_slug(state, text, slug):
    assert urlstate.describe(state) == text
    assert urlstate.slug(state) == slug
