"""Importers: the project's own small fixtures in each layout (exact output), and the real extracts when present."""
from __future__ import annotations

import io
import time

import pandas as pd
import pytest
from conftest import FIXTURES, TODAY, reference

from monitor import load_groups
from monitor.importers import (
    DataFileError,
    detect_format,
    import_frame,
    read_table,
)
from monitor.problems import errors
from monitor.schema import EVENTS
from monitor.validate import validate_events


@pytest.fixture(scope="module")
def groups():
    return load_groups()


def run(name: str, groups, fmt=None):
    path = FIXTURES / name
    return import_frame(read_table(path.read_bytes(), path.name), groups, fmt)


@pytest.mark.parametrize("name,fmt", [("acled_small.csv", "acled"), ("gtd_small.csv", "gtd"),
                                      ("ucdp_export_small.csv", "ucdp"), ("ucdp_download_small.csv", "ucdp"),
                                      ("events_small.csv", "curated")])
def test_detect_format(name, fmt):
    frame = read_table((FIXTURES / name).read_bytes(), name)
    assert detect_format(list(frame.columns)) == fmt


# (fixture, kept ids, rejected (row, column, reason), unmapped names)
EXPECTED = [
    ("acled_small.csv", ["ACLED-PAK900001", "ACLED-PAK900002", "ACLED-AFG900004"],
     [(4, "event_type", "event type out of scope (not political violence)"),
      (6, "latitude", "impossible coordinates")], {"Shahrug Test Militia (Pakistan)": 1}),
    ("gtd_small.csv", ["GTD-202411100001", "GTD-202303000001", "GTD-202202200004"],
     [(4, "imonth", "month unknown (imonth 0 or blank)"), (5, "latitude", "no usable coordinates")], {}),
    ("ucdp_export_small.csv", ["UCDP-990001", "UCDP-990002", "UCDP-990004"],
     [(5, "date_prec", "date known only to the month or year")], {"Lashkar of Test tribe": 1}),
    ("ucdp_download_small.csv", ["UCDP-990001", "UCDP-990002", "UCDP-990004"],
     [(4, "date_prec", "date known only to the month or year")], {"Lashkar of Test tribe": 1}),
]


