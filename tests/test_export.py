"""CSV downloads: exact bytes for a small fixture, formula neutralisation, round trip."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess

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


SOFFICE = shutil.which("soffice")
# Each cell hides a formula after a line break; its result, 42, appears only if a spreadsheet evaluates it.
HIDDEN = ["ok\r=1+41", "=2+40", "a\n=3+39", "b\r\n=4+38", "+5+37", "@SUM(6,36)", "plain"]


def _spreadsheet_reads(tmp_path, name: str, body: bytes) -> list[str]:
    """The cells LibreOffice (headless, formulas evaluated) reads from CSV bytes, re-exported as CSV."""
    (tmp_path / name).write_bytes(body)
    subprocess.run([SOFFICE, "--headless", "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / name)],
                   env={**os.environ, "HOME": str(tmp_path)}, check=True, capture_output=True, timeout=120)
    return [cell for row in csv.reader(io.StringIO((tmp_path / "out" / name).read_text())) for cell in row]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian's libreoffice-calc-nogui) is not installed; "
                                            "`make test` installs it")
def test_a_spreadsheet_evaluates_no_formula_hidden_after_a_line_break(tmp_path):
    import csv as csv_module

    raw = io.StringIO()
    writer = csv_module.writer(raw, lineterminator="\n")
    writer.writerows([["description"], *([c] for c in HIDDEN)])
    # The control: unneutralised bytes do get evaluated, so this test can fail.
    assert "42" in _spreadsheet_reads(tmp_path, "raw.csv", raw.getvalue().encode())
    cells = _spreadsheet_reads(tmp_path, "safe.csv", export.to_csv_bytes(pd.DataFrame({"description": HIDDEN})))
    assert "42" not in cells, cells


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"),
    ("ok\r=1+41", "ok\r'=1+41"),  # a carriage return inside a cell once started a new row that ran =1+41
    ("a\n+2", "a\n'+2"),
    ("x\r\n@SUM(1)", "x\r\n'@SUM(1)"),
    ("plain\ntext", "plain\ntext"),
    ("", ""),
])
def test_every_line_that_starts_with_a_formula_character_is_neutralised(value, expected):
    assert export.neutralise(value) == expected


def test_the_excel_variant_adds_only_a_byte_order_mark(small_events):
    plain = export.events_csv(small_events)
    excel = export.for_excel(plain)
    assert excel == "\ufeff".encode() + plain and not plain.startswith("\ufeff".encode())
    assert export.for_excel(excel) == excel  # never two marks
    assert parse_csv_bytes(excel).equals(parse_csv_bytes(plain))  # readers that know the mark see the same table
