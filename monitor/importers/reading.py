"""Reading an upload (CSV or xlsx) into text cells within size limits, and telling which export it is."""
from __future__ import annotations

import io
import zipfile

import pandas as pd

from ..load import DataFileError, parse_csv_bytes
from ..problems import Problem
from ..schema import EVENTS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

MAX_ROWS = 500_000

MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024

MAX_XLSX_COLUMNS = 300


def detect_format(columns: list[str]) -> str | None:
    """'acled', 'gtd', 'ucdp' or 'curated' from a header, or None."""
    cols = set(columns)
    if {"event_id_cnty", "event_date", "sub_event_type"} <= cols:
        return "acled"
    if {"eventid", "iyear", "imonth", "iday", "gname"} <= cols:
        return "gtd"
    if {"id", "type_of_violence", "side_a", "side_b"} <= cols and ({"best", "low", "high"} <= cols
                                                                  or {"best_est", "low_est", "high_est"} <= cols):
        return "ucdp"
    if set(EVENTS.required) <= cols:
        return "curated"
    return None

def read_table(raw: bytes, name: str = "<upload>") -> pd.DataFrame:
    """Upload bytes (CSV or xlsx) as a DataFrame of text cells, within the size limits; DataFileError otherwise."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise DataFileError(name, [Problem(None, "", "(file)", f"{len(raw):,} bytes",
                                           f"file is larger than the {MAX_UPLOAD_BYTES // 1024 // 1024} MB limit")])
    if raw[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        frame = _read_xlsx(raw, name)
    else:
        frame = _read_csv(raw, name)
    if len(frame) > MAX_ROWS:
        raise DataFileError(name, [Problem(None, "", "(file)", f"{len(frame):,} rows",
                                           f"more than the {MAX_ROWS:,}-row limit: split the file")])
    return frame

def _read_csv(raw: bytes, name: str) -> pd.DataFrame:
    frame = parse_csv_bytes(raw, name)
    # UCDP's country export has a second header line of HXL hashtags (#date+year, ...): not data.
    first_line = 2
    if len(frame) and any(str(v).startswith("#") for v in frame.iloc[0]) and all(
            v == "" or str(v).startswith("#") for v in frame.iloc[0]):
        frame = frame.iloc[1:].reset_index(drop=True)
        first_line = 3
    frame.attrs["first_data_line"] = first_line
    # UCDP's download ends every row with a comma: pandas then reads an unnamed last column, or shifts the index.
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed and (frame[unnamed] == "").all().all():
        frame = frame.drop(columns=unnamed)
    return frame

def _read_xlsx(raw: bytes, name: str) -> pd.DataFrame:
    """The first sheet of a workbook, after checking it is not a zip bomb or an oversized sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            total = sum(info.file_size for info in zf.infolist())
            if total > MAX_XLSX_UNCOMPRESSED:
                raise DataFileError(name, [Problem(None, "", "(file)", f"{total:,} bytes uncompressed",
                                                   "workbook expands beyond the size limit (possible zip bomb)")])
    except zipfile.BadZipFile as exc:
        raise DataFileError(name, [Problem(None, "", "(file)", "", "not a readable xlsx workbook")]) from exc
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        raise DataFileError(name, [Problem(None, "", "(file)", type(exc).__name__, "not a readable xlsx workbook")]) \
            from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise DataFileError(name, [Problem(None, "", "(file)", "", "workbook's first sheet is empty")])
    header = [str(h).strip() if h is not None else "" for h in header]
    if len(header) > MAX_XLSX_COLUMNS:
        raise DataFileError(name, [Problem(None, "", "(file)", f"{len(header)} columns",
                                           f"more than {MAX_XLSX_COLUMNS} columns")])
    data = []
    for i, row in enumerate(rows):
        if i >= MAX_ROWS:
            raise DataFileError(name, [Problem(None, "", "(file)", f"> {MAX_ROWS:,} rows",
                                               f"more than the {MAX_ROWS:,}-row limit: split the file")])
        data.append([_cell(v) for v in row[: len(header)]] + [""] * max(0, len(header) - len(row)))
    book.close()
    return pd.DataFrame(data, columns=header)

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)
