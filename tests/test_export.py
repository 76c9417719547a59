"""CSV downloads: exact bytes for a small fixture, formula neutralisation, round trip."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from monitor import export
from monitor.filters import FilterState
from monitor.load import parse_csv_bytes


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"),
    ("+44 20", "'+44 20"),
    ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("plain", "plain"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_neutralise(value, expected):
    assert export.neutralise(value) == expected


def test_exact_csv_for_a_small_table():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-03", "2021-08-26"]),
        "group": pd.Categorical(["ISKP", "TTP"]),
        "killed_low": pd.array([-5, None], dtype="Int32"),
        "latitude": [34.56583, 30.0],
        "suicide": pd.array([True, None], dtype="boolean"),
        "description": ["=HYPERLINK(\"http://x\")", "He said, \"no\""],
    })
    assert export.to_csv_bytes(frame).decode() == (
        "date,group,killed_low,latitude,suicide,description\n"
        "2024-01-03,ISKP,-5,34.56583,true,\"'=HYPERLINK(\"\"http://x\"\")\"\n"
        "2021-08-26,TTP,,30.0,,\"He said, \"\"no\"\"\"\n"
    )


def test_events_csv_round_trips(small_events, fixture_text):
    # Every column and value of the file comes back, except that a formula-like text cell gains a leading quote.
    back = parse_csv_bytes(export.events_csv(small_events))
    assert list(back.columns) == ["dataset", *fixture_text.columns]
    back = back.drop(columns="dataset")
    expected = fixture_text.copy()
    expected["description"] = expected["description"].map(export.neutralise)
    pd.testing.assert_frame_equal(back, expected)


def test_file_name_says_what_is_in_it():
    state = FilterState(group=("ISKP",), year=(2021, 2024))
    assert export.file_name("events", state, dt.date(2026, 11, 26)) == \
        "militancy-monitor_events_group-ISKP_year-2021-2024_2026-11-26.csv"


def test_csv_is_utf8_and_readable_by_pandas():
    frame = pd.DataFrame({"location": ["Dasht-e-Barchi", "کابل"]})
    assert pd.read_csv(io.BytesIO(export.to_csv_bytes(frame)))["location"].tolist() == ["Dasht-e-Barchi", "کابل"]
