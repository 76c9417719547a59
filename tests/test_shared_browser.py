"""A shared server in a real browser: sessions stay apart, odd links never crash a page, and a phone can use it."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from browser import SHOTS, count_text, open_page, wait_rendered
from conftest import FIXTURES

pytestmark = pytest.mark.browser

PATHS = ["/", "/timeline", "/map", "/groups", "/events", "/trends", "/about", "/data"]
# Each link packs several odd values; every page must render them with notices, never a traceback.
ODD_LINKS = [
    # out-of-range and reversed years, a negative and a huge number, a Unicode minus, traversal, an unknown id,
    # days outside the data, a bad map view and period
    "year=2030-2010&min_killed=-5&figure=%E2%88%92&event=..%2F..%2Fetc%2Fpasswd&from=1999-01-01&to=2030-12-31"
    "&view=moon&period=2026-13&q=%E2%80%AEabc%00",
    # 5,000 characters, hundreds of values, repeated keys, a huge number, an unknown event id, an out-of-range year
    "q=" + "x" * 5000 + "&group=" + ",".join(f"G{i}" for i in range(300)) + "&group=ISKP&year=2016&year=2026"
    "&min_killed=99999999999&event=MM-00000000-XX-0",
]


def _open(tab, url: str, width: int = 1400):
    page, watch, _ = tab.open(url, height=1600, width=width)
    return page, watch


@pytest.mark.parametrize("path", PATHS)
def test_odd_links_render_with_notices_on_every_page(tab, server, path):
    for query in ODD_LINKS:
        page, watch = _open(tab, f"{server}{path}?{query}")
        assert page.locator("[data-testid=stException]").count() == 0, (path, query[:60])
        body = page.locator("[data-testid=stMain]").inner_text()
        assert "Traceback" not in body and "File \"/" not in body, (path, query[:60])
        if path not in ("/data",):
            assert page.locator("[data-testid=stAlertContentWarning]").count() >= 1, (path, query[:60])
        assert watch.external == []


def _upload_as(browser, server, content: bytes, tmp: Path) -> tuple:
    """A new browser context uploads `content` as export.csv and adds it; its Events page and download."""
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "export.csv"
    path.write_bytes(content)
    page, watch, _ = open_page(browser, server + "/data", height=1600)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    add = page.locator("button", has_text=":export”")
    add.wait_for(timeout=90_000)
    wait_rendered(page)
    add.click()
    wait_rendered(page)
    page.locator("[data-testid=stSidebar]").get_by_text("Events", exact=True).click()
    page.wait_for_url("**/events**", timeout=30_000)
    wait_rendered(page)
    return page, watch


def test_two_sessions_uploading_the_same_file_name_each_see_only_their_own(browser, server, tmp_path):
    # Two people upload different files both called export.csv: each must see its own event, never the other's.
    source = (FIXTURES / "gtd_small.csv").read_text()
    first = source.replace("202411100001", "202411100777")
    second = source.replace("202411100001", "202411100888")
    assert first != source and second != source, "the fixture's first GTD id changed: update the test"
    a, _ = _upload_as(browser, server, first.encode(), tmp_path / "a")
    b, _ = _upload_as(browser, server, second.encode(), tmp_path / "b")
    for page, mine, other in ((a, "777", "888"), (b, "888", "777")):
        # A page switch inside the session reruns it after the other upload (a reload would start a new session).
        for label in ("Timeline", "Events"):
            page.locator("[data-testid=stSidebar]").get_by_text(label, exact=True).click()
            page.wait_for_url(f"**/{label.lower()}**", timeout=30_000)
            wait_rendered(page)
        text = page.locator("[data-testid=stMain]").inner_text()
        with page.expect_download() as info:
            page.locator("[data-testid=stDownloadButton] button", has_text="Download CSV of these").click()
        ids = set(pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()), dtype=str)["event_id"])
        assert f"GTD-202411100{mine}" in ids and f"GTD-202411100{other}" not in ids
        assert f"202411100{other}" not in text
        page.context.close()


def test_a_phone_can_read_a_page_and_the_record(tab, server):
    page, watch = _open(tab, server + "/events?group=ISKP&event=MM-20241211-AF-1", width=390)
    assert "events match this view" in count_text(page)
    assert page.locator("h3", has_text="Event MM-20241211-AF-1").count() == 1
    assert page.locator("[data-testid=stSidebar][aria-expanded=true]").count() == 0  # filters folded away
    page.screenshot(path=str(SHOTS / "phone-events-record.png"), full_page=True)
    page, _ = _open(tab, server + "/events?event=MM-20241211-AF-1")
    page.locator("h3", has_text="Event MM-20241211-AF-1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "event-record.png"), full_page=True)


def test_the_brief_downloads_from_any_page(tab, server):
    page, watch = _open(tab, server + "/timeline?country=Pakistan")
    with page.expect_download() as info:
        page.locator("[data-testid=stSidebar] [data-testid=stDownloadButton] button", has_text="Download the brief").click()
    body = Path(info.value.path()).read_text()
    assert info.value.suggested_filename.startswith("militancy-monitor_brief_")
    assert "<h1>Brief: " in body and "View: country Pakistan" in body and " src=" not in body
    assert watch.external == []


def test_the_kabul_map_fits_a_phone(tab, server):
    # At 390 px the Kabul view once cut off the west of the city, where Dasht-e-Barchi is.
    from browser import pixel, wait_drawn

    from monitor import maps

    page, _ = _open(tab, server + "/map?view=kabul&group=ISKP", width=390)
    canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    wait_drawn(canvas)
    box = canvas.bounding_box()
    x, _y = pixel(maps.VIEWS["kabul"], 34.49467, 69.09422, box["width"], box["height"])  # Dasht-e-Barchi
    assert 0 <= x <= box["width"]
    page.screenshot(path=str(SHOTS / "phone-map-kabul.png"), full_page=True)
