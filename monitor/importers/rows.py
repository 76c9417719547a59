"""What every importer shares: the result, group matching by alias, value cleaning, and the row collector."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..problems import Problem, errors
from ..schema import COUNTRY_BBOX, EVENTS
from ..validate import validate_events
from .mappings import COUNTRY_NAMES

OTHER_GROUP = "Other"

UNKNOWN_GROUP = "Unknown"

URL_IN_TEXT = re.compile(r"https?://[^\s\"<>,;]+")

REGION_SUFFIX = re.compile(r"\s+(province|district|region|division|agency|oblast|ostan)$", re.IGNORECASE)


@dataclass
class ImportResult:
    """What an import produced: canonical rows (text cells), rejected rows with reasons, unmapped actor names."""

    fmt: str
    read: int
    events: pd.DataFrame
    rejected: pd.DataFrame
    unmapped: Counter = field(default_factory=Counter)

    @property
    def kept(self) -> int:
        """Rows kept."""
        return len(self.events)

    def report(self) -> str:
        """A plain-text report of the import."""
        lines = [f"format: {self.fmt}", f"rows read: {self.read:,}", f"kept: {self.kept:,}",
                 f"rejected: {len(self.rejected):,}"]
        if len(self.rejected):
            for reason, count in self.rejected["reason"].value_counts().items():
                lines.append(f"  {count:,} × {reason}")
        lines.append(f"actor names that did not map to a group: {len(self.unmapped):,}")
        for name, count in self.unmapped.most_common():
            lines.append(f"  {count:,} × {name}")
        return "\n".join(lines)

def alias_map(groups: pd.DataFrame) -> dict[str, str]:
    """Lower-cased alias, short name or full name -> canonical short name."""
    out: dict[str, str] = {}
    for _, row in groups.iterrows():
        names = [row["short_name"], row["full_name"], *str(row.get("aliases") or "").split(";")]
        for name in names:
            key = norm(name)
            if key:
                out.setdefault(key, row["short_name"])
    return out

def prefix_match(name: str, aliases: dict[str, str]) -> str | None:
    """ACLED appends units to state actors ('Police Forces of Pakistan (2022-) Counter Terrorism Department'): match
    the longest alias that the name starts with, followed by a space."""
    best = max((a for a in aliases if len(a) >= 12 and name.startswith(a + " ")), key=len, default=None)
    return aliases[best] if best else None

def norm(name: object) -> str:
    return " ".join(str(name or "").split()).lower()

def count_text(value: object) -> str:
    """A casualty count as the validator should judge it: '12.0' becomes '12'; anything else that is not a whole
    number (negative, decimal, a Unicode minus, 400 digits) is passed on as written, so its row is rejected with the
    reason instead of silently becoming blank."""
    text = str(value).strip()
    return text.split(".", 1)[0] if re.fullmatch(r"\d+\.0+", text) else text


def int_or_blank(value: str) -> str:
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        number = int(float(text))
        return str(number) if number >= 0 else ""
    return ""

def country_name(name: str) -> str:
    return COUNTRY_NAMES.get(name.strip(), name.strip())

def region_name(name: str) -> str:
    return REGION_SUFFIX.sub("", str(name).strip())

class Rows:
    """Collects canonical rows and rejections while mapping a source table."""

    def __init__(self, fmt: str, aliases: dict[str, str]):
        self.fmt = fmt
        self.aliases = aliases
        self.rows: list[dict[str, str]] = []
        self.rejected: list[dict] = []
        self.unmapped: Counter = Counter()

    def reject(self, rownum: int, source_id: str, column: str, value: object, reason: str) -> None:
        self.rejected.append({"row": rownum, "source_id": source_id, "column": column, "value": str(value)[:80],
                              "reason": reason})

    def group(self, *names: str) -> tuple[str, str]:
        """The canonical group of the first name that maps, and the name as reported."""
        reported = next((n for n in names if n and n.strip()), "")
        for name in names:
            hit = self.aliases.get(norm(name)) or prefix_match(norm(name), self.aliases)
            if hit:
                return hit, reported
        if reported:
            self.unmapped[reported.strip()] += 1
            return OTHER_GROUP, reported
        return UNKNOWN_GROUP, ""

    def place(self, rownum: int, source_id: str, column: str, raw_country: str, lat: str,
              lon: str) -> tuple[str, tuple[str, str]] | None:
        """The canonical country and the point of a row, or None after rejecting it (out of scope, bad point)."""
        country = country_name(raw_country)
        if country not in COUNTRY_BBOX:
            self.reject(rownum, source_id, column, country, "country outside the dashboard's scope")
            return None
        point = self.coordinates(rownum, source_id, country, lat, lon)
        return None if point is None else (country, point)

    def coordinates(self, rownum: int, source_id: str, country: str, lat: str, lon: str) -> tuple[str, str] | None:
        try:
            la, lo = float(lat), float(lon)
        except ValueError:
            self.reject(rownum, source_id, "latitude", f"{lat}, {lon}", "no usable coordinates")
            return None
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            self.reject(rownum, source_id, "latitude", f"{lat}, {lon}", "impossible coordinates")
            return None
        box = COUNTRY_BBOX.get(country)
        if box and not (box[0] <= lo <= box[2] and box[1] <= la <= box[3]):
            self.reject(rownum, source_id, "latitude", f"{lat}, {lon}", f"coordinates are outside {country}")
            return None
        return repr(la), repr(lo)

def finish(acc: Rows, read: int, today: dt.date) -> ImportResult:
    """Rows as a frame in schema order, checked today; rows the validator still rejects move to the rejected list."""
    cols = ["_row", *EVENTS.names]
    frame = pd.DataFrame([{c: r.get(c, "") for c in cols} for r in acc.rows], columns=cols)
    frame["last_checked"] = today.isoformat()
    rejected = list(acc.rejected)
    if len(frame):
        first_problem: dict[int, Problem] = {}
        for p in errors(validate_events(frame[EVENTS.names], known_groups=None, today=today)):
            if p.row is not None:
                first_problem.setdefault(p.row - 2, p)
        for pos, p in sorted(first_problem.items()):
            rejected.append({"row": int(frame.iloc[pos]["_row"]), "source_id": frame.iloc[pos]["event_id"],
                             "column": p.column, "value": p.value, "reason": p.rule})
        frame = frame.drop(index=frame.index[sorted(first_problem)]).reset_index(drop=True)
    rej = pd.DataFrame(rejected, columns=["row", "source_id", "column", "value", "reason"])
    rej = rej.sort_values("row", kind="stable", ignore_index=True)
    return ImportResult(acc.fmt, read, frame[EVENTS.names], rej, acc.unmapped)
