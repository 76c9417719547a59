"""The first sheet of an xlsx as text cells, read in a child process so that any workbook, whatever its shape, is
bounded in time and memory (openpyxl alone once spent 5 minutes and 3.2 GB on a 4.5 MB file).

Run as `python -m monitor.importers.xlsx_worker MAX_COLUMNS MAX_ROWS MAX_CELL_CHARS < book.xlsx`; prints one JSON
object: {"header": [...], "rows": [[...], ...]} or {"error": rule, "row": n, "column": name, "value": text}.
"""
from __future__ import annotations

import io
import json
import sys


def cell_text(value) -> str:
    """A cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def read(raw: bytes, max_columns: int, max_rows: int, max_cell: int) -> dict:
    """The sheet, or the first limit it breaks."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        return {"error": f"not a readable xlsx workbook ({type(exc).__name__})"}
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return {"error": "workbook's first sheet is empty"}
    header = [cell_text(h).strip() for h in header]
    if len(header) > max_columns:
        return {"error": f"more than {max_columns} columns", "row": 1, "value": f"{len(header)} columns"}
    data = []
    for i, row in enumerate(rows):
        line = i + 2
        if i >= max_rows:
            return {"error": f"more than the {max_rows:,}-row limit: split the file", "value": f"> {max_rows:,} rows"}
        cells = [cell_text(v) for v in row[: len(header)]]
        for j, cell in enumerate(cells):
            if len(cell) > max_cell:
                return {"error": f"cell longer than {max_cell:,} characters", "row": line, "column": header[j],
                        "value": f"{len(cell):,} characters"}
            if "\x00" in cell:
                return {"error": "cell contains a NUL character", "row": line, "column": header[j], "value": "NUL"}
        data.append(cells + [""] * max(0, len(header) - len(cells)))
    return {"header": header, "rows": data}


if __name__ == "__main__":
    limits = [int(a) for a in sys.argv[1:4]]
    json.dump(read(sys.stdin.buffer.read(), *limits), sys.stdout)
