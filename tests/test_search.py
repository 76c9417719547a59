"""Search finds events by the names people use; families expand to their members; each row says why it matched."""
from __future__ import annotations

import pandas as pd
import pytest

from monitor import load_events, search
from monitor.load import DATA_DIR


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_events(DATA_DIR / "events.csv")


def found(events, query):
    return events[search.matches(events, events["group"], query)]


@pytest.mark.parametrize("query,event_id", [
    ("Khalil Haqqani", "MM-20241211-AF-1"),  # the record says "Khalil Rahman Haqqani": words match in any order
    ("haqqani khalil", "MM-20241211-AF-1"),
    ("Daesh Kabul", "MM-20241211-AF-1"),  # Daesh is an alias of ISKP in data/groups.csv
    ("ISIS-K Kabul", "MM-20241211-AF-1"),
    ("Dasht-i-Barchi", "MM-20210508-AF-1"),  # the school's row spells it Dasht-e-Barchi
])
def test_names_people_write_find_the_event(events, query, event_id):
    assert event_id in set(found(events, query)["event_id"])


@pytest.mark.parametrize("query,groups", [
    ("Pakistani Taliban", {"TTP"}),  # an alias phrase means the group, not every row with both words
    ("IS-K", {"ISKP"}),  # short hyphen pieces (is, k) would match everything: the word is matched whole
])
def test_an_alias_phrase_finds_its_group(events, query, groups):
    hits = found(events, query)
    assert groups <= set(hits["group"].astype(str))
    assert hits["group"].isin(groups).mean() > 0.85


def test_every_word_must_match(events):
    rows = found(events, "Daesh Kabul")
    text = rows[list(search.TEXT_COLUMNS)].astype(object).fillna("").astype(str).agg(" ".join, axis=1).str.lower()
    assert text.str.contains("kabul").all() and rows["group"].eq("ISKP").all()
    assert len(found(events, "Daesh Kabul")) < len(found(events, "Daesh"))


def test_why_a_row_matched(events):
    rows = found(events, "Daesh Kabul").head(1)
    assert search.reasons(rows, "Daesh Kabul").iloc[0].startswith("daesh: group name (ISKP); kabul: ")


@pytest.mark.parametrize("family,members", [
    ("Islamic State (all)", {"ISKP", "IS (other)", "ISPP"}),  # so "ISKP in Pakistan, 2024" can include IS-claimed rows
    ("TTP and factions", {"TTP", "JuA", "TJP", "Hizbul Ahrar", "Jundallah"}),  # children via groups.csv parents
])
def test_families_expand_to_their_members(family, members):
    assert set(search.family_members(family)) == members