@pytest.mark.parametrize("name,kept,rejected,unmapped", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_every_row_kept_or_rejected(groups, name, kept, rejected, unmapped):
    result = run(name, groups)
    assert list(result.events["event_id"]) == kept
    assert [(r.row, r.column, r.reason) for r in result.rejected.itertuples()] == rejected
    assert dict(result.unmapped) == unmapped
    assert result.kept + len(result.rejected) == result.read
    assert list(result.events.columns) == EVENTS.names
    assert errors(validate_events(result.events, set(groups["short_name"]), TODAY)) == []


# (fixture, event id, {column: expected value})
FIELDS = [
    ("acled_small.csv", "ACLED-PAK900001", {"group": "BLA", "attack_type": "bombing", "suicide": "true",
                                            "target_type": "military", "killed_low": "30", "killed_high": "30",
                                            "geo_precision": "city", "attribution": "attributed",
                                            "acled_id": "PAK900001", "date": "2024-11-09"}),
    ("acled_small.csv", "ACLED-PAK900002", {"group": "Other", "perpetrator_reported": "Shahrug Test Militia (Pakistan)",
                                            "date": "2023-03-12", "date_precision": "week", "target_type": "civilians",
                                            "geo_precision": "district"}),
    ("acled_small.csv", "ACLED-AFG900004", {"group": "ISKP", "attack_type": "bombing", "suicide": "false"}),
    ("gtd_small.csv", "GTD-202411100001", {"group": "BLA", "attribution": "claimed", "killed_low": "32",
                                           "wounded_low": "60", "suicide": "true", "gtd_id": "202411100001",
                                           "sources": "https://example.org/gtd-test | https://www.start.umd.edu/gtd/"}),
    ("gtd_small.csv", "GTD-202303000001", {"group": "Unknown", "attribution": "unclaimed", "date": "2023-03-01",
                                           "date_precision": "month", "killed_low": "", "wounded_low": "3",
                                           "attack_type": "armed_assault", "target_type": "police"}),
    ("gtd_small.csv", "GTD-202202200004", {"group": "TTP", "attribution": "suspected", "geo_precision": "province",
                                           "attack_type": "hostage_taking", "wounded_low": ""}),
    ("ucdp_export_small.csv", "UCDP-990001", {"group": "ISKP", "killed_low": "26", "killed_high": "32",
                                              "admin1": "Balochistan", "admin2": "Quetta", "target_type": "civilians",
                                              "date": "2024-11-09", "ucdp_id": "990001"}),
    ("ucdp_export_small.csv", "UCDP-990002", {"group": "TTP", "attack_type": "armed_clash", "killed_low": "4",
                                              "killed_high": "5", "date_precision": "week",
                                              "admin1": "Khyber Pakhtunkwa"}),
    ("ucdp_download_small.csv", "UCDP-990002", {"date": "2022-02-20", "killed_low": "4", "killed_high": "5"}),
]


@pytest.mark.parametrize("name,event_id,fields", FIELDS, ids=[f"{f[0]}:{f[1]}" for f in FIELDS])
def test_mapped_fields(groups, name, event_id, fields):
    row = run(name, groups).events.set_index("event_id").loc[event_id]
    assert {k: row[k] for k in fields} == fields


def test_ucdp_low_above_high_is_ordered_and_noted(groups):
    row = run("ucdp_export_small.csv", groups).events.set_index("event_id").loc["UCDP-990002"]
    assert "UCDP gives low 5 above high 4" in row["notes"]


def test_xlsx_reads_like_csv(groups, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    frame = pd.read_csv(FIXTURES / "gtd_small.csv", dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([int(v) if v.lstrip("-").isdigit() else (v or None) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    from_xlsx = import_frame(read_table(buf.getvalue(), "gtd.xlsx"), groups)
    from_csv = run("gtd_small.csv", groups)
    pd.testing.assert_frame_equal(from_xlsx.events.drop(columns="last_checked"),
                                  from_csv.events.drop(columns="last_checked"))


# Bad input: each case must give a clear problem, never a traceback or a silent drop.
BAD = [
    ("unknown format", b"foo,bar\n1,2\n", None, "format not recognised"),
    ("missing columns", b"eventid,iyear,imonth,iday,gname\n1,2021,1,1,Taliban\n", None,
     "required GTD column is missing"),
    ("empty file", b"", None, "file is empty"),
    ("not UTF-8", "event_id_cnty,event_date\nX,é\n".encode("cp1252"), None, "not UTF-8 text"),
    ("wrong format forced", (FIXTURES / "gtd_small.csv").read_bytes(), "acled", "required ACLED column is missing"),
    ("broken xlsx", b"PK\x03\x04 not a workbook", None, "not a readable xlsx workbook"),
    ("curated file is not an import", (FIXTURES / "events_small.csv").read_bytes(), None,
     "already a curated-schema file"),
]


@pytest.mark.parametrize("reason,raw,fmt,rule", BAD, ids=[b[0] for b in BAD])
def test_bad_input(groups, reason, raw, fmt, rule):
    with pytest.raises(DataFileError) as err:
        import_frame(read_table(raw, "upload.csv"), groups, fmt)
    assert any(rule in p.rule for p in err.value.problems), [p.rule for p in err.value.problems]


def test_huge_file_is_refused(monkeypatch):
    import monitor.importers.reading as imp

    monkeypatch.setattr(imp, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(DataFileError) as err:
        imp.read_table(b"x" * 101, "big.csv")
    assert "larger than" in err.value.problems[0].rule


def test_too_many_rows_is_refused(monkeypatch):
    import monitor.importers.reading as imp

    monkeypatch.setattr(imp, "MAX_ROWS", 2)
    with pytest.raises(DataFileError) as err:
        imp.read_table((FIXTURES / "gtd_small.csv").read_bytes(), "gtd.csv")
    assert "row limit" in err.value.problems[0].rule


def test_zip_bomb_is_refused(monkeypatch):
    import zipfile

    import monitor.importers.reading as imp

    monkeypatch.setattr(imp, "MAX_XLSX_UNCOMPRESSED", 1000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "0" * 100_000)
    with pytest.raises(DataFileError) as err:
        imp.read_table(buf.getvalue(), "bomb.xlsx")
    assert "zip bomb" in err.value.problems[0].rule


REAL = [
    ("acled_2022H1_sample_afg_pak_irn_rus.csv", "acled", 541),
    ("gtd_2021H1_afg_pak_irn.csv", "gtd", 1607),
    ("gtd_2021H1_afg_pak_irn.xlsx", "gtd", 1607),
    ("ucdp_ged_hdx_pakistan_2014-2021.csv", "ucdp", 1533),
    ("ucdp_gedevents_export_pakistan_2014-2019.csv", "ucdp", 1107),
]


@pytest.mark.reference
@pytest.mark.parametrize("name,fmt,rows", REAL, ids=[r[0] for r in REAL])
def test_real_extract_imports_without_loss(groups, name, fmt, rows):
    path = reference(name)
    start = time.perf_counter()
    result = import_frame(read_table(path.read_bytes(), name), groups)
    seconds = time.perf_counter() - start
    assert result.fmt == fmt and result.read == rows
    assert result.kept + len(result.rejected) == rows
    assert result.kept > 0 and result.rejected["reason"].ne("").all()
    assert errors(validate_events(result.events, set(groups["short_name"]), TODAY)) == []
    print(f"\n{name}: read {result.read}, kept {result.kept}, rejected {len(result.rejected)}, "
          f"unmapped {dict(result.unmapped)}, {seconds:.2f} s")


@pytest.mark.parametrize("fatalities,kept,reason", [
    ("12.0", "12", None),  # a spreadsheet's float of a whole number is that number
    ("-3", None, "not a whole number >= 0"),  # once became blank without a word
    ("2.5", None, "not a whole number >= 0"),
    ("\u22124", None, "not a whole number >= 0"),  # Unicode minus
    ("9" * 400, None, "not a plausible count"),  # once crashed the upload
    ("3000000000", None, "not a plausible count"),  # once crashed "Add"
])
def test_an_odd_count_is_kept_exactly_or_rejected_with_its_reason(groups, fatalities, kept, reason):
    frame = read_table((FIXTURES / "acled_small.csv").read_bytes(), "acled_small.csv").head(1)
    frame["fatalities"] = fatalities
    result = import_frame(frame, groups)
    if reason is None:
        assert list(result.events["killed_low"]) == [kept] and result.rejected.empty
    else:
        assert result.kept == 0
        assert reason in result.rejected.iloc[0]["reason"] and result.rejected.iloc[0]["column"] == "killed_low"


def _refusal(raw: bytes, name: str):
    with pytest.raises(DataFileError) as err:
        read_table(raw, name)
    p = err.value.problems[0]
    return err.value.path, p.row, p.column, p.rule


def test_hostile_uploads_are_refused_naming_file_row_and_column(monkeypatch):
    from monitor.devtools.probes import GTD_HEADER, _gtd_row, _xlsx

    # One 1 MiB shared string referenced by every row once expanded to 2.9 GB on the server.
    shared = _xlsx([GTD_HEADER] + [_gtd_row(i, "#s0") for i in range(3)], ["x" * (1 << 20)])
    assert _refusal(shared, "export.xlsx") == ("export.xlsx", 2, "summary", "cell longer than 32,767 characters")
    wide = ("c" + ",c".join(str(i) for i in range(2000)) + "\n" + "1," * 1999 + "1\n").encode()
    assert _refusal(wide, "wide.csv")[3] == "header has more than 300 columns"
    assert _refusal(b"a,b\n1,2\n3,4\x00\n", "nul.csv")[:2] == ("nul.csv", 3)
    long_cell = b"event_id_cnty,notes\nX1," + b"y" * 40_000 + b"\n"
    assert _refusal(long_cell, "long.csv") == ("long.csv", 2, "notes", "cell longer than 32,767 characters")


def test_an_xlsx_that_reads_too_slowly_is_stopped(monkeypatch):
    import monitor.importers.reading as reading

    # The reader runs in a child process that is stopped at the deadline (here: at once), whatever the workbook.
    from monitor.devtools.probes import GTD_HEADER, _gtd_row, _xlsx

    monkeypatch.setattr(reading, "MAX_READ_SECONDS", 0.001)
    body = _xlsx([GTD_HEADER] + [_gtd_row(i, "ok") for i in range(50)], ["s"])
    assert "reading took longer than" in _refusal(body, "slow.xlsx")[3]
