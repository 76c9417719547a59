"""GTD export rows into canonical events (the mapping is in mappings.FORMATS["gtd"])."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import clock
from .mappings import DATASET_URLS, GTD_ATTACK, GTD_SPECIFICITY, GTD_TARGET, GTD_UNKNOWN
from .rows import UNKNOWN_GROUP, URL_IN_TEXT, ImportResult, Rows, count_text, finish, int_or_blank


def import_gtd(frame: pd.DataFrame, aliases: dict[str, str], first_line: int = 2,
                 today: dt.date | None = None) -> ImportResult:
    """GTD rows (CSV or xlsx) -> canonical events."""
    acc = Rows("gtd", aliases)
    for i, r in enumerate(frame.to_dict("records")):
        rownum, sid = i + first_line, str(r.get("eventid", "")).strip()
        year, month, day = (int_or_blank(r.get(c, "")) for c in ("iyear", "imonth", "iday"))
        if not year or not month or month == "0":
            acc.reject(rownum, sid, "imonth", r.get("imonth", ""), "month unknown (imonth 0 or blank)")
            continue
        precision = "day" if day and day != "0" else "month"
        try:
            date = pd.Timestamp(int(year), int(month), int(day) if precision == "day" else 1).strftime("%Y-%m-%d")
        except ValueError:
            acc.reject(rownum, sid, "iday", f"{year}-{month}-{day}", "not a date")
            continue
        placed = acc.place(rownum, sid, "country_txt", str(r.get("country_txt", "")), str(r.get("latitude", "")),
                           str(r.get("longitude", "")))
        if placed is None:
            continue
        country, point = placed
        gname = str(r.get("gname", "")).strip()
        group, reported = acc.group(gname) if gname and gname != "Unknown" else (UNKNOWN_GROUP, gname)
        claimed, compclaim, uncertain = (int_or_blank(r.get(c, "")) for c in ("claimed", "compclaim", "guncertain1"))
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
            "geo_precision": GTD_SPECIFICITY.get(int_or_blank(r.get("specificity", "")), "district"),
            "geo_source": "GTD coordinates", "group": group, "perpetrator_reported": reported,
            "attribution": attribution, "claim_detail": str(r.get("claimmode_txt", "")).strip(),
            "attack_type": GTD_ATTACK.get(str(r.get("attacktype1_txt", "")).strip(), "other"),
            "suicide": {"1": "true", "0": "false"}.get(int_or_blank(r.get("suicide", "")), ""),
            "target_type": GTD_TARGET.get(str(r.get("targtype1_txt", "")).strip(), "other"),
            "killed_low": killed, "killed_high": killed, "wounded_low": wounded, "wounded_high": wounded,
            "description": str(r.get("summary", "")).strip() or f"GTD event {sid}",
            "sources": " | ".join(dict.fromkeys([*urls, DATASET_URLS["gtd"]])),
            "notes": ("GTD citations: " + " / ".join(cites)) if cites else "",
            "gtd_id": sid, "last_checked": "",
        })
    return finish(acc, len(frame), today or clock.today())


def _victims(total: object, perpetrators: object) -> str:
    """Deaths or injuries minus the perpetrators', blank when GTD says unknown; any other value that is not a whole
    number is passed on as written, so the row is rejected with the reason."""
    t, p = count_text(total), count_text(perpetrators)
    if t in ("", *GTD_UNKNOWN):
        return ""
    if not t.isascii() or not t.isdigit():
        return t
    return str(max(int(t) - (int(p) if p.isascii() and p.isdigit() else 0), 0))
