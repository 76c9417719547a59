"""The validator: a table of bad inputs, each with the column and rule it must report."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import TODAY

from monitor.problems import errors
from monitor.validate import validate_events, validate_groups, validate_milestones

GROUPS = {"ISKP", "TTP", "BLA", "Pakistan Armed Forces", "Unknown"}

# (reason, {column: new value} for row 0, expected column, expected words in the rule)
BAD_ROWS = [
    ("required value missing", {"location": ""}, "location", "required value is empty"),
    ("date is not ISO", {"date": "26/08/2021"}, "date", "not a valid YYYY-MM-DD date"),
    ("impossible date", {"date": "2021-02-30"}, "date", "not a valid YYYY-MM-DD date"),
    ("date in the future", {"date": "2027-01-01"}, "date", "date is in the future"),
    ("date precision vocabulary", {"date_precision": "year"}, "date_precision", "not in vocabulary"),
    ("geo precision vocabulary", {"geo_precision": "exact"}, "geo_precision", "not in vocabulary"),
    ("attribution vocabulary", {"attribution": "maybe"}, "attribution", "not in vocabulary"),
    ("attack type vocabulary", {"attack_type": "explosion"}, "attack_type", "not in vocabulary"),
    ("target type vocabulary", {"target_type": "people"}, "target_type", "not in vocabulary"),
    ("suicide must be true/false", {"suicide": "yes"}, "suicide", "not in vocabulary"),
    ("unknown country", {"country": "Atlantis"}, "country", "not in vocabulary"),
    ("killed is not a number", {"killed_low": "about 5"}, "killed_low", "not a whole number"),
    ("negative count", {"wounded_low": "-1"}, "wounded_low", "not a whole number"),
    ("low above high", {"killed_low": "200", "killed_high": "183"}, "killed_low", "must be <= killed_high"),
    ("latitude not a number", {"latitude": "north"}, "latitude", "not a number"),
    ("coordinates out of range", {"latitude": "134.5"}, "latitude", "coordinates out of range"),
    ("swapped coordinates fall outside the country", {"latitude": "69.21306", "longitude": "34.56583"}, "latitude",
     "outside the named country"),
    ("point in Iran for an Afghan event", {"latitude": "35.7", "longitude": "51.4"}, "latitude",
     "outside the named country"),
    ("unknown group", {"group": "Al-Nowhere"}, "group", "unknown group"),
    ("claimed needs a named group", {"group": "Unknown"}, "attribution", "needs a named group"),
    ("no http source", {"sources": "Reuters, 27 Aug 2021"}, "sources", "needs at least one http(s) source URL"),
    ("javascript link is not a source", {"sources": "javascript:alert(1)"}, "sources", "not an http(s) URL"),
    ("half an origin", {"origin_country": "Pakistan"}, "origin_country", "go together"),
    ("origin in its own country", {"origin_country": "Afghanistan", "origin_latitude": "34.5",
                                   "origin_longitude": "69.1", "origin_precision": "city"}, "origin_country",
     "origin country equals"),
    ("origin point outside origin country", {"origin_country": "Pakistan", "origin_latitude": "40.0",
                                            "origin_longitude": "62.0", "origin_precision": "city"},
     "origin_latitude", "outside origin_country"),
    ("bad id characters", {"event_id": "T 1"}, "event_id", "id has characters"),
    # Pages hold counts as 32-bit integers: these once passed validation and then crashed every page.
    ("three billion killed", {"killed_high": "3000000000"}, "killed_high", "not a plausible count"),
    ("a 400-digit count", {"wounded_high": "9" * 400}, "wounded_high", "not a plausible count"),
    ("a 400-digit latitude", {"latitude": "3" * 400}, "latitude", "not a number"),
    ("a 400-digit year", {"date": "9" * 400 + "-01-01"}, "date", "not a valid YYYY-MM-DD date"),
]


@pytest.mark.parametrize("reason,change,column,rule", BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_bad_row_is_reported(fixture_text, reason, change, column, rule):
    frame = fixture_text.copy()
    for key, value in change.items():
        frame.loc[0, key] = value
    found = [p for p in errors(validate_events(frame, GROUPS, TODAY)) if p.column == column and rule in p.rule]
    assert found, f"{reason}: expected a problem on {column} containing {rule!r}"
    assert found[0].row == 2 and found[0].event_id == frame.loc[0, "event_id"]


def test_fixture_is_valid(fixture_text):
    assert errors(validate_events(fixture_text, GROUPS, TODAY)) == []


def test_every_problem_is_reported_at_once(fixture_text):
    # Lazy validation: three broken rows give three problems, not one exception.
    frame = fixture_text.copy()
    frame.loc[0, "date"] = "bad"
    frame.loc[2, "group"] = "Nobody"
    frame.loc[4, "killed_low"] = "x"
    got = {(p.row, p.column) for p in errors(validate_events(frame, GROUPS, TODAY))}
    assert {(2, "date"), (4, "group"), (6, "killed_low")} <= got


def test_duplicate_ids(fixture_text):
    frame = fixture_text.copy()
    frame.loc[3, "event_id"] = frame.loc[1, "event_id"]
    dup = [p for p in validate_events(frame, GROUPS, TODAY) if "duplicate id" in p.rule]
    assert [(p.row, p.rule) for p in dup] == [(5, "duplicate id (first used on row 3)")]


def test_missing_and_unknown_columns(fixture_text):
    frame = fixture_text.drop(columns=["sources"]).assign(colour="red")
    rules = {(p.column, p.rule) for p in validate_events(frame, GROUPS, TODAY)}
    assert ("sources", "required column is missing") in rules
    assert ("colour", "unknown column: not in the events schema") in rules


def test_suspected_duplicate_is_a_warning(fixture_text):
    # Same day, same group, same place: reported, but only as a warning (a second incident there is possible).
    frame = fixture_text.copy()
    extra = frame.loc[[0]].assign(event_id="T-99")
    frame = pd.concat([frame, extra], ignore_index=True)
    found = [p for p in validate_events(frame, GROUPS, TODAY) if "suspected duplicate" in p.rule]
    assert [(p.row, p.severity) for p in found] == [(9, "warning")]
    assert "row 2" in found[0].rule


GROUP_HEADER = ["short_name", "full_name", "kind", "parent", "lineage", "aliases", "color"]


@pytest.mark.parametrize("row,column,rule", [
    (["A", "Alpha", "jihadist", "", "", "", "#12345"], "color", "not a #RRGGBB colour"),
    (["A", "Alpha", "pirates", "", "", "", "#123456"], "kind", "not in vocabulary"),
    (["A", "Alpha", "jihadist", "Z", "", "", "#123456"], "parent", "parent is not a short_name"),
    (["A,B", "Alpha", "jihadist", "", "", "", "#123456"], "short_name", "must not contain a comma"),
])
def test_bad_groups(row, column, rule):

    frame = pd.DataFrame([row], columns=GROUP_HEADER)
    assert any(p.column == column and rule in p.rule for p in validate_groups(frame))


def test_alias_owned_by_two_groups():

    frame = pd.DataFrame([["A", "Alpha", "jihadist", "", "", "IS; Alpha", "#123456"],
                          ["B", "Beta", "jihadist", "", "", "is", "#654321"]], columns=GROUP_HEADER)
    assert [(p.row, p.rule) for p in validate_groups(frame)] == [(3, "alias also belongs to A")]


def test_bad_milestone():

    frame = pd.DataFrame([["2021-13-01", "X", "Y", "ftp://x"]], columns=["date", "label", "description", "source"])
    rules = {p.rule for p in validate_milestones(frame, TODAY)}
    assert "not a valid YYYY-MM-DD date" in rules and "not an http(s) URL" in rules


def _log(*rows):

    return pd.DataFrame([dict(zip(["event_id", "field", "old_value", "new_value", "date", "source", "reason"],
                                  (*r, "2026-12-02", "https://example.org/a", "later toll"), strict=True))
                         for r in rows])


CHAINS = [
    ("one change ending at the current value", [("T-1", "killed_low", "3", "5")], {}, []),
    ("two changes in a chain", [("T-1", "killed_low", "2", "3"), ("T-1", "killed_low", "3", "5")], {}, []),
    ("a broken chain", [("T-1", "killed_low", "2", "3"), ("T-1", "killed_low", "4", "5")], {},
     [("old_value", "does not continue the chain")]),
    ("a chain that ends elsewhere", [("T-1", "killed_low", "3", "6")], {},
     [("killed_low", "does not end at the events table's current value")]),
    ("an unknown event", [("T-99", "killed_low", "3", "5")], {}, [("event_id", "no such event")]),
    ("last_checked is a stamp, not a logged change", [("T-1", "last_checked", "a", "b")], {},
     [("field", "not an events column that corrections log")]),
]


@pytest.mark.parametrize("reason,rows,_,expected", CHAINS, ids=[c[0] for c in CHAINS])
def test_corrections_chain_ends_at_the_current_value(fixture_text, reason, rows, _, expected):
    from monitor.releases import validate_corrections

    events = fixture_text.copy()
    events.loc[events["event_id"] == "T-1", "killed_low"] = "5"
    got = [(p.column, p.rule) for p in errors(validate_corrections(_log(*rows), events, TODAY))]
    assert [(c, next((r for _, r in got if rule in r), None) is not None) for c, rule in expected] == \
        [(c, True) for c, _ in expected]
    assert len(got) == len(expected), got


@pytest.mark.parametrize("change,column", [
    ({"killed_low": "3", "killed_high": "5", "civilians_killed_low": "4"}, "civilians_killed_low"),  # above killed_low
    ({"killed_low": "3", "killed_high": "5", "civilians_killed_high": "6"}, "civilians_killed_high"),
    ({"civilians_killed_low": "4", "civilians_killed_high": "2"}, "civilians_killed_low"),
])
def test_no_killed_bound_is_below_a_civilian_bound(fixture_text, change, column):
    frame = fixture_text.copy()
    for key, value in change.items():
        frame.loc[0, key] = value
    assert any(p.column == column and "must be <=" in p.rule for p in errors(validate_events(frame, GROUPS, TODAY)))
