"""The events, groups and milestones schemas: one place that the loader, validator, codebook and app read."""
from __future__ import annotations

from dataclasses import dataclass, field

DATE_PRECISION = ("day", "week", "month")
GEO_PRECISION = ("site", "neighbourhood", "city", "district", "province", "country")
ATTRIBUTION = ("claimed", "attributed", "suspected", "disputed", "unclaimed")
ATTACK_TYPES = (
    "bombing",
    "armed_assault",
    "assassination",
    "hostage_taking",
    "air_strike",
    "shelling",
    "armed_clash",
    "facility_attack",
    "other",
    "unknown",
)
TARGET_TYPES = (
    "civilians",
    "religious",
    "education",
    "government",
    "diplomatic",
    "military",
    "police",
    "political",
    "media",
    "business",
    "transport",
    "tourists",
    "ngo",
    "infrastructure",
    "militants",
    "other",
    "unknown",
)
BOOLEAN_TEXT = ("true", "false")
GROUP_KINDS = ("jihadist", "sectarian", "separatist", "insurgent", "state forces", "armed opposition", "other",
               "unknown")
SOURCE_SEPARATOR = " | "
ALIAS_SEPARATOR = "; "

# Coarse (west, south, east, north) boxes: enough to catch swapped or mistyped coordinates, not a border test.
COUNTRY_BBOX = {
    "Afghanistan": (60.4, 29.3, 75.0, 38.6),
    "Pakistan": (60.8, 23.6, 77.9, 37.1),
    "Iran": (44.0, 25.0, 63.4, 39.8),
    "Russia": (19.6, 41.1, 180.0, 81.9),
    "Tajikistan": (67.3, 36.6, 75.2, 41.1),
    "Uzbekistan": (55.9, 37.1, 73.2, 45.6),
    "Turkmenistan": (52.4, 35.1, 66.7, 42.8),
    "Kyrgyzstan": (69.2, 39.1, 80.3, 43.3),
    "Kazakhstan": (46.4, 40.5, 87.4, 55.5),
    "Turkey": (25.6, 35.8, 44.9, 42.2),
    "India": (68.1, 6.5, 97.4, 35.7),
    "China": (73.4, 18.1, 134.8, 53.6),
}
COUNTRIES = tuple(COUNTRY_BBOX)


@dataclass(frozen=True)
class Column:
    """One column of a table: its type, rule and codebook text."""

    name: str
    kind: str  # text | category | date | int | float | bool
    doc: str
    required: bool = False
    vocab: tuple[str, ...] = ()
    example: str = ""
    added: str = ""  # set on columns added after files existed: a file without the column reads it as blank


