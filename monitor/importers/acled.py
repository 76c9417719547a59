"""ACLED export rows into canonical events (the mapping is in mappings.FORMATS["acled"])."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import clock
from .mappings import ACLED_ATTACK, ACLED_GEO_PRECISION, ACLED_INTER_TARGET, ACLED_KEEP_TYPES, ACLED_TIME_PRECISION, DATASET_URLS
from .rows import UNKNOWN_GROUP, ImportResult, Rows, count_text, finish, int_or_blank


def import_acled(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """ACLED export rows -> canonical events."""
    acc = Rows("acled", aliases)
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
        placed = acc.place(rownum, sid, "country", str(r.get("country", "")), str(r.get("latitude", "")), str(r.get("longitude", "")))
        if placed is None:
            continue
        country, point = placed
        group, reported = acc.group(str(r.get("actor1", "")), str(r.get("assoc_actor_1", "")))
        sub = str(r.get("sub_event_type", ""))
        inter2 = int_or_blank(r.get("inter2", ""))
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
            "killed_low": count_text(r.get("fatalities", "")), "killed_high": count_text(r.get("fatalities", "")),
            "description": str(r.get("notes", "")).strip() or f"ACLED {sub} event",
            "sources": DATASET_URLS["acled"],
            "notes": f"ACLED sources: {str(r.get('source', '')).strip()}; fatalities include all deaths.",
            "acled_id": sid, "last_checked": "",
        })
    return finish(acc, len(frame), today or clock.today())

def _acled_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y"):
        try:
            return pd.to_datetime(text, format=fmt).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            continue
    return None
