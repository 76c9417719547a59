"""UCDP export rows into canonical events (the mapping is in mappings.FORMATS["ucdp"])."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import clock
from .mappings import DATASET_URLS, UCDP_ATTACK, UCDP_DATE_PREC, UCDP_TARGET, UCDP_WHERE_PREC
from .rows import UNKNOWN_GROUP, ImportResult, Rows, count_text, finish, int_or_blank, region_name


def import_ucdp(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """UCDP GED rows (country export with HXL row, or the website download) -> canonical events."""
    acc = Rows("ucdp", aliases)
    est = "_est" if "best_est" in frame.columns else ""
    for i, r in enumerate(frame.to_dict("records")):
        rownum, sid = i + first_line, str(r.get("id", "")).strip()
        prec = int_or_blank(r.get("date_prec", "")) or "1"
        if prec not in UCDP_DATE_PREC:
            acc.reject(rownum, sid, "date_prec", prec, "date known only to the month or year")
            continue
        date = _ucdp_date(str(r.get("date_start", "")))
        if date is None:
            acc.reject(rownum, sid, "date_start", r.get("date_start", ""), "not a date")
            continue
        where = int_or_blank(r.get("where_prec", ""))
        if where == "7":
            acc.reject(rownum, sid, "where_prec", where, "located only to international waters or airspace")
            continue
        placed = acc.place(rownum, sid, "country", str(r.get("country", "")), str(r.get("latitude", "")), str(r.get("longitude", "")))
        if placed is None:
            continue
        country, point = placed
        kind = int_or_blank(r.get("type_of_violence", ""))
        side_a, side_b = str(r.get("side_a", "")).strip(), str(r.get("side_b", "")).strip()
        group, reported = acc.group(side_b) if kind == "1" else acc.group(side_a)
        low, best, high = (count_text(r.get(c + est, "")) for c in ("low", "best", "high"))
        low, high = low or best, high or best
        order_note = ""
        if low.isdigit() and high.isdigit() and low.isascii() and high.isascii() and int(low) > int(high):
            order_note = f" UCDP gives low {low} above high {high}; the range runs from the smaller to the larger."
            low, high = high, low
        acc.rows.append({
            "_row": rownum, "event_id": f"UCDP-{sid}", "date": date, "date_precision": UCDP_DATE_PREC[prec], "country": country,
            "admin1": region_name(r.get("adm_1", "")) or "unknown", "admin2": region_name(r.get("adm_2", "")),
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
    return finish(acc, len(frame), today or clock.today())

def _ucdp_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"):
        try:
            return pd.to_datetime(text, format=fmt).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            continue
    return None
