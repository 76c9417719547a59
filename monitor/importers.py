"""Importers: ACLED, GTD and UCDP GED exports read into the canonical events schema, every row kept or rejected.

Each format has a mapping table (source column -> canonical column, and how vocabularies map) in FORMATS below;
docs_table() renders them for the codebook. Nothing is ever dropped silently: a row that cannot be mapped is
rejected with its row number, column, value and reason, and actor names that match no canonical group are listed.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from . import clock
from .load import DataFileError, parse_csv_bytes
from .schema import ACLED_ATTACK, ACLED_INTER_TARGET, COUNTRY_BBOX, EVENTS, GTD_ATTACK, GTD_TARGET
from .validate import Problem, errors, validate_events

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_XLSX_COLUMNS = 300
OTHER_GROUP = "Other"
UNKNOWN_GROUP = "Unknown"
CHECKED = "imported"
DATASET_URLS = {"acled": "https://acleddata.com/", "gtd": "https://www.start.umd.edu/gtd/",
                "ucdp": "https://ucdp.uu.se/"}
URL_IN_TEXT = re.compile(r"https?://[^\s\"<>,;]+")
REGION_SUFFIX = re.compile(r"\s+(province|district|region|division|agency|oblast|ostan)$", re.IGNORECASE)

ACLED_KEEP_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
ACLED_GEO_PRECISION = {"1": "city", "2": "district", "3": "province"}
GTD_SPECIFICITY = {"1": "city", "2": "district", "3": "district", "4": "province", "5": "country"}
UCDP_DATE_PREC = {"1": "day", "2": "week", "3": "month"}
UCDP_WHERE_PREC = {"1": "city", "2": "district", "3": "district", "4": "province", "5": "province", "6": "country"}
UCDP_ATTACK = {"1": "armed_clash", "2": "armed_clash", "3": "unknown"}
UCDP_TARGET = {"1": "military", "2": "militants", "3": "civilians"}
# ACLED and UCDP spell some countries differently from the canonical short names.
COUNTRY_NAMES = {"Russian Federation": "Russia", "Iran (Islamic Republic of)": "Iran", "Türkiye": "Turkey"}

# Mapping tables: (source column, canonical column, how). Rendered into the codebook.
FORMATS = {
    "acled": [
        ("event_id_cnty", "event_id, acled_id", "event_id = ACLED-<event_id_cnty>"),
        ("event_date", "date", "YYYY-MM-DD, or ACLED's '19 June 2022'"),
        ("time_precision", "date_precision", "1 day, 2 week, 3 month"),
        ("event_type", "(filter)", "Battles, Explosions/Remote violence and Violence against civilians are kept; "
                                   "Protests, Riots and Strategic developments are rejected as out of scope"),
        ("sub_event_type", "attack_type, suicide", "see the ACLED attack table; Suicide bomb sets suicide = true"),
        ("actor1 (else assoc_actor_1)", "group, perpetrator_reported", "matched to groups.csv aliases; unmatched "
                                                                      "names -> group Other, kept as reported"),
        ("inter2", "target_type", "see the ACLED target table; blank -> unknown"),
        ("country, admin1, admin2, location", "country, admin1, admin2, location", "as given"),
        ("latitude, longitude", "latitude, longitude", "as given"),
        ("geo_precision", "geo_precision", "1 city, 2 district, 3 province"),
        ("fatalities", "killed_low, killed_high", "both = fatalities (ACLED counts all deaths, perpetrators "
                                                  "included)"),
        ("notes", "description", "as given"),
        ("source", "notes", "ACLED's source names; sources = the ACLED site"),
    ],
    "gtd": [
        ("eventid", "event_id, gtd_id", "event_id = GTD-<eventid>"),
        ("iyear, imonth, iday", "date, date_precision", "iday 0 -> first of month, precision month; imonth 0 -> "
                                                        "rejected"),
        ("country_txt, provstate, city", "country, admin1, location", "as given"),
        ("latitude, longitude", "latitude, longitude", "blank -> rejected"),
        ("specificity", "geo_precision", "1 city, 2-3 district, 4 province, 5 country"),
        ("gname", "group, perpetrator_reported", "matched to groups.csv aliases; 'Unknown' -> Unknown"),
        ("claimed, compclaim, guncertain1", "attribution", "compclaim 1 -> disputed; claimed 1 -> claimed; "
                                                          "guncertain1 1 -> suspected; known group -> attributed; "
                                                          "Unknown -> unclaimed"),
        ("claimmode_txt", "claim_detail", "as given"),
        ("attacktype1_txt", "attack_type", "see the GTD attack table"),
        ("suicide", "suicide", "1 true, 0 false"),
        ("targtype1_txt", "target_type", "see the GTD target table"),
        ("nkill - nkillter", "killed_low, killed_high", "victims only; -9/-99 and blanks -> blank"),
        ("nwound - nwoundte", "wounded_low, wounded_high", "victims only"),
        ("summary", "description", "as given"),
        ("scite1-scite3", "sources, notes", "URLs found in the citations, plus the GTD site; citations in notes"),
    ],
    "ucdp": [
        ("id", "event_id, ucdp_id", "event_id = UCDP-<id>"),
        ("date_start", "date", "'YYYY-MM-DD 00:00:00.000' (country export) or 'MM/DD/YYYY 00:00:00' (download)"),
        ("date_prec", "date_precision", "1 day, 2 week, 3 month; 4-5 (month or year unknown) -> rejected"),
        ("side_a, side_b", "group, perpetrator_reported", "one-sided and non-state violence: side_a; state-based: "
                                                          "side_b (the non-state side); matched to aliases"),
        ("type_of_violence", "attack_type, target_type, attribution", "1 armed_clash / military; 2 armed_clash / "
                                                                     "militants; 3 unknown / civilians; "
                                                                     "attribution = attributed (UCDP's coding)"),
        ("adm_1, adm_2, where_coordinates", "admin1, admin2, location", "' province' and ' district' suffixes "
                                                                        "dropped"),
        ("latitude, longitude", "latitude, longitude", "as given"),
        ("where_prec", "geo_precision", "1 city, 2-3 district, 4-5 province, 6 country, 7 rejected"),
        ("low / best / high (or low_est / best_est / high_est)", "killed_low, killed_high", "UCDP low and high; "
                                                                                           "best in notes"),
        ("source_headline", "description", "as given"),
        ("source_article", "notes", "as given; sources = the UCDP site"),
    ],
}
REQUIRED_COLUMNS = {
    "acled": ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "admin1",
              "latitude", "longitude", "fatalities"],
    "gtd": ["eventid", "iyear", "imonth", "iday", "country_txt", "latitude", "longitude", "gname", "attacktype1_txt",
            "targtype1_txt", "nkill"],
    "ucdp": ["id", "type_of_violence", "side_a", "side_b", "latitude", "longitude", "country", "date_start"],
}


@dataclass
class ImportResult:
    """What an import produced: canonical rows (text cells), rejected rows with reasons, unmapped actor names."""

    fmt: str
    read: int
    events: pd.DataFrame
    rejected: pd.DataFrame
    unmapped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

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
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def alias_map(groups: pd.DataFrame) -> dict[str, str]:
    """Lower-cased alias, short name or full name -> canonical short name."""
    out: dict[str, str] = {}
    for _, row in groups.iterrows():
        names = [row["short_name"], row["full_name"], *str(row.get("aliases") or "").split(";")]
        for name in names:
            key = _norm(name)
            if key:
                out.setdefault(key, row["short_name"])
    return out


def _prefix_match(name: str, aliases: dict[str, str]) -> str | None:
    """ACLED appends units to state actors ('Police Forces of Pakistan (2022-) Counter Terrorism Department'): match
    the longest alias that the name starts with, followed by a space."""
    best = max((a for a in aliases if len(a) >= 12 and name.startswith(a + " ")), key=len, default=None)
    return aliases[best] if best else None


def _norm(name: object) -> str:
    return " ".join(str(name or "").split()).lower()


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


def _missing_columns(frame: pd.DataFrame, fmt: str) -> list[str]:
    return [c for c in REQUIRED_COLUMNS[fmt] if c not in frame.columns]


def _int_or_blank(value: str) -> str:
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        number = int(float(text))
        return str(number) if number >= 0 else ""
    return ""


def _country(name: str) -> str:
    return COUNTRY_NAMES.get(name.strip(), name.strip())


def _region(name: str) -> str:
    return REGION_SUFFIX.sub("", str(name).strip())


def _blank_frame(n: int) -> dict[str, list[str]]:
    return {c: [""] * n for c in EVENTS.names}


class _Rows:
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
            hit = self.aliases.get(_norm(name)) or _prefix_match(_norm(name), self.aliases)
            if hit:
                return hit, reported
        if reported:
            self.unmapped[reported.strip()] += 1
            return OTHER_GROUP, reported
        return UNKNOWN_GROUP, ""

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


def import_acled(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """ACLED export rows -> canonical events."""
    acc = _Rows("acled", aliases)
    for i, r in enumerate(frame.to_dict("records")):
        rownum, sid = i + first_line, str(r.get("event_id_cnty", "")).strip()
        if r.get("event_type", "") not in ACLED_KEEP_TYPES:
            acc.reject(rownum, sid, "event_type", r.get("event_type", ""),
                       "event type out of scope (not political violence)")
            continue
        date = _acled_date(str(r.get("event_date", "")))
        if date is None:
            acc.reject(rownum, sid, "event_date", r.get("event_date", ""), "not a date")
            continue
        country = _country(str(r.get("country", "")))
        if country not in COUNTRY_BBOX:
            acc.reject(rownum, sid, "country", country, "country outside the dashboard's scope")
            continue
        point = acc.coordinates(rownum, sid, country, str(r.get("latitude", "")), str(r.get("longitude", "")))
        if point is None:
            continue
        group, reported = acc.group(str(r.get("actor1", "")), str(r.get("assoc_actor_1", "")))
        sub = str(r.get("sub_event_type", ""))
        inter2 = _int_or_blank(r.get("inter2", ""))
        acc.rows.append({
            "_row": rownum, "event_id": f"ACLED-{sid}", "date": date,
            "date_precision": ACLED_TIME_PRECISION.get(str(r.get("time_precision", "")).strip(), "day"),
            "country": country, "admin1": str(r.get("admin1", "")).strip() or "unknown",
            "admin2": str(r.get("admin2", "")).strip(), "location": str(r.get("location", "")).strip() or "unknown",
            "latitude": point[0], "longitude": point[1],
            "geo_precision": ACLED_GEO_PRECISION.get(str(r.get("geo_precision", "")).strip(), "district"),
            "geo_source": "ACLED coordinates", "group": group, "perpetrator_reported": reported,
            "attribution": "unclaimed" if group == UNKNOWN_GROUP else "attributed",
            "claim_detail": "ACLED attributes the event to actor1" if group != UNKNOWN_GROUP else "",
            "attack_type": ACLED_ATTACK.get(sub, "other"), "suicide": "true" if sub == "Suicide bomb" else "false",
            "target_type": ACLED_INTER_TARGET.get(int(inter2), "unknown") if inter2 else "unknown",
            "killed_low": _int_or_blank(r.get("fatalities", "")), "killed_high": _int_or_blank(r.get("fatalities", "")),
            "description": str(r.get("notes", "")).strip() or f"ACLED {sub} event",
            "sources": DATASET_URLS["acled"],
            "notes": f"ACLED sources: {str(r.get('source', '')).strip()}; fatalities include all deaths.",
            "acled_id": sid, "last_checked": "",
        })
    return _finish(acc, len(frame), today or clock.today())


def _acled_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return pd.to_datetime(text, format=fmt).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            continue
    return None


def import_gtd(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """GTD rows (CSV or xlsx) -> canonical events."""
    acc = _Rows("gtd", aliases)
    for i, r in enumerate(frame.to_dict("records")):
        rownum, sid = i + first_line, str(r.get("eventid", "")).strip()
        year, month, day = (_int_or_blank(r.get(c, "")) for c in ("iyear", "imonth", "iday"))
        if not year or not month or month == "0":
            acc.reject(rownum, sid, "imonth", r.get("imonth", ""), "month unknown (imonth 0 or blank)")
            continue
        precision = "day" if day and day != "0" else "month"
        try:
            date = pd.Timestamp(int(year), int(month), int(day) if precision == "day" else 1).strftime("%Y-%m-%d")
        except ValueError:
            acc.reject(rownum, sid, "iday", f"{year}-{month}-{day}", "not a date")
            continue
        country = _country(str(r.get("country_txt", "")))
        if country not in COUNTRY_BBOX:
            acc.reject(rownum, sid, "country_txt", country, "country outside the dashboard's scope")
            continue
        point = acc.coordinates(rownum, sid, country, str(r.get("latitude", "")), str(r.get("longitude", "")))
        if point is None:
            continue
        gname = str(r.get("gname", "")).strip()
        group, reported = acc.group(gname) if gname and gname != "Unknown" else (UNKNOWN_GROUP, gname)
        claimed, compclaim, uncertain = (_int_or_blank(r.get(c, "")) for c in ("claimed", "compclaim", "guncertain1"))
        if group == UNKNOWN_GROUP:
            attribution = "unclaimed"
        elif compclaim == "1":
            attribution = "disputed"
        elif claimed == "1":
            attribution = "claimed"
        elif uncertain == "1":
            attribution = "suspected"
        else:
            attribution = "attributed"
        killed = _victims(r.get("nkill", ""), r.get("nkillter", ""))
        wounded = _victims(r.get("nwound", ""), r.get("nwoundte", ""))
        cites = [str(r.get(c, "")).strip() for c in ("scite1", "scite2", "scite3") if str(r.get(c, "")).strip()]
        urls = [u.rstrip(".)") for c in cites for u in URL_IN_TEXT.findall(c)]
        acc.rows.append({
            "_row": rownum, "event_id": f"GTD-{sid}", "date": date, "date_precision": precision, "country": country,
            "admin1": str(r.get("provstate", "")).strip() or "unknown", "admin2": "",
            "location": str(r.get("city", "")).strip() or "unknown", "latitude": point[0], "longitude": point[1],
            "geo_precision": GTD_SPECIFICITY.get(_int_or_blank(r.get("specificity", "")), "district"),
            "geo_source": "GTD coordinates", "group": group, "perpetrator_reported": reported,
            "attribution": attribution, "claim_detail": str(r.get("claimmode_txt", "")).strip(),
            "attack_type": GTD_ATTACK.get(str(r.get("attacktype1_txt", "")).strip(), "other"),
            "suicide": {"1": "true", "0": "false"}.get(_int_or_blank(r.get("suicide", "")), ""),
            "target_type": GTD_TARGET.get(str(r.get("targtype1_txt", "")).strip(), "other"),
            "killed_low": killed, "killed_high": killed, "wounded_low": wounded, "wounded_high": wounded,
            "description": str(r.get("summary", "")).strip() or f"GTD event {sid}",
            "sources": " | ".join(dict.fromkeys([*urls, DATASET_URLS["gtd"]])),
            "notes": ("GTD citations: " + " / ".join(cites)) if cites else "",
            "gtd_id": sid, "last_checked": "",
        })
    return _finish(acc, len(frame), today or clock.today())


def _victims(total: object, perpetrators: object) -> str:
    """Deaths or injuries minus the perpetrators', blank when the total is unknown."""
    t, p = _int_or_blank(total), _int_or_blank(perpetrators)
    if not t:
        return ""
    return str(max(int(t) - int(p or 0), 0))


