"""Every mapping table of the importers, in one place: source vocabularies to canonical ones, and the column maps
that the codebook renders."""
from __future__ import annotations

DATASET_URLS = {"acled": "https://acleddata.com/", "gtd": "https://www.start.umd.edu/gtd/",
                "ucdp": "https://ucdp.uu.se/"}

ACLED_KEEP_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")

ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}

ACLED_GEO_PRECISION = {"1": "city", "2": "district", "3": "province"}

# GTD's codes for an unknown count (its codebook): a blank, not a number.
GTD_UNKNOWN = ("-9", "-99")

GTD_SPECIFICITY = {"1": "city", "2": "district", "3": "district", "4": "province", "5": "country"}

UCDP_DATE_PREC = {"1": "day", "2": "week", "3": "month"}

UCDP_WHERE_PREC = {"1": "city", "2": "district", "3": "district", "4": "province", "5": "province", "6": "country"}

UCDP_ATTACK = {"1": "armed_clash", "2": "armed_clash", "3": "unknown"}

UCDP_TARGET = {"1": "military", "2": "militants", "3": "civilians"}

# ACLED and UCDP spell some countries differently from the canonical short names.
COUNTRY_NAMES = {"Russian Federation": "Russia", "Iran (Islamic Republic of)": "Iran", "Türkiye": "Turkey"}

# How the controlled vocabularies map onto the standard datasets (documented in data/README.md, used by importers).
GTD_ATTACK = {
    "Bombing/Explosion": "bombing",
    "Armed Assault": "armed_assault",
    "Assassination": "assassination",
    "Hostage Taking (Kidnapping)": "hostage_taking",
    "Hostage Taking (Barricade Incident)": "hostage_taking",
    "Hijacking": "hostage_taking",
    "Facility/Infrastructure Attack": "facility_attack",
    "Unarmed Assault": "other",
    "Unknown": "unknown",
}

ACLED_ATTACK = {
    "Air/drone strike": "air_strike",
    "Suicide bomb": "bombing",
    "Remote explosive/landmine/IED": "bombing",
    "Grenade": "bombing",
    "Shelling/artillery/missile attack": "shelling",
    "Armed clash": "armed_clash",
    "Attack": "armed_assault",
    "Abduction/forced disappearance": "hostage_taking",
    "Government regains territory": "armed_clash",
    "Non-state actor overtakes territory": "armed_clash",
    "Destruction of property": "facility_attack",
    "Sexual violence": "other",
}

GTD_TARGET = {
    "Private Citizens & Property": "civilians",
    "Religious Figures/Institutions": "religious",
    "Educational Institution": "education",
    "Government (General)": "government",
    "Government (Diplomatic)": "diplomatic",
    "Military": "military",
    "Police": "police",
    "Violent Political Party": "political",
    "Journalists & Media": "media",
    "Business": "business",
    "Transportation": "transport",
    "Airports & Aircraft": "transport",
    "Maritime": "transport",
    "Tourists": "tourists",
    "NGO": "ngo",
    "Utilities": "infrastructure",
    "Telecommunication": "infrastructure",
    "Food or Water Supply": "infrastructure",
    "Terrorists/Non-State Militia": "militants",
    "Other": "other",
    "Unknown": "unknown",
}

# ACLED has no target field: the target comes from the kind of the second actor (ACLED `inter2` codes).
ACLED_INTER_TARGET = {
    1: "military",
    2: "militants",
    3: "militants",
    4: "militants",
    5: "other",
    6: "civilians",
    7: "civilians",
    8: "other",
}

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
