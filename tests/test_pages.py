"""Every page under streamlit's AppTest, with query parameters set before the first run."""
from __future__ import annotations

import pytest
from apptest import PAGES, boundary_errors, run_page
from conftest import FIXTURES, ROOT
from streamlit.testing.v1 import AppTest

from monitor.app.state import Keys
from monitor.app.store import Upload
from monitor.text import md_escape


def count_line(at: AppTest) -> str:
    """The count line, with Markdown escapes removed (data and user text on pages is always escaped)."""
    line = next(c.value for c in at.caption if "events match this view" in c.value)
    return line.replace("\\", "")


def warnings(at: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_filtered_view(page, monkeypatch):
    at = run_page(page, {"group": "ISKP", "year": "2021-2024"}, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert boundary_errors(at) == []
    assert count_line(at) == "**3** of 7 events match this view (group ISKP; year 2021-2024)."
    assert at.query_params["group"] == "ISKP"


@pytest.mark.parametrize("page", PAGES)
def test_bad_link_values_are_dropped_with_a_notice(page, monkeypatch):
    at = run_page(page, {"group": "ISKP,<b>x</b>", "year": "soon", "figure": "mean"}, monkeypatch)
    assert not at.exception
    shown = warnings(at)
    assert "Link value ignored: group: unknown value “<b>x</b>” was dropped" in shown
    assert any("year: “soon”" in w for w in shown) and any("figure: “mean”" in w for w in shown)
    # The hostile value reaches the page escaped, so Markdown shows it as typed.
    assert any(md_escape("<b>x</b>") in w.value for w in at.warning)
    assert count_line(at).startswith("**3** of 7 events")
    # The URL is rewritten to the view that is actually shown.
    assert dict(at.query_params) == {"group": "ISKP"}


def test_filter_change_updates_count_and_url(monkeypatch):
    at = run_page("app.py", {}, monkeypatch)
    assert count_line(at).startswith("**7** of 7")
    at.multiselect(key=Keys.widget("country")).set_value(["Pakistan"]).run()
    assert count_line(at).startswith("**2** of 7")
    assert at.query_params["country"] == "Pakistan"
    reset = next(b for b in at.button if b.label == "Reset all filters")
    reset.click().run()
    assert count_line(at).startswith("**7** of 7")
    assert "country" not in at.query_params


def test_filters_survive_a_page_switch(monkeypatch):
    at = run_page("app.py", {}, monkeypatch)
    at.multiselect(key=Keys.widget("group")).set_value(["TTP"]).run()
    at.switch_page("pages/4_events.py").run()
    assert count_line(at).startswith("**1** of 7")
    assert at.multiselect(key=Keys.widget("group")).value == ["TTP"]


def test_map_view_from_url(monkeypatch):
    at = run_page("pages/2_map.py", {"group": "ISKP", "view": "kabul"}, monkeypatch)
    assert not at.exception
    assert at.radio(key=Keys.setting("view")).value == "kabul"
    assert any("events drawn in this view" in c.value and c.value.startswith("2 events") for c in at.caption)


def test_search_text_is_shown_escaped(monkeypatch):
    # A search term is user input: the count line must show it literally, never as a link or HTML.
    at = run_page("app.py", {"q": "[x](javascript:alert(1))"}, monkeypatch)
    line = next(c.value for c in at.caption if "events match this view" in c.value)
    assert md_escape("[x](javascript:alert(1))") in line


def test_unknown_map_view_is_dropped(monkeypatch):
    at = run_page("pages/2_map.py", {"view": "moon"}, monkeypatch)
    assert any("view: unknown value “moon”" in w for w in warnings(at))
    assert at.radio(key=Keys.setting("view")).value == "region"


@pytest.mark.parametrize("page", PAGES)
def test_invalid_events_file_shows_problems_not_a_traceback(page, monkeypatch, tmp_path):
    bad = tmp_path / "events.csv"
    bad.write_text((FIXTURES / "events_small.csv").read_text().replace("2019-08-17", "2019-08-40"))
    at = run_page(page, {}, monkeypatch, events=bad)
    assert not at.exception
    if page.endswith("about.py"):
        assert any("Codebook" in s.value for s in at.subheader)
    else:
        assert any("cannot be used" in e.value for e in at.error)


def test_missing_events_file(monkeypatch, tmp_path):
    at = run_page("app.py", {}, monkeypatch, events=tmp_path / "nothing.csv")
    assert not at.exception
    assert any("cannot be used" in e.value for e in at.error)


def test_shipped_data_renders(monkeypatch):
    from monitor.load import DATA_DIR

    at = run_page("app.py", {}, monkeypatch, events=DATA_DIR / "events.csv")
    assert not at.exception
    assert count_line(at).startswith("**")


def test_uploaded_dataset_joins_every_page(monkeypatch):
    # An upload lives in the session: it adds a dataset that the filters, counts and pages all see.
    from monitor import load_groups
    from monitor.importers import import_frame, read_table
    from monitor.load import typed

    result = import_frame(read_table((FIXTURES / "gtd_small.csv").read_bytes(), "gtd_small.csv"), load_groups())
    frame = typed(result.events)
    frame.insert(0, "dataset", "gtd:gtd_small")
    monkeypatch.setenv("MONITOR_EVENTS", str(FIXTURES / "events_small.csv"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state[Keys.UPLOADS] = {"gtd:gtd_small": Upload(frame, "digest-of-gtd_small")}
    at.run()
    assert count_line(at).startswith("**10** of 10 events")
    at.multiselect(key=Keys.widget("dataset")).set_value(["gtd:gtd_small"]).run()
    assert count_line(at).startswith("**3** of 10 events")
    assert at.query_params["dataset"] == "gtd:gtd_small"
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert count_line(at).startswith("**3** of 10 events"), page
    at.switch_page("pages/6_data.py").run()
    assert any("Where the datasets disagree" in s.value for s in at.subheader)


@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_renders_escaped(page, monkeypatch):
    # Every text field of this file holds HTML, script, Markdown links and formulas: pages must show them as text.
    at = run_page(page, {"event": "T-1"}, monkeypatch, events=FIXTURES / "events_hostile.csv")
    assert not at.exception, [e.value for e in at.exception]
    for element in list(at.markdown) + list(at.caption) + list(at.warning) + list(at.info):
        text = element.value
        for raw in ("<img", "<script", "<svg"):
            assert raw not in text.replace("\\" + raw, ""), (page, text[:120])
        assert "](javascript:" not in text


def test_event_link_opens_the_record(monkeypatch):
    at = run_page("pages/4_events.py", {"event": "T-3"}, monkeypatch)
    assert any(s.value == "Event T\\-3" for s in at.subheader)
    at = run_page("pages/4_events.py", {"event": "nope"}, monkeypatch)
    assert any("no event “nope”" in w for w in warnings(at))


def test_a_corrected_event_shows_its_corrections_and_about_shows_the_release_notes(monkeypatch):
    from monitor.load import DATA_DIR

    at = run_page("pages/4_events.py", {"event": "MM-20210826-AF-1"}, monkeypatch, events=DATA_DIR / "events.csv")
    lines = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert "corrected on 2026-12-02: killed_low 95 → 182" in lines
    about = run_page("pages/5_about.py", {}, monkeypatch, events=DATA_DIR / "events.csv")
    assert any(s.value == "Release notes" for s in about.subheader)
    assert any("Where the sources end" in i.value for i in about.info)


def test_every_page_says_the_table_is_a_selection_and_how_current_it_is(monkeypatch):
    from monitor.load import DATA_DIR

    for page in PAGES:
        at = run_page(page, {}, monkeypatch, events=DATA_DIR / "events.csv")
        captions = " ".join(c.value.replace("\\", "") for c in at.caption)
        assert "not a count of every incident" in captions, page
        assert "Curated events from 30 Jan 2015 to 16 Mar 2026; data version" in captions, page


def test_a_day_precise_link_gives_exactly_its_rows(monkeypatch):
    # "ISKP attacks in Kabul since the Taliban takeover" could not be asked with years alone.
    import pandas as pd

    from monitor import load_events
    from monitor.load import DATA_DIR

    events = load_events(DATA_DIR / "events.csv")
    expected = events[(events["group"] == "ISKP") & (events["admin1"] == "Kabul")
                      & (events["date"] >= pd.Timestamp("2021-08-15"))]
    at = run_page("pages/4_events.py", {"group": "ISKP", "province": "Kabul", "from": "2021-08-15"}, monkeypatch,
                  events=DATA_DIR / "events.csv")
    assert count_line(at).startswith(f"**{len(expected)}** of {len(events)} events")
    shown = next(f.value for f in at.dataframe if "event_id" in f.value.columns)
    assert set(shown["event_id"]) == set(expected["event_id"])


def test_an_alert_links_to_exactly_the_events_behind_it(monkeypatch):
    from urllib.parse import urlsplit

    from monitor import filters, load_events, urlstate
    from monitor.load import DATA_DIR

    events = load_events(DATA_DIR / "events.csv")
    events.insert(0, "dataset", "curated")
    at = run_page("pages/7_trends.py", {"country": "Pakistan", "period": "2026-02"}, monkeypatch,
                  events=DATA_DIR / "events.csv")
    assert not at.exception
    table = next(f.value for f in at.dataframe if "view" in f.value.columns)
    for row in table[table["measure"] == "events"].head(5).to_dict("records"):
        state, notices = urlstate.parse_query(urlstate.from_query_string(urlsplit(row["view"]).query),
                                              filters.vocabulary(events))
        assert notices == [] and len(filters.apply(events, state)) == row["observed"], row["view"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("figure", ["range", "civilians"])
def test_every_page_draws_on_the_shipped_data_without_an_error(page, figure, monkeypatch):
    from monitor.load import DATA_DIR

    at = run_page(page, {"figure": figure, "measure": "killed"}, monkeypatch, events=DATA_DIR / "events.csv")
    assert not at.exception and boundary_errors(at) == [], (page, figure)


@pytest.mark.parametrize("page,params", [
    ("app.py", {"facet": "country"}),
    ("pages/1_timeline.py", {"measure": "killed", "period": "month", "layout": "split"}),
    ("pages/3_groups.py", {"breakdown": "target_type", "trend": "wounded"}),
    ("pages/2_map.py", {"view": "kandahar", "density": "on", "labels": "off"}),
    ("pages/7_trends.py", {"per": "quarter", "by": "country", "against": "year"}),
])
def test_a_link_reopens_every_setting_of_its_page(page, params, monkeypatch):
    at = run_page(page, params, monkeypatch)
    assert not at.exception and boundary_errors(at) == []
    for name, value in params.items():
        shown = next(w for w in [*at.radio, *at.toggle] if w.key == Keys.setting(name))
        assert shown.value == ({"on": True, "off": False}.get(value, value)), (page, name)
    assert dict(at.query_params).items() >= params.items()  # and the URL keeps them


@pytest.mark.parametrize("params,ranges", [
    ({"against": "custom", "a": "2025-10-01..2025-12-31", "b": "2026-01-01..2026-03-31"},
     "2025-10-01 to 2025-12-31 against 2026-01-01 to 2026-03-31"),
    # the same length either side of the milestone (a month: the view's latest period is March 2026)
    ({"against": "milestone", "milestone": "2026-02-27"}, "2026-01-27 to 2026-02-26 against 2026-02-27 to 2026-03-29"),
])
def test_period_against_period_presets(params, ranges, monkeypatch):
    from monitor.load import DATA_DIR

    at = run_page("pages/7_trends.py", params, monkeypatch, events=DATA_DIR / "events.csv")
    assert not at.exception and boundary_errors(at) == []
    assert any(c.value.startswith(ranges) for c in at.caption)


def test_the_about_page_cites_exactly_the_view(monkeypatch):
    # The cited link once ended a value at '&' or '#'; spaces and non-ASCII text must come back as they went.
    from urllib.parse import parse_qs, urlsplit

    params = {"group": "ISKP", "q": "school & mosque #2 دشت"}
    at = run_page("pages/5_about.py", params, monkeypatch)
    cited = next(c.value for c in at.code if "view: " in c.value)
    link = cited.split("view: ", 1)[1].split(", accessed ", 1)[0]
    assert {k: v[-1] for k, v in parse_qs(urlsplit(link).query).items()} == params