def import_ucdp(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """UCDP GED rows (country export with HXL row, or the website download) -> canonical events."""
    acc = _Rows("ucdp", aliases)
    est = "_est" if "best_est" in frame.columns else ""
    for i, r in enumerate(frame.to_dict("records")):
        rownum, sid = i + first_line, str(r.get("id", "")).strip()
        prec = _int_or_blank(r.get("date_prec", "")) or "1"
        if prec not in UCDP_DATE_PREC:
            acc.reject(rownum, sid, "date_prec", prec, "date known only to the month or year")
            continue
        date = _ucdp_date(str(r.get("date_start", "")))
        if date is None:
            acc.reject(rownum, sid, "date_start", r.get("date_start", ""), "not a date")
            continue
        where = _int_or_blank(r.get("where_prec", ""))
        if where == "7":
            acc.reject(rownum, sid, "where_prec", where, "located only to international waters or airspace")
            continue
        country = _country(str(r.get("country", "")))
        if country not in COUNTRY_BBOX:
            acc.reject(rownum, sid, "country", country, "country outside the dashboard's scope")
            continue
        point = acc.coordinates(rownum, sid, country, str(r.get("latitude", "")), str(r.get("longitude", "")))
        if point is None:
            continue
        kind = _int_or_blank(r.get("type_of_violence", ""))
        side_a, side_b = str(r.get("side_a", "")).strip(), str(r.get("side_b", "")).strip()
        group, reported = acc.group(side_b) if kind == "1" else acc.group(side_a)
        low, best, high = (_int_or_blank(r.get(c + est, "")) for c in ("low", "best", "high"))
        low, high = low or best, high or best
        order_note = ""
        if low and high and int(low) > int(high):
            order_note = f" UCDP gives low {low} above high {high}; the range runs from the smaller to the larger."
            low, high = high, low
        acc.rows.append({
            "_row": rownum, "event_id": f"UCDP-{sid}", "date": date, "date_precision": UCDP_DATE_PREC[prec], "country": country,
            "admin1": _region(r.get("adm_1", "")) or "unknown", "admin2": _region(r.get("adm_2", "")),
            "location": str(r.get("where_coordinates", "")).strip() or "unknown",
            "latitude": point[0], "longitude": point[1], "geo_precision": UCDP_WHERE_PREC.get(where, "district"),
            "geo_source": "UCDP GED coordinates", "group": group, "perpetrator_reported": reported,
            "attribution": "unclaimed" if group == UNKNOWN_GROUP else "attributed",
            "claim_detail": f"UCDP dyad: {side_a} – {side_b}",
            "attack_type": UCDP_ATTACK.get(kind, "unknown"), "suicide": "",
            "target_type": UCDP_TARGET.get(kind, "unknown"),
            "killed_low": low, "killed_high": high,
            "description": (str(r.get("source_headline", "")).strip() or str(r.get("dyad_name", "")).strip()
                            or f"UCDP event {sid}")[:500],
            "sources": DATASET_URLS["ucdp"],
            "notes": f"UCDP best estimate {best or 'n/a'}; deaths of all parties.{order_note} "
                     f"Sources: {str(r.get('source_article', '')).strip()[:400]}",
            "ucdp_id": sid, "last_checked": "",
        })
    return _finish(acc, len(frame), today or clock.today())


def _ucdp_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"):
        try:
            return pd.to_datetime(text, format=fmt).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            continue
    return None


IMPORTERS = {"acled": import_acled, "gtd": import_gtd, "ucdp": import_ucdp}


def _finish(acc: _Rows, read: int, today: dt.date) -> ImportResult:
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


def import_frame(frame: pd.DataFrame, groups: pd.DataFrame, fmt: str | None = None,
                 today: dt.date | None = None) -> ImportResult:
    """Map a table of a known format into canonical events checked `today`; DataFileError when it cannot be read."""
    fmt = fmt or detect_format(list(frame.columns))
    if fmt is None:
        raise DataFileError("<table>", [Problem(None, "", "(header)", ", ".join(map(str, frame.columns[:8])),
                                                "format not recognised as ACLED, GTD or UCDP GED")])
    if fmt == "curated":
        raise DataFileError("<table>", [Problem(None, "", "(header)", "", "this is already a curated-schema file")])
    missing = _missing_columns(frame, fmt)
    if missing:
        raise DataFileError("<table>", [Problem(None, "", c, "", f"required {fmt.upper()} column is missing")
                                        for c in missing])
    first_line = int(frame.attrs.get("first_data_line", 2))
    return IMPORTERS[fmt](frame.astype(str), alias_map(groups), first_line, today)
