"""Real browser tests: Debian's Chromium (Playwright) against `streamlit run` on a free local port."""
from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from browser import SHOTS, count_text, fresh_servers, record_timing, wait_rendered

from monitor import export, filters

pytestmark = pytest.mark.browser

DEEP_LINKS = [
    ("overview", "/?group=ISKP&year=2021-2024"),
    ("timeline", "/timeline?group=ISKP&year=2021-2024"),
    ("map", "/map?group=ISKP&year=2021-2024&view=region"),
    ("groups", "/groups?group=ISKP&year=2021-2024"),
    ("events", "/events?group=ISKP&year=2021-2024"),
    ("about", "/about?group=ISKP&year=2021-2024"),
    ("trends", "/trends?group=ISKP&year=2021-2024"),
]


@pytest.fixture(scope="module")
def groups_table():
    from monitor import load_groups

    return load_groups()


@pytest.fixture(scope="module")
def fresh():
    """One freshly started server per deep link, started together: each serves exactly one first request."""
    with fresh_servers(len(DEEP_LINKS)) as bases:
        yield dict(zip([d[0] for d in DEEP_LINKS], bases, strict=True))


@pytest.mark.parametrize("name,link", DEEP_LINKS, ids=[d[0] for d in DEEP_LINKS])
def test_deep_link_on_a_fresh_server(tab, events, fresh, name, link):
    # A freshly started server whose very first request is the deep link must show that page, filtered.
    expected = len(filters.apply(events, filters.FilterState(group=("ISKP",), year=(2021, 2024))))
    page, watch, seconds = tab.open(fresh[name] + link)
    record_timing(f"first render, fresh server, {name}", seconds)
    assert page.locator("h1").first.inner_text().lower().startswith(name if name != "overview" else "overview")
    assert count_text(page).startswith(f"{expected} of {len(events)} events")
    assert "group=ISKP" in page.url and "year=2021-2024" in page.url
    assert page.locator("[data-testid=stException]").count() == 0
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert watch.unexpected() == []
    assert watch.external == []


def test_filter_change_updates_count_and_url(tab, server, events):
    page, watch, _ = tab.open(server + "/")
    assert count_text(page).startswith(f"{len(events)} of {len(events)}")
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text="Country")
    box.locator("input").click()
    page.keyboard.type("Pakistan")
    start = time.monotonic()
    page.keyboard.press("Enter")
    page.wait_for_url("**country=Pakistan**", timeout=30_000)
    wait_rendered(page)
    record_timing("filter change to finished rerun (Overview, country)", time.monotonic() - start)
    expected = int((events["country"] == "Pakistan").sum())
    assert count_text(page).startswith(f"{expected} of {len(events)}")
    page.locator("button", has_text="Reset all filters").click()
    wait_rendered(page)
    assert count_text(page).startswith(f"{len(events)} of {len(events)}")
    assert "country=" not in page.url
    assert watch.unexpected() == []


def test_page_switch_keeps_the_filters(tab, server):
    page, watch, _ = tab.open(server + "/?group=TTP")
    page.locator("[data-testid=stSidebarNav], [data-testid=stSidebar]").get_by_text("Events", exact=True).click()
    page.wait_for_url("**/events?**", timeout=30_000)
    wait_rendered(page)
    assert "group=TTP" in page.url
    assert "(group TTP)" in count_text(page)


def test_downloaded_csv_holds_exactly_the_view(tab, server, events):
    page, watch, _ = tab.open(server + "/events?group=ISKP&year=2021-2024")
    with page.expect_download() as info:
        page.locator("[data-testid=stDownloadButton] button", has_text="Download CSV of these").click()
    download = info.value
    body = Path(download.path()).read_bytes()
    state = filters.FilterState(group=("ISKP",), year=(2021, 2024))
    assert body == export.events_csv(filters.apply(events, state))
    assert download.suggested_filename.startswith("militancy-monitor_events_group-ISKP_year-2021-2024_")
    got = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    assert set(got["group"]) == {"ISKP"} and got["date"].str[:4].astype(int).between(2021, 2024).all()


