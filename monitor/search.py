"""Search by the names people use: every word of a query, in any order, in the text, the place or the group's names
(aliases from data/groups.csv: IS-K, Daesh, Pakistani Taliban ...); and group families that expand to their members."""
from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

# Where a word may match, in the order a reason names them.
TEXT_COLUMNS = ("location", "admin1", "admin2", "description", "perpetrator_reported", "claim_detail")
# Transliteration joins that vary between sources (Dasht-e-Barchi, Dasht-i-Barchi, Dashte Barchi): not words.
JOINS = {"e", "i", "al", "ul", "el"}
# Families: their roots, each expanded with every group whose parent chain in groups.csv leads to a root.
FAMILIES = {
    "Islamic State (all)": ("ISKP", "IS (other)", "ISPP"),
    "TTP and factions": ("TTP",),
    "Taliban and Haqqani network": ("Taliban",),
    "Baloch separatists": ("BLA", "BLF", "BRAS", "UBA", "BNA"),
    "State forces": ("Pakistan Armed Forces", "US Forces", "Afghan Govt Forces", "Iran Armed Forces"),
}


def words(query: str) -> list[str]:
    """The words of a query, lower-cased, each once (a hyphenated word stays whole: see parts())."""
    return list(dict.fromkeys(query.lower().split()))


def parts(word: str) -> list[str]:
    """A hyphenated word's parts without the transliteration joins: dasht-i-barchi -> dasht, barchi."""
    pieces = [p for p in re.split(r"[\-‐–—_]+", word) if p and p not in JOINS]
    # Short pieces (IS-K -> is, k) would match almost everything: such a word is only matched whole.
    return pieces if len(pieces) > 1 and all(len(p) >= 3 for p in pieces) else []


@cache
def _groups() -> pd.DataFrame:
    from .load import load_groups

    return load_groups()


def group_names() -> dict[str, list[str]]:
    """Each group's names as people write them: short name, full name and aliases, lower-cased."""
    out = {}
    for row in _groups().to_dict("records"):
        names = [row["short_name"], row["full_name"], *str(row.get("aliases") or "").split(";")]
        out[row["short_name"]] = [n.strip().lower() for n in names if n and n.strip()]
    return out


def family_members(name: str) -> tuple[str, ...]:
    """A family's groups: its roots and every group descending from one of them."""
    parents = dict(zip(_groups()["short_name"], _groups()["parent"].fillna(""), strict=True))
    roots = set(FAMILIES.get(name, ()))

    def descends(group: str, seen: frozenset = frozenset()) -> bool:
        return group in roots or (parents.get(group, "") not in ("", *seen)
                                  and descends(parents[group], seen | {group}))

    return tuple(g for g in parents if descends(g))


def _contains(column: pd.Series, needle: str) -> np.ndarray:
    """Case-insensitive literal substring match; on a categorical column only the distinct values are searched."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        hits = column.cat.categories.astype(str).str.lower().str.contains(needle, regex=False)
        return np.isin(column.cat.codes.to_numpy(), np.flatnonzero(hits))
    return column.astype(str).str.lower().str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)


def _word_hits(frame: pd.DataFrame, groups: pd.Series, word: str) -> dict[str, np.ndarray]:
    """Where one word matches: per text column, and through the group's names."""
    hits = {c: _contains(frame[c], word) for c in TEXT_COLUMNS if c in frame.columns}
    named = [g for g, names in group_names().items() if any(word in n for n in names)]
    hits["group name"] = groups.isin(named).to_numpy(dtype=bool)
    return hits


def _phrase(query: str) -> str | None:
    """The whole query when it is (part of) a group's name of more than one word, else None."""
    phrase = " ".join(words(query))
    named = len(words(query)) > 1 and any(phrase in name for names in group_names().values() for name in names)
    return phrase if named else None


def _any(frame: pd.DataFrame, groups: pd.Series, word: str) -> np.ndarray:
    return np.logical_or.reduce(list(_word_hits(frame, groups, word).values()))


def matches(frame: pd.DataFrame, groups: pd.Series, query: str) -> np.ndarray:
    """Rows in which every word of the query matches somewhere (text, place or group names), in any order; a
    hyphenated word also matches when each of its parts does (so either spelling of a place finds it)."""
    phrase = _phrase(query)
    if phrase:
        # A group's name as people write it (Pakistani Taliban): that group, or the phrase itself in the text.
        return _any(frame, groups, phrase)
    keep = np.ones(len(frame), dtype=bool)
    for word in words(query):
        hit = _any(frame, groups, word)
        if parts(word):
            hit |= np.logical_and.reduce([_any(frame, groups, p) for p in parts(word)])
        keep &= hit
    return keep


def reasons(frame: pd.DataFrame, query: str) -> pd.Series:
    """Why each row matched, e.g. 'daesh: group name (ISKP); kabul: location'."""
    out = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for word in [_phrase(query)] if _phrase(query) else words(query):
        hits = _word_hits(frame, frame["group"], word)
        where = pd.Series([[] for _ in range(len(frame))], index=frame.index)
        for column, hit in hits.items():
            label = f"group name ({'{g}'})" if column == "group name" else column
            for i in np.flatnonzero(hit):
                where.iat[i].append(label.format(g=frame["group"].iat[i]) if column == "group name" else label)
        part = where.map(lambda w, word=word: f"{word}: {', '.join(w)}" if w else "")
        out = out.where(part == "", out + np.where(out == "", "", "; ") + part)
    return out
