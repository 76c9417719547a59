"""The loader: typed columns, and a clear DataFileError (never a traceback) for each kind of bad file."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import TODAY

from monitor import DataFileError, load_events, load_groups, load_milestones
from monitor.load import read_text_table
from monitor.schema import EVENTS


@pytest.mark.parametrize("column,check", [
    ("date", pd.api.types.is_datetime64_any_dtype),
    ("last_checked", pd.api.types.is_datetime64_any_dtype),
    ("group", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
    ("country", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
    ("attack_type", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
    ("attribution", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
    ("killed_low", lambda s: str(s.dtype) == "Int32"),
    ("wounded_high", lambda s: str(s.dtype) == "Int32"),
    ("latitude", lambda s: str(s.dtype) == "float64"),
    ("suicide", lambda s: str(s.dtype) == "boolean"),
    ("description", pd.api.types.is_string_dtype),
])
def test_loader_dtypes(small_events_path, column, check):
    events = load_events(small_events_path, today=TODAY)
    assert check(events[column]), f"{column} has dtype {events[column].dtype}"


def test_loader_keeps_blanks_as_missing(small_events_path):
    events = load_events(small_events_path, today=TODAY).set_index("event_id")
    assert events.loc["T-7", "killed_low"] is pd.NA
    assert pd.isna(events.loc["T-1", "origin_latitude"])
    assert list(events.columns) == EVENTS.names[1:]


def test_group_categories_follow_groups_file(small_events_path):
    events = load_events(small_events_path, today=TODAY)
    assert list(events["group"].cat.categories) == list(load_groups()["short_name"])


@pytest.mark.parametrize("content,rule", [
    (b"", "file is empty"),
    (b"   \n", "file is empty"),
    (b"\xff\xfe\x00d\x00a", "not UTF-8 text"),
    (b'event_id,date\n"T-1,2021-01-01\n', "not a well-formed CSV"),
])
def test_bad_files_give_a_clear_error(tmp_path, content, rule):
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as err:
        load_events(path, today=TODAY)
    assert any(rule in p.rule for p in err.value.problems)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError) as err:
        read_text_table(tmp_path / "nope.csv")
    assert err.value.problems[0].rule == "file does not exist"


def test_invalid_rows_list_every_problem(tmp_path, small_events_path):
    text = small_events_path.read_text().replace("2021-08-26", "2021-08-32").replace(",TTP,", ",NOPE,")
    path = tmp_path / "events.csv"
    path.write_text(text)
    with pytest.raises(DataFileError) as err:
        load_events(path, today=TODAY)
    assert {(p.column, p.rule) for p in err.value.problems} >= {
        ("date", "not a valid YYYY-MM-DD date"), ("group", "unknown group: not a short_name in groups.csv")}


def test_parquet_copy_loads_the_same(tmp_path, small_events_path):
    frame = read_text_table(small_events_path)
    frame.to_parquet(tmp_path / "events.parquet")
    a = load_events(small_events_path, today=TODAY)
    b = load_events(tmp_path / "events.parquet", today=TODAY)
    pd.testing.assert_frame_equal(a, b)


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "events.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(DataFileError) as err:
        load_events(path, today=TODAY)
    assert "not a readable Parquet file" in err.value.problems[0].rule


def test_shipped_reference_tables_load():
    assert len(load_groups()) >= 20
    milestones = load_milestones()
    assert milestones["date"].is_monotonic_increasing
    assert "Fall of Kabul" in set(milestones["label"])


@pytest.mark.parametrize("name", ["events_small.csv", "events_hostile.csv", "gtd_small.csv", "acled_small.csv",
                                  "ucdp_export_small.csv", "ucdp_download_small.csv"])
def test_fast_parser_reads_exactly_like_the_careful_one(monkeypatch, name):
    # Large files take Arrow's reader; it must give the same cells, or step aside for the pandas path.
    from conftest import FIXTURES

    from monitor import load

    raw = (FIXTURES / name).read_bytes()
    careful = load.parse_csv_bytes(raw, name)
    monkeypatch.setattr(load, "FAST_PARSE_BYTES", 0)
    fast = load.parse_csv_bytes(raw, name)
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), careful.reset_index(drop=True), check_dtype=False)


def test_fast_parser_steps_aside_for_ragged_rows(monkeypatch):
    from monitor import load

    monkeypatch.setattr(load, "FAST_PARSE_BYTES", 0)
    with pytest.raises(DataFileError) as err:
        load.parse_csv_bytes(b"a,b\n1,2\n3,4,5\n", "ragged.csv")
    assert "not a well-formed CSV" in err.value.problems[0].rule
