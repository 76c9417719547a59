"""Reading an upload (CSV or xlsx) into text cells within size limits, and telling which export it is."""
from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd

from ..load import DataFileError, parse_csv_bytes
from ..problems import Problem
from ..schema import EVENTS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

MAX_ROWS = 500_000

MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024

MAX_XLSX_COLUMNS = 300
# Every upload must finish or be refused within seconds and bounded memory, whatever its shape.
MAX_COLUMNS = MAX_XLSX_COLUMNS
MAX_CELL_CHARS = 32_767  # a spreadsheet cell's own limit; a 1 MiB shared string once expanded to GBs of copies
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_READ_SECONDS = 20.0
MAX_READ_MEMORY = 3 * 1024 ** 3
ROOT = Path(__file__).resolve().parents[2]


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

def _refuse(name: str, rule: str, value: str = "", row: int | None = None, column: str = "(file)"):
    raise DataFileError(name, [Problem(row, "", column, value, rule)])


def read_table(raw: bytes, name: str = "<upload>") -> pd.DataFrame:
    """Upload bytes (CSV or xlsx) as a DataFrame of text cells, within the limits; DataFileError naming the file,
    row, column and value otherwise."""
    if len(raw) > MAX_UPLOAD_BYTES:
        _refuse(name, f"file is larger than the {MAX_UPLOAD_BYTES // 1024 // 1024} MB limit", f"{len(raw):,} bytes")
    if raw[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        frame = _read_xlsx(raw, name)
    else:
        frame = _read_csv(raw, name)
    if len(frame) > MAX_ROWS:
        _refuse(name, f"more than the {MAX_ROWS:,}-row limit: split the file", f"{len(frame):,} rows")
    frame.attrs["name"] = name
    return frame


def _check_csv_shape(raw: bytes, name: str) -> None:
    """Refuse before parsing what no export has: NUL bytes, or a header wider than MAX_COLUMNS (a 1M-column file once
    took 8 minutes and 6.8 GB)."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        _refuse(name, "contains a NUL byte: not a text CSV (re-export it as UTF-8 CSV)", "NUL",
                row=raw[:nul].count(b"\n") + 1)
    end = raw.find(b"\n")
    first = raw[: end if end >= 0 else len(raw)]
    if first.count(b",") >= MAX_COLUMNS * 4:
        _refuse(name, f"header has more than {MAX_COLUMNS} columns", f"{first.count(b',') + 1:,} fields", row=1)


def _check_cells(frame: pd.DataFrame, name: str, first_line: int) -> None:
    for col in frame.columns:
        lengths = frame[col].str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            pos = int(lengths.to_numpy().argmax())
            _refuse(name, f"cell longer than {MAX_CELL_CHARS:,} characters", f"{int(lengths.max()):,} characters",
                    row=pos + first_line, column=str(col))


def _read_csv(raw: bytes, name: str) -> pd.DataFrame:
    _check_csv_shape(raw, name)
    frame = parse_csv_bytes(raw, name)
    if len(frame.columns) > MAX_COLUMNS:
        _refuse(name, f"header has more than {MAX_COLUMNS} columns", f"{len(frame.columns):,} columns", row=1)
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
    _check_cells(frame, name, first_line)
    return frame


def _check_zip(raw: bytes, name: str) -> None:
    """Declared sizes first: the whole workbook and, separately, its shared strings (read whole by openpyxl)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        _refuse(name, "not a readable xlsx workbook (not a zip archive)")
    total = sum(info.file_size for info in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        _refuse(name, "workbook expands beyond the size limit (possible zip bomb)", f"{total:,} bytes uncompressed")
    shared = sum(i.file_size for i in infos if i.filename.lower().endswith("sharedstrings.xml"))
    if shared > MAX_SHARED_STRINGS_BYTES:
        _refuse(name, "the workbook's shared strings are larger than the limit", f"{shared:,} bytes")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MAX_READ_MEMORY, MAX_READ_MEMORY))


def _read_xlsx(raw: bytes, name: str) -> pd.DataFrame:
    """The first sheet of a workbook, read by a child process that is stopped after MAX_READ_SECONDS or when it
    needs more than MAX_READ_MEMORY; any limit it breaks comes back as a problem naming row, column and value."""
    _check_zip(raw, name)
    cmd = [sys.executable, "-m", "monitor.importers.xlsx_worker", str(MAX_XLSX_COLUMNS), str(MAX_ROWS),
           str(MAX_CELL_CHARS)]
    try:
        done = subprocess.run(cmd, input=raw, capture_output=True, timeout=MAX_READ_SECONDS, preexec_fn=_limit_memory,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        _refuse(name, f"reading took longer than {MAX_READ_SECONDS:g} s: the workbook is too large or too unusual "
                      "(save it as CSV)")
    try:
        result = json.loads(done.stdout)
    except ValueError:
        _refuse(name, "not a readable xlsx workbook (reading it needed more memory than the limit)"
                if done.returncode else "not a readable xlsx workbook")
    if "error" in result:
        _refuse(name, result["error"], result.get("value", ""), result.get("row"), result.get("column", "(file)"))
    return pd.DataFrame(result["rows"], columns=result["header"])
