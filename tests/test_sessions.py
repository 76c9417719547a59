"""A shared server keeps sessions apart: two sessions holding different uploads under the same name each see only
their own events, and any link, however odd, renders with notices and never an exception."""
from __future__ import annotations

import string

import pytest
from apptest import PAGES, boundary_errors, run_page
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from monitor import load_groups
from monitor.app.state import Keys
from monitor.app.store import Upload
from monitor.importers import import_frame, read_table
from monitor.load import typed


def upload(marker: str) -> Upload:
    """The GTD fixture as an upload whose event ids carry a marker: two of these differ in content, not in name."""
    result = import_frame(read_table((FIXTURES / "gtd_small.csv").read_bytes(), "export.csv"), load_groups())
    frame = typed(result.events.assign(event_id=result.events["event_id"] + f"-{marker}"))
    frame.insert(0, "dataset", "gtd:export")
    return Upload(frame, f"digest-{marker}")


def session(marker: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("MONITOR_EVENTS", str(FIXTURES / "events_small.csv"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state[Keys.UPLOADS] = {"gtd:export": upload(marker)}
    return at


def shown_ids(at: AppTest) -> set[str]:
    ids: set[str] = set()
    for frame in at.dataframe:
        if "event_id" in frame.value.columns:
            ids |= set(frame.value["event_id"].astype(str))
    return ids


def test_two_sessions_with_same_named_uploads_see_only_their_own(monkeypatch):
    # The old cache key used id(st.session_state) and the upload's name: B saw A's events for 15 minutes.
    a, b = session("A", monkeypatch), session("B", monkeypatch)
    a.run()
    b.run()
    a.run()
    for mine, other in ((a, "-B"), (b, "-A")):
        ids = shown_ids(mine)
        assert any(i.startswith("GTD-") for i in ids), "the upload's events are on the Overview"
        assert not any(i.endswith(other) for i in ids), "another session's upload leaked into this one"
    for page in PAGES[1:]:
        b.switch_page(page).run()
        assert not any(i.endswith("-A") for i in shown_ids(b)), page


VALUES = st.one_of(
    st.sampled_from(["ISKP", "TTP", "Pakistan", "2016", "2021-2024", "2026", "1990", "2024-2021", "-5", "10",
                     "99999999999", "high", "low", "kabul", "on", "off", "T-1", "../../etc/passwd", "yes",
                     "https://evil.example.com/login", "\u202e\u0000x", "x" * 300]),
    st.text(alphabet=string.ascii_letters + string.digits + " -_&#", min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()) or "x"))
PARAMS = st.dictionaries(st.sampled_from(["group", "year", "country", "min_killed", "q", "figure", "suicide",
                                          "attack", "view", "event", "facet", "measure", "density", "breakdown"]),
                         VALUES, min_size=1, max_size=4)


@pytest.mark.parametrize("page", PAGES)
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=PARAMS)
def test_any_link_renders_with_a_notice_for_each_value_changed_or_dropped(page, params, monkeypatch):
    at = run_page(page, params, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert boundary_errors(at) == [], (page, params)
    warnings = " ".join(w.value.replace("\\", "") for w in at.warning)
    settings_here = {"view", "density"} if page.endswith("map.py") else {"facet"} if page == "app.py" else \
        {"measure"} if page.endswith("timeline.py") else {"breakdown"} if page.endswith("groups.py") else set()
    for key, value in params.items():
        if key in ("event",) or (key in {"view", "facet", "measure", "density", "breakdown"} - settings_here):
            continue  # a parameter of another page travels untouched, like any unknown parameter
        kept = at.query_params.get(key)
        if kept != value:
            assert f"{key}:" in warnings, (page, key, value, kept, warnings[:300])


@pytest.mark.parametrize("page", ["pages/7_trends.py", "app.py"])
def test_alerts_and_comparison_work_on_an_uploaded_dataset(page, monkeypatch):
    monkeypatch.setenv("MONITOR_EVENTS", str(FIXTURES / "events_small.csv"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state[Keys.UPLOADS] = {"gtd:export": upload("U")}
    at.run()
    if page != "app.py":
        at.switch_page(page)
    at.query_params["dataset"] = "gtd:export"
    at.run()
    assert not at.exception and boundary_errors(at) == []
    assert any("events match this view (dataset gtd:export)" in c.value.replace("\\", "") for c in at.caption)
