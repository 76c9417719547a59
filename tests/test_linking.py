"""Linking across datasets: by id, by nearness, via the curated hub; and the disagreements table."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURES, reference

from monitor import linking, load_events, load_groups
from monitor.importers import import_frame, read_table
from monitor.load import typed


@pytest.fixture(scope="module")
def groups():
    return load_groups()


def dataset(result, name):
    frame = typed(result.events)
    frame.insert(0, "dataset", name)
    return frame


def combined(*frames):
    out = pd.concat(frames, ignore_index=True)
    out["dataset"] = out["dataset"].astype(str)
    return out


@pytest.fixture
def fixture_events(small_events, groups):
    gtd = import_frame(read_table((FIXTURES / "gtd_small.csv").read_bytes(), "gtd.csv"), groups)
    ucdp = import_frame(read_table((FIXTURES / "ucdp_export_small.csv").read_bytes(), "ucdp.csv"), groups)
    return combined(small_events, dataset(gtd, "gtd"), dataset(ucdp, "ucdp"))


@pytest.mark.parametrize("a,b,ok,reason", [
    ("ISKP", "ISKP", True, "same group"),
    ("JuA", "TTP", True, "a faction and its parent"),
    ("ISKP", "Unknown", True, "one side unattributed"),
    ("BLA", "Other", True, "one side an unmapped actor"),
    ("BLA", "TTP", False, "different groups"),
])
def test_compatible_groups(groups, a, b, ok, reason):
    assert linking.compatible(a, b, linking.family(groups)) is ok, reason


def test_near_links_need_date_place_and_group(fixture_events, groups):
    pairs = linking.link(fixture_events, groups)
    got = {(a, b, how) for a, b, how in zip(pairs["id_a"], pairs["id_b"], pairs["how"], strict=True)}
    # T-5 (BLA, Quetta, 9 Nov 2024) ~ GTD (BLA, Quetta, 10 Nov) and UCDP (IS, Quetta, 9 Nov): the UCDP record's group
    # is not compatible with BLA, so only GTD links to T-5; GTD and UCDP do not link to each other either.
    assert ("GTD-202411100001", "T-5", "near (date, place, group)") in got
    assert not any("UCDP-990001" in (a, b) and "T-5" in (a, b) for a, b, _ in got)
    assert ("GTD-202202200004", "UCDP-990002", "near (date, place, group)") in got


def test_disagreements_are_listed(fixture_events, groups):
    pairs = linking.link(fixture_events, groups)
    table = linking.disagreements(pairs, fixture_events).set_index(["id_a", "id_b"])
    row = table.loc[("GTD-202411100001", "T-5")]
    assert (row["date_a"], row["date_b"], row["killed_a"], row["killed_b"]) == ("2024-11-10", "2024-11-09", "32",
                                                                             "26–32")
    assert row["differs"] == "date, killed"


def test_linked_records_side_by_side(fixture_events, groups):
    pairs = linking.link(fixture_events, groups)
    side = linking.linked_records("T-5", pairs, fixture_events)
    assert list(side.columns) == ["T-5", "GTD-202411100001"]
    assert side.loc["date"].tolist() == ["2024-11-09", "2024-11-10"]
    assert side.loc["link"].tolist() == ["this event", "near (date, place, group)"]


def test_no_links_within_one_dataset(small_events, groups):
    assert linking.link(small_events, groups).empty


@pytest.mark.reference
def test_machh_coal_miners_linked_and_date_disagreement_shown(groups):
    # GTD dates the Machh/Pindal Goath killings 2 Jan 2021, UCDP 3 Jan; UCDP's point is ~300 km off, so the pair is
    # tied through the curated event that carries both ids.
    curated = load_events(groups=groups)
    curated.insert(0, "dataset", "curated")
    gtd = import_frame(read_table(reference("gtd_2021H1_afg_pak_irn.csv").read_bytes(), "gtd.csv"), groups)
    ucdp = import_frame(read_table(reference("ucdp_ged_hdx_pakistan_2014-2021.csv").read_bytes(), "u.csv"), groups)
    events = combined(curated, dataset(gtd, "gtd"), dataset(ucdp, "ucdp"))
    pairs = linking.link(events, groups)
    machh = pairs[pairs[["id_a", "id_b"]].isin(["GTD-202101020003", "UCDP-374523"]).all(axis=1)]
    assert len(machh) == 1 and machh["how"].iloc[0] == "via MM-20210103-PK-1"
    table = linking.disagreements(pairs, events)
    row = table[table["id_a"].isin(["GTD-202101020003", "UCDP-374523"])
                & table["id_b"].isin(["GTD-202101020003", "UCDP-374523"])].iloc[0]
    assert {row["date_a"], row["date_b"]} == {"2021-01-02", "2021-01-03"} and "date" in row["differs"]
    side = linking.linked_records("MM-20210103-PK-1", pairs, events)
    assert set(side.loc["date"]) == {"2021-01-02", "2021-01-03"}


def _crowd(n: int) -> pd.DataFrame:
    """n events per dataset on one day and one spot: the input that once made linking quadratic (3.3 GB)."""
    base = dict(latitude=33.6, longitude=73.0, group="TTP", date=pd.Timestamp("2024-01-01"), acled_id="", gtd_id="",
                ucdp_id="")
    rows = [dict(base, event_id=f"{d}-{i}", dataset=d) for d in ("acled:x", "curated") for i in range(n)]
    return pd.DataFrame(rows).astype({"dataset": "category"})


@pytest.mark.parametrize("n,budget,pairs,truncated", [
    (30, 5_000_000, 900, False),  # within budget: every cross-dataset pair is found
    (3000, 5_000_000, 0, True),  # 9 million candidates on one cell: refused up front, and the result says so
    (30, 500, 0, True),  # the budget applies to the count, before any pair is made
])
def test_near_links_are_bounded_whatever_the_input(groups, n, budget, pairs, truncated):
    got = linking.near_links(_crowd(n), groups, budget=budget)
    assert (len(got), got.attrs["truncated"]) == (pairs, truncated)
