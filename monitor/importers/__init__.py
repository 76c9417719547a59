"""Importers: ACLED, GTD and UCDP GED exports read into the canonical events schema, every row kept or rejected.

One module per format (acled, gtd, ucdp), their mapping tables together in mappings.py (the codebook renders them).
Nothing is ever dropped silently: a row that cannot be mapped is rejected with its row number, column, value and
reason, and actor names that match no canonical group are listed.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..load import DataFileError
from ..problems import Problem
from .acled import import_acled
from .gtd import import_gtd
from .mappings import FORMATS, REQUIRED_COLUMNS
from .reading import MAX_ROWS, MAX_UPLOAD_BYTES, MAX_XLSX_COLUMNS, MAX_XLSX_UNCOMPRESSED, detect_format, read_table
from .rows import ImportResult, alias_map
from .ucdp import import_ucdp

__all__ = ["FORMATS", "MAX_ROWS", "MAX_UPLOAD_BYTES", "MAX_XLSX_COLUMNS", "MAX_XLSX_UNCOMPRESSED", "DataFileError",
           "ImportResult", "detect_format", "import_frame", "read_table"]

IMPORTERS = {"acled": import_acled, "gtd": import_gtd, "ucdp": import_ucdp}

def _missing_columns(frame: pd.DataFrame, fmt: str) -> list[str]:
    return [c for c in REQUIRED_COLUMNS[fmt] if c not in frame.columns]

def import_frame(frame: pd.DataFrame, groups: pd.DataFrame, fmt: str | None = None,
                 today: dt.date | None = None) -> ImportResult:
    """Map a table of a known format into canonical events checked `today`; DataFileError when it cannot be read."""
    name = frame.attrs.get("name", "<table>")
    fmt = fmt or detect_format(list(frame.columns))
    if fmt is None:
        raise DataFileError(name, [Problem(None, "", "(header)", ", ".join(map(str, frame.columns[:8])),
                                                "format not recognised as ACLED, GTD or UCDP GED")])
    if fmt == "curated":
        raise DataFileError(name, [Problem(None, "", "(header)", "", "this is already a curated-schema file: "
                                                                   "nothing to convert")])
    missing = _missing_columns(frame, fmt)
    if missing:
        raise DataFileError(name, [Problem(None, "", c, "", f"required {fmt.upper()} column is missing")
                                   for c in missing])
    first_line = int(frame.attrs.get("first_data_line", 2))
    return IMPORTERS[fmt](frame.astype(str), alias_map(groups), first_line, today)
