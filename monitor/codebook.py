"""The codebook (data/README.md), generated from the schema so that it cannot drift from it."""
from __future__ import annotations

from .importers import FORMATS, MAX_ROWS, MAX_UPLOAD_BYTES
from .importers.mappings import ACLED_ATTACK, ACLED_INTER_TARGET, GTD_ATTACK, GTD_TARGET
from .schema import CORRECTIONS, EVENTS, GROUPS, MILESTONES, RELEASES, TableSchema

INTRO = """# Codebook: the curated data

This file is generated from `monitor/schema.py` by `python -m monitor codebook --write`; a test fails when it
differs from the schema. Validate any file against it with `python -m monitor validate FILE`.

Files in this folder:

| file | what it is |
| --- | --- |
| `events.csv` | the curated events table, one row per event |
| `groups.csv` | canonical perpetrator groups, their aliases in ACLED, GTD and UCDP, and display colours |
| `milestones.csv` | political milestones drawn on timelines |
| `corrections.csv` | every change to a published events row: old and new value, date, source, reason |
| `releases.csv` | the data's release notes: what each release added and corrected |
| `places.csv` | sourced Kabul and Kandahar places (sites, neighbourhoods) used for points and map labels |
| `boundaries/` | simplified country, province and district boundaries for the offline map (see its README) |

## Which events are in: the inclusion rule

The table is a curated selection, not a census: a count on any page counts the events this rule admits. An event is
in when sources read for it place it in Afghanistan or Pakistan, or it is an attack by ISKP or another Islamic State
branch in Iran, Russia, Central Asia or Turkey, and it is one of these:

- any attack claimed by or attributed to ISKP or another Islamic State branch, whatever its toll;
- any cross-border strike, shelling or clash between the armed forces or border forces of two states, or across
  the Durand Line, the Iranian or the Tajik border, whatever its toll;
- any attack on officials, foreigners, diplomats, journalists, schools, polio teams, religious or minority sites,
  whatever its toll;
- any other militant attack or clash in which at least 3 people were killed (the perpetrator's own members not
  counted), or a state operation reported as a single named event with a stated toll.

Sources for 2026 reach only into late March 2026; later events are not in the table yet.

## What a surge means in a curated selection

The Trends page, the Overview's alerts and `python -m monitor alerts` compare a period's count of events (and of the
killed, low and high) with the 12 periods before it, for every group, country, province and group-country pair. A
q-value below 0.05 flags a change: among flagged rows, about one in twenty may still be chance. Because this table
admits events by the inclusion rule above, a surge is a surge in the events the rule admits, and a change in what the
sources report, or in what was curated, moves the counts the same way. Weeks are not offered: a selection of
significant events has too few per week for a baseline to mean anything.

## Rules every events row follows

- Nothing is invented. Every row cites at least one source URL that was read; numbers, dates and places come from
  those sources. What was not found stays blank.
- Where sources differ, the casualty columns hold the range (`low` = smallest credible figure, `high` = largest)
  and `notes` says who reported what. The latest official, hospital, UN (UNAMA) or inquiry figure is looked for:
  early tolls rise.
- **One rule for the dead.** `killed_*` counts everyone the perpetrator (`group`) killed except its own members:
  victims, and opposing fighters in strikes and clashes. Attackers and suicide bombers who died are never counted.
  In a state strike, each side's claim is part of the range (the strike's side claims militants killed, the other
  side reports civilians) and `notes` says who said what. In a two-sided clash, `group` is the side that attacked
  first per the sources; its own dead go only into `notes`. `civilians_killed_*` holds the civilians among the dead
  where sources separate them, so a page can show civilians only. Unknown figures are blank, never zero.
- **Claims.** A state's official, on-the-record acknowledgement of its own strike is `claimed`; a strike confirmed
  only by unnamed officials is `attributed`.
- Coordinates come from a gazetteer (GeoNames; the sourced Kabul/Kandahar places list; label points of the shipped
  boundaries) or from a source that states them, named in `geo_source`. `geo_precision` says what the point stands
  for: a `province` point is the province's label point, never the event site, and maps draw such points differently.
  An event is placed where it happened, not where it was aimed.
- `group` is the perpetrator the sources name. A claim made in the Islamic State's name is coded `ISKP` or `ISPP` only
  when sources link it to that province; otherwise it is `IS (other)`, and `perpetrator_reported` keeps the wording.
  `Unknown` means nobody claimed and nobody was credibly named.
- Descriptions are neutral and written for this table.
- `event_id` is assigned once and never changes or gets reused, even when a date or country is corrected.
- Rows are re-checked against their sources from time to time; `last_checked` records the date. Every change to a
  published row is logged in `corrections.csv`, and `python -m monitor validate data/corrections.csv` checks that
  each field's chain of changes ends at its current value.
"""


def _table(schema: TableSchema) -> str:
    lines = [f"## `{schema.name}` columns", "", schema.doc, "",
             "| column | type | required | allowed values | meaning | example |", "| --- | --- | --- | --- | --- | --- |"]
    for col in schema.columns:
        vocab = ", ".join(f"`{v}`" for v in col.vocab) if col.vocab and len(col.vocab) <= 20 else ""
        example = f"`{col.example}`" if col.example else ""
        lines.append(f"| `{col.name}` | {col.kind} | {'yes' if col.required else ''} | {vocab} | "
                     f"{col.doc.replace('|', '/')} | {example} |")
    return "\n".join(lines)


def _mapping(title: str, mapping: dict, source: str, ours: str) -> str:
    lines = [f"### {title}", "", f"| {source} | {ours} |", "| --- | --- |"]
    lines += [f"| {k} | `{v}` |" for k, v in mapping.items()]
    return "\n".join(lines)


def _importer_tables() -> str:
    lines = ["## Importing ACLED, GTD and UCDP GED exports", "",
             "`python -m monitor import FILE --out OUT.csv` (or the Data page) converts an export into this schema. "
             "Every row is kept or rejected with a stated reason; actor names that match no alias in `groups.csv` "
             "are kept under the group `Other` with the name in `perpetrator_reported`, and listed. Sources are the "
             "dataset's site; the dataset's own source names go to `notes`. Uploads are limited to "
             f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} rows.", ""]
    for fmt, rows in FORMATS.items():
        lines += [f"### {fmt.upper()}", "", "| source column | canonical column | how |", "| --- | --- | --- |"]
        lines += [f"| `{src}` | {dst} | {how} |" for src, dst, how in rows]
        lines.append("")
    return "\n".join(lines)


def render() -> str:
    """The whole codebook as Markdown."""
    parts = [
        INTRO,
        _table(EVENTS),
        _table(GROUPS),
        _table(MILESTONES),
        _table(CORRECTIONS),
        _table(RELEASES),
        "## How the vocabularies map onto GTD and ACLED",
        "",
        "`suicide` is a separate column, so GTD's `suicide` flag and ACLED's *Suicide bomb* map onto `bombing` with "
        "`suicide = true`. State air strikes and shelling have no GTD type (GTD does not record state actions).",
        "",
        _mapping("Attack type from GTD `attacktype1_txt`", GTD_ATTACK, "GTD", "attack_type"),
        "",
        _mapping("Attack type from ACLED `sub_event_type`", ACLED_ATTACK, "ACLED", "attack_type"),
        "",
        _mapping("Target type from GTD `targtype1_txt`", GTD_TARGET, "GTD", "target_type"),
        "",
        _mapping("Target type from ACLED `inter2` (kind of the second actor)", ACLED_INTER_TARGET, "ACLED inter2",
                 "target_type"),
        "",
        _importer_tables(),
    ]
    return "\n".join(parts)
