"""A view as a URL and back: the only place that reads query parameters or builds a link (always via urlencode).

Every value the parser keeps is one the widgets accept; every value it changes or drops gets a notice.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import parse_qs, urlencode, urlsplit

from .filters import BY_PARAM, DISPLAY_ONLY, FILTERS, MAX_MIN_KILLED, MAX_QUERY_LENGTH, FilterState

MAX_VALUES = 50
MAX_VALUE_LENGTH = 100
MAX_EXTRA_LENGTH = 200
YEAR_RE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


def _values(raw, known: Mapping[str, str]) -> list[str]:
    """A URL value as a list of comma-separated items (repeated parameters are joined). A known value that holds a
    comma itself (an upload's "Kurram, Upper") stays whole, so the encoder can join values with plain commas."""
    span = max((value.count(",") for value in known), default=0)
    out = []
    for item in raw if isinstance(raw, (list, tuple)) else [raw]:
        parts, start = str(item).split(","), 0
        while start < len(parts):
            end = start + 1
            for longer in range(min(len(parts), start + 1 + span), start + 1, -1):  # the longest known value first
                if ",".join(parts[start:longer]).strip().lower() in known:
                    end = longer
                    break
            if text := ",".join(parts[start:end]).strip():
                out.append(text)
            start = end
    return out


def shown(value: str) -> str:
    """A user-supplied value made printable and short for a notice (control and bidi characters become '?')."""
    value = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    return value if len(value) <= 40 else value[:39] + "…"


def _single(param: str, raw, notices: list[str]) -> str:
    """The one value of a parameter that takes one: the last if it was repeated, said in a notice."""
    if isinstance(raw, (list, tuple)):
        if len(raw) > 1:
            notices.append(f"{param}: given {len(raw)} times; the last value was used")
        raw = raw[-1] if raw else ""
    return str(raw)


def _multi(flt, raw, vocab, notices):
    allowed = {v.lower(): v for v in vocab.get(flt.param, ())}
    kept: list[str] = []
    items = _values(raw, allowed)
    if len(items) > MAX_VALUES:
        notices.append(f"{flt.param}: only the first {MAX_VALUES} values were read")
        items = items[:MAX_VALUES]
    for item in items:
        canonical = allowed.get(item.lower()) if len(item) <= MAX_VALUE_LENGTH else None
        if canonical is None:
            notices.append(f"{flt.param}: unknown value “{shown(item)}” was dropped")
        elif canonical not in kept:
            kept.append(canonical)
    return tuple(kept) or None


def _years(flt, raw, vocab, notices):
    text = _single(flt.param, raw, notices)
    match = YEAR_RE.match(text)
    if not match:
        if text.strip():
            notices.append(f"year: “{shown(text)}” is not a year or a range like 2021-2024, dropped")
        return None
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        notices.append(f"year: range “{shown(text)}” runs backwards and was dropped")
        return None
    span = vocab.get("_years")
    if span:
        # The year slider only holds the data's years: clamp, so the widget never sees a value it rejects.
        lo, hi = min(max(first, span[0]), span[1]), max(min(last, span[1]), span[0])
        if (lo, hi) != (first, last):
            kept = str(lo) if lo == hi else f"{lo}-{hi}"
            notices.append(f"year: “{shown(text)}” is outside the data ({span[0]}–{span[1]}), shown as {kept}")
        first, last = lo, hi
    return (first, last)


def _date(flt, raw, vocab, notices):
    text = _single(flt.param, raw, notices).strip()
    try:
        day = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        if text:
            notices.append(f"{flt.param}: “{shown(text)}” is not a day like 2021-08-15, dropped")
        return None
    span = vocab.get("_dates")
    if span and not span[0] <= day <= span[1]:
        # The date pickers only hold the data's days: clamp, so a widget never sees a value it rejects.
        kept = min(max(day, span[0]), span[1])
        notices.append(f"{flt.param}: {day} is outside the data ({span[0]} to {span[1]}), shown as {kept}")
        day = kept
    return day


def _min(flt, raw, vocab, notices):
    text = _single(flt.param, raw, notices).strip()
    if text.isascii() and text.isdigit() and int(text) <= MAX_MIN_KILLED:
        return int(text)
    if text:
        notices.append(f"{flt.param}: “{shown(text)}” is not a whole number from 0 to {MAX_MIN_KILLED}, dropped")
    return None


def _text(flt, raw, vocab, notices):
    raw = _single(flt.param, raw, notices)
    cleaned = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    if cleaned != raw:
        notices.append(f"{flt.param}: control or direction characters were removed from the search text")
    text = " ".join(cleaned.split())
    if len(text) > MAX_QUERY_LENGTH:
        notices.append(f"{flt.param}: search text cut to {MAX_QUERY_LENGTH} characters")
        text = text[:MAX_QUERY_LENGTH]
    return text or None


def _choice(flt, raw, vocab, notices):
    text = _single(flt.param, raw, notices).strip().lower()
    if text in flt.options:
        return text
    notices.append(f"{flt.param}: “{shown(text)}” is not one of {', '.join(flt.options)}, dropped")
    return None


PARSERS = {"multi": _multi, "years": _years, "date": _date, "min": _min, "text": _text, "choice": _choice}


def parse_query(params: Mapping[str, object], vocab: Mapping) -> tuple[FilterState, list[str]]:
    """The view a URL's query parameters describe, and a notice for every value that was changed or dropped."""
    notices: list[str] = []
    changes: dict[str, object] = {}
    for flt in FILTERS:
        if flt.param in params:
            value = PARSERS[flt.kind](flt, params[flt.param], vocab, notices)
            if value is not None:
                changes[flt.name] = value
    extra = []
    for key, raw in params.items():
        if key not in BY_PARAM:
            value = _single(key, raw, notices)
            if len(value) > MAX_EXTRA_LENGTH or len(key) > MAX_EXTRA_LENGTH:
                notices.append(f"{shown(key)}: value longer than {MAX_EXTRA_LENGTH} characters, dropped")
                continue
            extra.append((str(key), value))
    if changes.get("start") and changes.get("end") and changes["start"] > changes["end"]:
        notices.append(f"from/to: {changes['start']} is after {changes['end']}: the range runs backwards and was dropped")
        changes.pop("start"), changes.pop("end")
    return FilterState(**changes, extra=tuple(extra)), notices


def from_query_string(text: str) -> dict[str, list[str]]:
    """A query string (or a whole URL) as the app reads its URL: every value of a repeated key kept."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        text = urlsplit(text).query
    return parse_qs(text.removeprefix("?"), keep_blank_values=True)


def _encode(flt, value) -> str | None:
    if value == flt.default:
        return None
    if flt.kind == "multi":
        return ",".join(value)
    if flt.kind == "years":
        first, last = value
        return str(first) if first == last else f"{first}-{last}"
    if flt.kind == "date":
        return value.isoformat()
    return str(value)


def to_query(state: FilterState) -> dict[str, str]:
    """The query parameters that reproduce a view's filters; defaults are left out."""
    out = {}
    for flt in FILTERS:
        text = _encode(flt, getattr(state, flt.name))
        if text is not None:
            out[flt.param] = text
    return out


def with_extra(state: FilterState, **overrides: str | None) -> dict[str, str]:
    """The query of a state plus its page parameters (the map's `view`, an `event`), some replaced or removed."""
    query = to_query(state)
    for key, value in state.extra:
        query.setdefault(key, value)
    for key, value in overrides.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query


def to_url(query: Mapping[str, str], path: str = "") -> str:
    """A link: the path and the query, every value percent-encoded (spaces, &, #, non-ASCII survive a round trip)."""
    encoded = urlencode(dict(query))
    return f"{path}?{encoded}" if encoded else (path or "?")


def describe(state: FilterState) -> str:
    """The view in words, e.g. 'group ISKP; years 2021-2024'."""
    parts = [f"{param} {value}" for param, value in to_query(state).items() if param not in DISPLAY_ONLY]
    return "; ".join(parts) if parts else "all events"


def slug(state: FilterState) -> str:
    """The view as a short file-name-safe text, e.g. 'group-ISKP_year-2021-2024'."""
    parts = [f"{k}-{v}" for k, v in to_query(state).items() if k not in DISPLAY_ONLY]
    text = "_".join(parts) if parts else "all"
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
    return text[:120] or "all"


def docs_rows() -> list[str]:
    """The README's table rows for the filter parameters, rendered from the filter table (a test keeps them equal)."""
    return [f"| `{f.param}` | {f.doc} | `{f.example}` |" for f in FILTERS]