@dataclass(frozen=True)
class TableSchema:
    """A table's columns, in file order."""

    name: str
    doc: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """Column names in file order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the columns that must have a value in every row."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)


EVENTS = TableSchema(
    "events",
    "One row per event of militant or cross-border violence.",
    (
        Column("event_id", "text", "Stable unique id, `MM-YYYYMMDD-CC-N` (date it was first recorded under, ISO country code, "
               "serial). Assigned once and never reused or changed, even if the date is later corrected.", True,
               example="MM-20241211-AF-1"),
        Column("date", "date", "Local date (YYYY-MM-DD) on which the event began; night events use the start date.", True,
               example="2024-12-11"),
        Column("date_precision", "category", "How exactly `date` is known.", True, DATE_PRECISION, "day"),
        Column("country", "category", "Country where the event happened (English short name).", True, COUNTRIES,
               "Afghanistan"),
        Column("admin1", "category", "Province (Pakistani tribal agencies before mid-2018: Federally Administered Tribal "
               "Areas).", True, example="Kabul"),
        Column("admin2", "category", "District, where sources name it; blank otherwise.", example="Kabul"),
        Column("location", "text", "Town, neighbourhood or site as the sources name it.", True,
               example="Ministry of Refugees and Repatriation"),
        Column("latitude", "float", "WGS84 latitude of the point drawn on maps (see `geo_precision`).", True,
               example="34.52528"),
        Column("longitude", "float", "WGS84 longitude of the point drawn on maps.", True, example="69.17833"),
        Column("geo_precision", "category", "What the point stands for: the site itself, or only the neighbourhood, city, "
               "district, province or country. A province-level point is never the event site.", True, GEO_PRECISION,
               "city"),
        Column("geo_source", "text", "Where the point comes from: gazetteer and id, or the page that gives coordinates.",
               True, example="GeoNames 1138958 (Kabul)"),
        Column("origin_country", "category", "Only for cross-border events: the country the attack or strike came from "
               "according to sources.", vocab=COUNTRIES, example="Pakistan"),
        Column("origin_latitude", "float", "Origin point latitude (cross-border events only)."),
        Column("origin_longitude", "float", "Origin point longitude (cross-border events only)."),
        Column("origin_precision", "category", "What the origin point stands for.", vocab=GEO_PRECISION,
               example="province"),
        Column("group", "category", "Canonical perpetrator: a `short_name` from `data/groups.csv`; `Unknown` where nobody "
               "is credibly named.", True, example="ISKP"),
        Column("perpetrator_reported", "text", "The perpetrator as the sources name it.", example="Islamic State"),
        Column("attribution", "category", "claimed: the group claimed it, or the state officially and on the record "
               "acknowledged its own strike; attributed: officials or credible investigators named the perpetrator "
               "without a claim (a strike confirmed only by unnamed officials or state media quoting unnamed sources is "
               "attributed); suspected: named only as likely; disputed: a claim was denied or claims conflict; "
               "unclaimed: nobody claimed or was credibly named.", True, ATTRIBUTION, "claimed"),
        Column("claim_detail", "text", "Who claimed or attributed, through which channel, and when.",
               example="IS claimed via Amaq, 12 Dec 2024"),
        Column("attack_type", "category", "Main mode of attack (mapping to GTD and ACLED below).", True, ATTACK_TYPES,
               "bombing"),
        Column("suicide", "bool", "true when a suicide attacker was used, false when sources show none was; blank when "
               "sources do not say.", vocab=BOOLEAN_TEXT, example="true"),
        Column("target_type", "category", "Main target (mapping to GTD and ACLED below).", True, TARGET_TYPES,
               "government"),
        Column("killed_low", "int", "Lowest credible number killed by the perpetrator: everyone it killed except its own "
               "members (victims, and opposing fighters in strikes and clashes; never the attackers or suicide "
               "bombers themselves). Blank when unknown (also when sources give only an upper bound).", example="5"),
        Column("killed_high", "int", "Highest credible number killed, same rule; `killed_low <= killed_high`. Blank when "
               "sources give no upper figure.", example="6"),
        Column("civilians_killed_low", "int", "Lowest credible number of civilians among those killed, where sources "
               "separate civilians; blank otherwise. Never above `killed_low` when both are given.", example="3",
               added="2026-12"),
        Column("civilians_killed_high", "int", "Highest credible number of civilians among those killed; never above "
               "`killed_high` when both are given.", example="4", added="2026-12"),
        Column("wounded_low", "int", "Lowest credible number wounded.", example="4"),
        Column("wounded_high", "int", "Highest credible number wounded; `wounded_low <= wounded_high`.", example="10"),
        Column("description", "text", "One neutral sentence, in the project's own words.", True),
        Column("sources", "text", "One or more http(s) URLs that were read, separated by ` | `.", True),
        Column("notes", "text", "Who reported which figure; doubts; what coarse points stand for."),
        Column("acled_id", "text", "ACLED `event_id_cnty` of the same event, if known."),
        Column("gtd_id", "text", "GTD `eventid` of the same event, if known."),
        Column("ucdp_id", "text", "UCDP GED `id` of the same event, if known."),
        Column("last_checked", "date", "Date on which the row was last verified against its sources.", True,
               example="2026-11-26"),
    ),
)

GROUPS = TableSchema(
    "groups",
    "One row per canonical perpetrator group.",
    (
        Column("short_name", "text", "The name used in `events.group`, in URLs and downloads.", True, example="ISKP"),
        Column("full_name", "text", "Full name.", True, example="Islamic State Khorasan Province"),
        Column("kind", "category", "What kind of actor it is.", True, GROUP_KINDS, "jihadist"),
        Column("parent", "text", "Parent group or lineage (a `short_name` where one exists).", example="IS"),
        Column("lineage", "text", "Lineage in words: splits, mergers, fronts."),
        Column("aliases", "text", "Names used by ACLED, GTD, UCDP and the press, separated by `; `.",
               example="Islamic State (Afghanistan); Khorasan Chapter of the Islamic State"),
        Column("color", "text", "Display colour `#RRGGBB`, from a colour-blind-safe palette.", True, example="#000000"),
    ),
)

MILESTONES = TableSchema(
    "milestones",
    "Political milestones that timelines annotate.",
    (
        Column("date", "date", "Date (YYYY-MM-DD).", True, example="2021-08-15"),
        Column("label", "text", "Short label drawn on charts.", True, example="Fall of Kabul"),
        Column("description", "text", "One line.", True),
        Column("source", "text", "An http(s) URL that was read.", True),
    ),
)

CORRECTIONS = TableSchema(
    "corrections",
    "One row per change to a published events row: the log behind every corrected figure. A row's changes to one field "
    "form a chain, in file order, that ends at the field's current value (`last_checked` is a stamp, not logged).",
    (
        Column("event_id", "text", "The corrected event.", True, example="MM-20210826-AF-1"),
        Column("field", "text", "The events column that changed.", True, example="killed_low"),
        Column("old_value", "text", "The value before the change, exactly as it was in the file."),
        Column("new_value", "text", "The value after the change."),
        Column("date", "date", "When the change was made (YYYY-MM-DD).", True, example="2026-12-02"),
        Column("source", "text", "The URL(s) read that support the new value, separated by ` | `.", True),
        Column("reason", "text", "Why, in a few words (e.g. a later official toll).", True),
    ),
)

RELEASES = TableSchema(
    "releases",
    "The data's release notes: one row per release of the curated table, newest last.",
    (
        Column("release", "text", "Release name (the date it was compiled).", True, example="2026-12-02"),
        Column("date", "date", "Date of the release (YYYY-MM-DD).", True, example="2026-12-02"),
        Column("events", "int", "Events in the table after this release.", True, example="459"),
        Column("added", "int", "Events added by this release.", True, example="67"),
        Column("corrected", "int", "Published events corrected by this release (see corrections.csv).", True,
               example="246"),
        Column("sources_reach", "date", "The latest date the sources read for this release reach.", example="2026-03-25"),
        Column("summary", "text", "What changed, in a sentence or two.", True),
    ),
)

SCHEMAS = {s.name: s for s in (EVENTS, GROUPS, MILESTONES, CORRECTIONS, RELEASES)}

# The columns that filters, charts and the map read. Pages work on these; the long text columns are fetched only for
# the rows on screen or in a download.
CORE_COLUMNS = ("dataset", "event_id", "date", "date_precision", "country", "admin1", "location", "group",
                "attribution", "attack_type", "target_type", "suicide", "killed_low", "killed_high", "civilians_killed_low",
                "civilians_killed_high", "wounded_low",
                "wounded_high", "latitude", "longitude", "geo_precision", "origin_country", "origin_latitude",
                "origin_longitude", "origin_precision")
# Free-text columns become categories when values repeat this much (fewer distinct values than this share of rows).
CATEGORY_RATIO = 0.5