def _goto_page(page, label: str) -> None:
    """Switch page inside the session (a full reload would start a new session and drop the uploads)."""
    page.locator("[data-testid=stSidebar]").get_by_text(label, exact=True).click()
    page.wait_for_url(f"**/{label.lower()}**", timeout=30_000)
    wait_rendered(page)


def _upload(page, path: Path) -> int:
    """Upload one file on the Data page, add it as a dataset, and return how many events it kept."""
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    add = page.locator("button", has_text=f":{path.stem}”")
    add.wait_for(timeout=90_000)
    wait_rendered(page)
    summary = page.locator("[data-testid=stAlertContentSuccess]").first.inner_text()
    kept = int(re.search(r"([\d,]+) kept", summary).group(1).replace(",", ""))
    add.click()
    # Added: the dataset is listed in the session (waiting for the script alone can see the run before the click's).
    page.locator("[data-testid=stMarkdownContainer]", has_text=f":{path.stem} (").first.wait_for(timeout=90_000)
    wait_rendered(page)
    return kept


def _upload_batch_and_check(tab, server, events, files, label_dataset: str, expected: int) -> None:
    page, watch, _ = tab.open(server + "/data")
    total = len(events)
    for path in files:
        total += _upload(page, path)
    assert count_text(page).startswith(f"{total:,} of {total:,}"), count_text(page)
    page.screenshot(path=str(SHOTS / f"data-uploads-{label_dataset.split(':')[0]}.png"), full_page=True)
    dataset_box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text="Dataset")
    dataset_box.locator("input").click()
    page.keyboard.type(label_dataset)
    page.keyboard.press("Enter")
    page.wait_for_url("**dataset=**", timeout=30_000)
    wait_rendered(page)
    for label in ("Timeline", "Map", "Groups"):
        _goto_page(page, label)
        assert count_text(page).startswith(f"{expected:,} of {total:,}"), (label, count_text(page))
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(SHOTS / f"upload-{label_dataset.split(':')[0]}-{label.lower()}.png"),
                        full_page=True)
    assert watch.external == []


def test_uploads_show_in_timeline_map_and_groups(tab, server, events):
    from conftest import FIXTURES

    files = [FIXTURES / "acled_small.csv", FIXTURES / "gtd_small.csv", FIXTURES / "ucdp_export_small.csv"]
    _upload_batch_and_check(tab, server, events, files, "gtd:gtd_small", 3)


@pytest.mark.reference
def test_real_exports_show_in_timeline_map_and_groups(tab, server, events, groups_table):
    from conftest import REFERENCE

    from monitor.importers import import_frame, read_table

    files = [REFERENCE / "gtd_2021H1_afg_pak_irn.xlsx", REFERENCE / "ucdp_ged_hdx_pakistan_2014-2021.csv",
             REFERENCE / "acled_2022H1_sample_afg_pak_irn_rus.csv"]
    if not all(p.exists() for p in files):
        pytest.skip("the shared reference extracts are not present")
    kept = import_frame(read_table(files[0].read_bytes(), files[0].name), groups_table).kept
    _upload_batch_and_check(tab, server, events, files, "gtd:gtd_2021H1", kept)


def test_upload_cap_per_session(tab, server):
    from conftest import FIXTURES

    page, _, _ = tab.open(server + "/data")
    for path in (FIXTURES / "acled_small.csv", FIXTURES / "gtd_small.csv", FIXTURES / "ucdp_export_small.csv"):
        _upload(page, path)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(FIXTURES / "ucdp_download_small.csv"))
    page.wait_for_selector("text=the most it can", timeout=60_000)
    assert page.locator("button", has_text=":ucdp_download_small”").is_disabled()
