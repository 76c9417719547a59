"""Reading the events, groups and milestones files into typed DataFrames."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import warnings
from pathlib import Path

import pandas as pd

from .problems import Problem, errors
from .schema import CATEGORY_RATIO, EVENTS, GROUPS, MILESTONES, TableSchema
from .validate import validate_events, validate_groups, validate_milestones

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EVENTS_ENV = "MONITOR_EVENTS"
FAST_PARSE_BYTES = 8 * 1024 * 1024


class DataFileError(Exception):
    """A data file that cannot be used, with every problem found in it."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        first = problems[0] if problems else None
        detail = f"{first.column}: {first.rule}" if first else "invalid"
        super().__init__(f"{self.path}: {len(problems)} problem(s), first: {detail}")


def default_events_path() -> Path:
    """The events file the app reads: $MONITOR_EVENTS, or data/events.csv."""
    return Path(os.environ.get(EVENTS_ENV) or DATA_DIR / "events.csv")


def file_problem(rule: str, value: str = "") -> list[Problem]:
    """A problem with the whole file, as a one-item list."""
    return [Problem(None, "", "(file)", value, rule)]


def read_text_table(path: str | Path) -> pd.DataFrame:
    """A CSV or Parquet file as a DataFrame of text cells ('' for blank); DataFileError if unreadable."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, file_problem("file does not exist"))
    if path.is_dir():
        raise DataFileError(path, file_problem("is a folder, not a file"))
    if path.suffix.lower() == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many types for corrupt files
            raise DataFileError(path, file_problem(f"not a readable Parquet file ({type(exc).__name__})")) from exc
        return _as_text(frame)
    raw = path.read_bytes()
    return parse_csv_bytes(raw, path)


def parse_csv_bytes(raw: bytes, name: str | Path = "<upload>") -> pd.DataFrame:
    """CSV bytes as a DataFrame of text cells; DataFileError naming the problem if they cannot be parsed."""
    if not raw.strip():
        raise DataFileError(name, file_problem("file is empty"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(name, [Problem(line, "", "(file)", repr(raw[exc.start:exc.start + 4]),
                                           "not UTF-8 text: save the file as UTF-8")]) from exc
    if len(raw) >= FAST_PARSE_BYTES:
        frame = _parse_with_arrow(raw)
        if frame is not None:
            return frame
    try:
        # index_col=False: a trailing comma on every row (UCDP downloads) must not turn the first column into an index.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, index_col=False)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            _check_extra_fields(text, len(frame.columns), name)
    except pd.errors.ParserError as exc:
        raise DataFileError(name, file_problem(f"not a well-formed CSV: {exc}".strip())) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataFileError(name, file_problem("file has no header row")) from exc
    except csv.Error as exc:
        raise DataFileError(name, file_problem(f"not a well-formed CSV: {exc}")) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _parse_with_arrow(raw: bytes) -> pd.DataFrame | None:
    """A large, regular CSV parsed by Arrow's multi-threaded reader (about 4x faster); None for anything irregular
    (ragged rows, duplicate or blank header names), which the pandas path then reads or reports."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    header = next(csv.reader(io.StringIO(body[: body.find(b"\n") + 1 or len(body)].decode("utf-8"))), [])
    names = [h.strip() for h in header]
    if not names or "" in names or len(set(names)) != len(names):
        return None
    try:
        table = pcsv.read_csv(
            io.BytesIO(body),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                strings_can_be_null=False, null_values=[]),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    frame = table.to_pandas()
    frame.columns = names
    return frame


def _check_extra_fields(text: str, width: int, name) -> None:
    """Rows longer than the header are only accepted when the extra fields are empty (a trailing comma)."""
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise DataFileError(name, [Problem(line, "", "(file)", f"{len(row)} fields",
                                               f"row has more fields than the header's {width}: data would be lost")])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Any DataFrame as text cells, the way the CSV reader gives them."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        s = frame[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s):
            text = s.map({True: "true", False: "false"})
        elif pd.api.types.is_integer_dtype(s) or pd.api.types.is_float_dtype(s):
            text = s.astype("object").map(_number_text)
        else:
            text = s.astype("object").map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
        out[str(name)] = text.fillna("").astype(str)
    return out.reset_index(drop=True)


def _number_text(value) -> str:
    if value is None or value is pd.NA or value != value:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def typed(frame: pd.DataFrame, schema: TableSchema = EVENTS) -> pd.DataFrame:
    """Text cells converted to the schema's types: categories, real dates, nullable integers, booleans."""
    out = pd.DataFrame(index=frame.index)
    for col in schema.columns:
        s = frame[col.name] if col.name in frame.columns else pd.Series([""] * len(frame), index=frame.index)
        blank = s == ""
        if col.kind == "date":
            out[col.name] = pd.to_datetime(s.where(~blank), format="%Y-%m-%d", errors="coerce")
        elif col.kind == "int":
            out[col.name] = pd.to_numeric(s.where(~blank), errors="coerce").astype("Int32")
        elif col.kind == "float":
            out[col.name] = pd.to_numeric(s.where(~blank), errors="coerce").astype("float64")
        elif col.kind == "bool":
            out[col.name] = s.map({"true": True, "false": False}).astype("boolean")
        elif col.kind == "category":
            out[col.name] = s.where(~blank).astype("category")
        else:
            text = s.astype("str")
            repeats = col.name != "event_id" and len(text) > 1000 and text.nunique() < CATEGORY_RATIO * len(text)
            out[col.name] = text.astype("category") if repeats else text
    return out


def load_places(path: str | Path | None = None) -> pd.DataFrame:
    """The gazetteer of place labels (data/places.csv)."""
    return pd.read_csv(path or DATA_DIR / "places.csv")


def load_groups(path: str | Path | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """The groups table, validated; DataFileError if it has errors."""
    path = Path(path or DATA_DIR / "groups.csv")
    frame = read_text_table(path)
    bad = errors(validate_groups(frame, today))
    if bad:
        raise DataFileError(path, bad)
    return typed(frame, GROUPS)


def load_milestones(path: str | Path | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """The milestones table, validated; DataFileError if it has errors."""
    path = Path(path or DATA_DIR / "milestones.csv")
    frame = read_text_table(path)
    bad = errors(validate_milestones(frame, today))
    if bad:
        raise DataFileError(path, bad)
    return typed(frame, MILESTONES).sort_values("date", ignore_index=True)


def load_events(path: str | Path | None = None, groups: pd.DataFrame | None = None,
                today: dt.date | None = None) -> pd.DataFrame:
    """The events table, validated and typed; DataFileError with every problem if it has errors."""
    path = Path(path or default_events_path())
    frame = read_text_table(path)
    order = list((groups if groups is not None else load_groups())["short_name"])
    known = set(order)
    bad = errors(validate_events(frame, known, today))
    if bad:
        raise DataFileError(path, bad)
    events = typed(frame, EVENTS)
    events["group"] = events["group"].cat.set_categories(order)
    return events


