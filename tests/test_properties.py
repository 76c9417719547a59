"""Property-based tests (hypothesis): the validator, importers, URL parser and filters hold for any input."""
from __future__ import annotations

import io
import string

import pandas as pd
from conftest import FIXTURES, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import export, filters, load_groups, urlstate
from monitor.importers import DataFileError, import_frame, read_table
from monitor.load import parse_csv_bytes, typed
from monitor.problems import errors
from monitor.schema import EVENTS
from monitor.validate import validate_events

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "javascript:alert(1)", "=1+1", "+1", "-1",
           "@SUM(1)", "\t", "\r", "[x](javascript:alert(1))", "![i](http://127.0.0.1:1/x)", ":material/home:",
           "$x$", "\u202e", "\x00", ",", '"', "\n", "é", "کابل"]
cells = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.just(""))


@SETTINGS
@given(st.data())
def test_validator_never_raises_and_points_at_real_rows(fixture_text, data):
    frame = fixture_text.copy()
    for _ in range(data.draw(st.integers(0, 8))):
        row = data.draw(st.integers(0, len(frame) - 1))
        col = data.draw(st.sampled_from(list(frame.columns)))
        frame.loc[row, col] = data.draw(cells)
    problems = validate_events(frame, {"ISKP", "TTP", "BLA", "Pakistan Armed Forces", "Unknown"}, TODAY)
    for p in problems:
        assert p.row is None or 2 <= p.row <= len(frame) + 1
        assert p.column in frame.columns or p.column == "(file)"


@SETTINGS
@given(st.lists(st.lists(cells, min_size=5, max_size=5), min_size=1, max_size=6))
def test_random_csv_bytes_never_crash_the_loader(rows):
    buf = io.StringIO()
    pd.DataFrame(rows, columns=list("abcde")).to_csv(buf, index=False)
    try:
        frame = parse_csv_bytes(buf.getvalue().encode("utf-8"))
    except DataFileError as exc:
        assert exc.problems
    else:
        assert list(frame.columns) == list("abcde")


IMPORT_FIXTURES = ["acled_small.csv", "gtd_small.csv", "ucdp_export_small.csv", "ucdp_download_small.csv"]


@SETTINGS
@given(st.sampled_from(IMPORT_FIXTURES), st.data())
def test_importers_keep_or_reject_every_row(name, data):
    groups = load_groups()
    frame = read_table((FIXTURES / name).read_bytes(), name)
    first_line = frame.attrs.get("first_data_line", 2)
    frame = frame.copy()
    frame.attrs["first_data_line"] = first_line
    for _ in range(data.draw(st.integers(0, 10))):
        row = data.draw(st.integers(0, len(frame) - 1))
        col = data.draw(st.sampled_from(list(frame.columns)))
        frame.loc[row, col] = data.draw(cells)
    result = import_frame(frame, groups, name.split("_")[0])
    assert result.kept + len(result.rejected) == result.read == len(frame)
    assert errors(validate_events(result.events, set(groups["short_name"]), TODAY)) == []


VOCAB = {"group": ("ISKP", "TTP", "Haqqani Network"), "country": ("Afghanistan", "Pakistan"),
         "province": ("Kabul",), "attack": ("bombing",), "target": ("police",), "attribution": ("claimed",),
         "dataset": ("curated",)}
params = st.dictionaries(st.sampled_from([f.param for f in filters.FILTERS] + ["view", "x" * 300, ""]),
                         st.one_of(cells, st.text(alphabet=string.printable, max_size=400),
                                   st.lists(cells, max_size=3)), max_size=8)


@SETTINGS
@given(params)
def test_query_parser_never_raises_and_keeps_only_known_values(query):
    state, notices = urlstate.parse_query(query, VOCAB)
    for param in (f.param for f in filters.FILTERS if f.kind == "multi"):
        assert set(getattr(state, param)) <= set(VOCAB.get(param, ()))
    assert len(state.q) <= filters.MAX_QUERY_LENGTH
    assert 0 <= state.min_killed <= filters.MAX_MIN_KILLED
    assert urlstate.parse_query(urlstate.to_query(state), VOCAB)[0] == state


@SETTINGS
@given(params)
def test_filtering_never_adds_rows_and_csv_reimports_the_same_rows(small_events, query):
    vocab = {k: v for k, v in filters.vocabulary(small_events).items()}
    state, _ = urlstate.parse_query(query, vocab)
    view = filters.apply(small_events, state)
    assert set(view.index) <= set(small_events.index)
    assert len(filters.apply(view, state)) == len(view)
    back = typed(parse_csv_bytes(export.events_csv(view)).drop(columns="dataset"), EVENTS)
    assert list(back["event_id"]) == list(view["event_id"])
    assert back["killed_low"].equals(view["killed_low"].reset_index(drop=True))
