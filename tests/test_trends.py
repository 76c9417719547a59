"""Surge and lull alerts: counts per period, the baseline model, false-alarm control, period comparison and the CLI.

Every date is fixed and made up (no clock, no time zone): counts are built per month from tables below.
"""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES
from scipy import stats

from monitor import cli, compare, trends, urlstate

START = "2001-01"


def monthly(series: dict[str, list[int]], start: str = START, killed: tuple[int | None, int | None] = (None, None),
            country: str | None = None) -> pd.DataFrame:
    """Made-up events: per group, a list of counts per month from `start`, each event dated on its month's first day."""
    months = pd.period_range(start, periods=max(len(c) for c in series.values()), freq="M").to_timestamp()
    groups = list(series)
    per = np.array([[counts[i] if i < len(counts) else 0 for counts in series.values()] for i in range(len(months))])
    dates = np.repeat(np.repeat(months.to_numpy(), len(groups)), per.ravel())
    names = np.repeat(np.tile(np.array(groups, dtype=object), len(months)), per.ravel())
    n = len(dates)
    return pd.DataFrame({
        "date": pd.to_datetime(dates), "group": pd.Categorical(names, categories=groups),
        "country": pd.Categorical([country] * n), "admin1": pd.Categorical([None] * n, categories=["P"]),
        "killed_low": pd.array([killed[0]] * n, dtype="Int32"), "killed_high": pd.array([killed[1]] * n, dtype="Int32"),
    })


def row(table: pd.DataFrame, group: str, measure: str = "events", breakdown: str = "group") -> pd.Series | None:
    """The one test of a group and measure in an alerts table, or None when the key was not tested."""
    hits = table[(table["breakdown"] == breakdown) & (table["group"] == group) & (table["measure"] == measure)]
    assert len(hits) <= 1
    return hits.iloc[0] if len(hits) else None


# --- period_counts ------------------------------------------------------------------------------------------------

HAND = pd.DataFrame({
    "date": pd.to_datetime(["2024-01-15", "2024-01-20", "2024-03-02", "2024-04-30"]),
    "group": pd.Categorical(["A", "A", "B", "A"]),
    "country": pd.Categorical(["Pakistan", "Pakistan", "Afghanistan", "Afghanistan"]),
    "admin1": pd.Categorical(["Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa", None, "Kabul"]),
    "killed_low": pd.array([2, 1, None, 3], dtype="Int32"),
    "killed_high": pd.array([5, None, None, 3], dtype="Int32"),
})

COUNTS = [
    # Empty months between events are zero rows for every key; the 2nd event's missing high counts as its low (1),
    # and B's unknown toll counts 0.
    ("M", ["group"], [
        ["2024-01", "A", 2, 3, 6], ["2024-01", "B", 0, 0, 0], ["2024-02", "A", 0, 0, 0], ["2024-02", "B", 0, 0, 0],
        ["2024-03", "A", 0, 0, 0], ["2024-03", "B", 1, 0, 0], ["2024-04", "A", 1, 3, 3], ["2024-04", "B", 0, 0, 0]]),
    ("Q", ["country"], [
        ["2024Q1", "Afghanistan", 1, 0, 0], ["2024Q1", "Pakistan", 2, 3, 6],
        ["2024Q2", "Afghanistan", 1, 3, 3], ["2024Q2", "Pakistan", 0, 0, 0]]),
    # A blank province cannot be placed: B's event is left out of the province breakdown, not counted as a key.
    ("Q", ["admin1"], [
        ["2024Q1", "Kabul", 0, 0, 0], ["2024Q1", "Khyber Pakhtunkhwa", 2, 3, 6],
        ["2024Q2", "Kabul", 1, 3, 3], ["2024Q2", "Khyber Pakhtunkhwa", 0, 0, 0]]),
    ("Y", ["group", "country"], [
        ["2024", "A", "Afghanistan", 1, 3, 3], ["2024", "A", "Pakistan", 2, 3, 6], ["2024", "B", "Afghanistan", 1, 0, 0]]),
    # No key: totals per period.
    ("Y", [], [["2024", 4, 6, 9]]),
]


@pytest.mark.parametrize("freq,by,rows", COUNTS)
def test_period_counts(freq, by, rows):
    got = trends.period_counts(HAND, freq, by)
    assert list(got.columns) == ["period", *by, "events", "killed_low", "killed_high"]
    assert got.astype({"period": str}).values.tolist() == rows


def test_period_counts_weeks_start_on_monday_and_cover_the_range():
    got = trends.period_counts(HAND, "W", ["group"])
    # 2024-01-15 is a Monday; the last event (Tue 2024-04-30) lies in the week of 2024-04-29: 16 weeks x 2 groups.
    assert str(got["period"].iloc[0]) == "2024-01-15/2024-01-21"
    assert str(got["period"].iloc[-1]) == "2024-04-29/2024-05-05"
    assert len(got) == 16 * 2
    assert got[["events", "killed_low", "killed_high"]].sum().tolist() == [4, 6, 9]


def test_period_counts_end_extends_the_range_with_zeros():
    # A period after the last event (e.g. the month being tested) exists as zeros, not as a missing row.
    got = trends.period_counts(HAND, "M", [], end=pd.Period("2024-06", "M"))
    assert got.astype({"period": str})[["period", "events"]].values.tolist()[-2:] == [["2024-05", 0], ["2024-06", 0]]


# --- alerts: false alarms, surges, lulls --------------------------------------------------------------------------

def test_constant_rate_stream_stays_quiet():
    # 200 keys x 60 months at a constant Poisson rate of 4: every alarm is a false one. Each month from the 13th on is
    # tested against its 12 preceding months (48 calls, 9,600 tests).
    rng = np.random.default_rng(20240601)
    counts = rng.poisson(4, size=(200, 60))
    events = monthly({f"k{i:03d}": list(c) for i, c in enumerate(counts)})
    calls = [trends.alerts(events, p, "M") for p in pd.period_range("2002-01", periods=48, freq="M")]
    table = pd.concat(calls)
    assert len(table) == 48 * 200 and set(table["measure"]) == {"events"}
    raw = (table["p_value"] < 0.05).mean()
    assert 0.01 <= raw <= 0.08, raw
    # Under a global null, BH flags anything in at most alpha of the calls: about 2 of 48 at worst.
    assert table["flagged"].sum() <= 3


INJECTED = [
    # reason, baseline rate, observed in the tested month, direction expected
    ("a surge from 4 to 20 a month", 4, 20, "surge"),
    ("a lull from 20 a month to none", 20, 0, "lull"),
]


@pytest.mark.parametrize("reason,rate,observed,direction", INJECTED, ids=[r[0] for r in INJECTED])
def test_injected_change_is_flagged(reason, rate, observed, direction):
    # 199 quiet keys at rate 4 keep the BH adjustment honest: the injected key must stand out among 200 tests.
    rng = np.random.default_rng(7)
    series = {f"k{i:03d}": list(rng.poisson(4, 13)) for i in range(199)}
    series["hot"] = list(rng.poisson(rate, 12)) + [observed]
    table = trends.alerts(monthly(series), pd.Period("2002-01", "M"), "M")
    hit = row(table, "hot")
    assert (hit["direction"], bool(hit["flagged"])) == (direction, True)
    assert hit["q_value"] < 0.05
    assert table["flagged"].sum() == 1


TINY = [
    # reason, 12 baseline months, observed, tested
    ("all zeros then one event: a zero mean would make one event 'impossible'", [0] * 12, 1, False),
    ("one event in a year then three", [0] * 11 + [1], 3, False),
    ("four baseline events: still under the minimum of five", [1, 1, 1, 1] + [0] * 8, 6, False),
    ("five baseline events: tested, and two events is no surge", [1] * 5 + [0] * 7, 2, True),
]


@pytest.mark.parametrize("reason,baseline,observed,tested", TINY, ids=[t[0] for t in TINY])
def test_tiny_baseline_does_not_alarm(reason, baseline, observed, tested):
    # A steady neighbour (3 a month) makes the data's coverage begin in Jan 2001, so the tiny key's empty months are
    # real zeros, as they are for a rare group in the curated table.
    events = monthly({"steady": [3] * 13, "tiny": baseline + [observed]})
    table = trends.alerts(events, pd.Period("2002-01", "M"), "M")
    hit = row(table, "tiny")
    assert (hit is not None) == tested
    assert not table["flagged"].any()


def _nbinom_mom(values):
    """The method-of-moments negative binomial of a baseline, as (r, p)."""
    mean, var = np.mean(values), np.var(values, ddof=1)
    return mean**2 / (var - mean), mean / var


KNOWN = [
    # reason, baseline, observed, model, expected, (low, high), p-value
    ("constant 10: Poisson(10), the textbook interval", [10] * 12, 10, "poisson", 10.0,
     stats.poisson.interval(0.95, 10), 1.0),
    ("constant 10, 20 observed: upper tail doubled", [10] * 12, 20, "poisson", 10.0,
     stats.poisson.interval(0.95, 10), 2 * stats.poisson.sf(19, 10)),
    ("constant 10, 2 observed: lower tail doubled", [10] * 12, 2, "poisson", 10.0,
     stats.poisson.interval(0.95, 10), 2 * stats.poisson.cdf(2, 10)),
    ("9 and 11 alternate: variance 1.09 < mean, still Poisson", [9, 11] * 6, 10, "poisson", 10.0,
     stats.poisson.interval(0.95, 10), 1.0),
    ("5 and 15 alternate: variance 27.3 > mean, negative binomial by moments", [5, 15] * 6, 30, "negbin", 10.0,
     stats.nbinom.interval(0.95, *_nbinom_mom([5, 15] * 6)), 2 * stats.nbinom.sf(29, *_nbinom_mom([5, 15] * 6))),
]


@pytest.mark.parametrize("reason,baseline,observed,model,expected,interval,p_value", KNOWN, ids=[k[0] for k in KNOWN])
def test_known_values(reason, baseline, observed, model, expected, interval, p_value):
    table = trends.alerts(monthly({"k": baseline + [observed]}), pd.Period("2002-01", "M"), "M")
    hit = row(table, "k")
    assert (hit["model"], hit["observed"], hit["expected"]) == (model, observed, pytest.approx(expected))
    assert (hit["expected_low"], hit["expected_high"]) == interval
    assert hit["p_value"] == pytest.approx(p_value, rel=1e-12)


SINCE = [
    # reason, 24 months of history, observed in month 25, highest_since, lowest_since
    ("a higher month 22 months back", [1, 1, 9] + [1] * 21, 8, "2001-03-01", None),
    ("an equal month counts: 'highest since' means at least as high", [1, 8] + [1] * 22, 8, "2001-02-01", None),
    ("never as high: highest ever", [1] * 24, 30, "ever", None),
    ("a lull to zero, last seen 23 months back", [10, 0] + [10] * 22, 0, None, "2001-02-01"),
    ("a lull lower than any month before: lowest ever", [10] * 24, 1, None, "ever"),
]


@pytest.mark.parametrize("reason,history,observed,highest,lowest", SINCE, ids=[s[0] for s in SINCE])
def test_highest_and_lowest_since(reason, history, observed, highest, lowest):
    table = trends.alerts(monthly({"k": history + [observed]}), pd.Period("2003-01", "M"), "M")
    hit = row(table, "k")
    # Not applicable is missing (None or NaN, as the column's dtype has it).
    assert [None if pd.isna(v) else v for v in hit[["highest_since", "lowest_since"]]] == [highest, lowest]


SEASONAL = [
    # Every March holds 30 events, every other month 2. Against the last 12 months (one March among them, so
    # overdispersed) March is a surge, just under p = 0.05; against the three earlier Marches it is ordinary.
    (False, 30 / 12 + 11 * 2 / 12, "surge", "negbin", True),
    (True, 30.0, "", "poisson", False),
]


@pytest.mark.parametrize("seasonal,expected,direction,model,flagged", SEASONAL)
def test_seasonal_baseline(seasonal, expected, direction, model, flagged):
    year = [2, 2, 30] + [2] * 9
    table = trends.alerts(monthly({"k": year * 3 + [2, 2, 30]}), pd.Period("2004-03", "M"), "M", seasonal=seasonal)
    hit = row(table, "k")
    assert (hit["expected"], hit["direction"], hit["model"], hit["flagged"]) == (
        pytest.approx(expected), direction, model, flagged)


def test_killed_measures_and_breakdowns_are_tested_together():
    # Two events of 3-5 killed a month for a year, then ten: three measures in each of group, country and the
    # group-country pair (no province: admin1 is blank), all adjusted together.
    events = monthly({"k": [2] * 12 + [10]}, killed=(3, 5), country="Pakistan")
    table = trends.alerts(events, pd.Period("2002-01", "M"), "M")
    assert table[["breakdown", "measure", "observed"]].values.tolist() == [
        [b, m, o] for b in ("group", "country", "group_country")
        for m, o in (("events", 10), ("killed_low", 30), ("killed_high", 50))]
    assert table["q_value"].tolist() == pytest.approx(stats.false_discovery_control(table["p_value"]).tolist())
    assert table["flagged"].all()


ERRORS = [
    # reason, keyword arguments, message
    ("12 baseline months need a year of data before the period", dict(period=pd.Period("2001-12", "M")),
     "baseline periods"),
    ("a seasonal baseline needs three earlier years", dict(period=pd.Period("2003-03", "M"), seasonal=True),
     "at least 3 earlier"),
    ("a year has no season", dict(period=pd.Period("2004", "Y"), freq="Y", seasonal=True), "shorter than a year"),
    ("a month is not a quarter", dict(period=pd.Period("2004-03", "M"), freq="Q"), "not of frequency"),
    ("days are not a supported frequency", dict(period="2004-03-01", freq="D"), "freq must be one of"),
    ("a one-period baseline has no variance", dict(baseline=1), "at least 2"),
    ("a zero minimum would alarm on any event after an empty baseline", dict(min_baseline_events=0), "at least 1"),
]


@pytest.mark.parametrize("reason,kwargs,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_alerts_refuses(reason, kwargs, message):
    events = monthly({"k": [3] * 48})
    args = {"period": pd.Period("2004-06", "M"), "freq": "M", **kwargs}
    with pytest.raises(ValueError, match=message):
        trends.alerts(events, args.pop("period"), args.pop("freq"), **args)


def test_no_events_no_tests():
    assert trends.alerts(monthly({"k": [0] * 24}), pd.Period("2002-06", "M"), "M").empty


# --- compare_periods ----------------------------------------------------------------------------------------------

PAIR = pd.DataFrame({
    "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-10", "2024-01-11",
                            "2024-01-12", "2024-01-13", "2024-01-14", "2024-01-15", "2024-01-20",
                            "2024-02-01", "2024-01-02", "2024-01-18"]),
    "group": pd.Categorical(["A", "A", "A", "A", "B", "B", "B", "B", "B", "C", "D", "D"]),
    "killed_low": pd.array([1, 1, 1, 4, 0, 0, 0, 0, 0, 9, None, 2], dtype="Int32"),
    "killed_high": pd.array([2, 2, 2, None, 1, 1, 1, 1, 1, 9, None, 3], dtype="Int32"),
})
JAN_A, JAN_B = ("2024-01-01", "2024-01-10"), ("2024-01-11", "2024-01-20")

COMPARE = [
    # Ten days each, so the test is Binomial(n, 1/2): A 3 vs 1 -> p = P(0,1,3,4 of 4) = 10/16; B 0 vs 5 -> 2/32;
    # D 1 vs 1 -> 1. C's only event lies outside both ranges, so C has no row. BH over the three: 0.1875, 0.9375, 1.
    (["group"], JAN_A, JAN_B, [
        ["A", 3, 1, -2, 3, 4, 1, 6, 4, -2, 0.625, 0.9375],
        ["B", 0, 5, 5, 0, 0, 0, 0, 5, 5, 0.0625, 0.1875],
        ["D", 1, 1, 0, 0, 2, 2, 0, 3, 3, 1.0, 1.0]]),
    # No key: totals 4 vs 7 of 11 at 1/2: p = 2 * (1 + 11 + 55 + 165 + 330) / 2048.
    ([], JAN_A, JAN_B, [[4, 7, 3, 3, 6, 3, 6, 12, 6, 1124 / 2048, 1124 / 2048]]),
    # One day against four (Jan 2-5), so Binomial(n, 1/5). A: 1 vs 1 of 2, P(X=1) = 0.32 and P(X=2) = 0.04 are the
    # outcomes no likelier than the one seen: p = 0.36. D: 0 vs 1 of 1, the likeliest outcome: p = 1. BH: 0.72, 1.
    (["group"], ("2024-01-01", "2024-01-01"), ("2024-01-02", "2024-01-05"), [
        ["A", 1, 1, 0, 1, 1, 0, 2, 2, 0, 0.36, 0.72],
        ["D", 0, 1, 1, 0, 0, 0, 0, 0, 0, 1.0, 1.0]]),
]


@pytest.mark.parametrize("by,a,b,rows", COMPARE)
def test_compare_periods(by, a, b, rows):
    got = compare.compare_periods(PAIR, a, b, by)
    assert list(got.columns) == [*by, "events_a", "events_b", "events_change", "killed_low_a", "killed_low_b",
                                 "killed_low_change", "killed_high_a", "killed_high_b", "killed_high_change",
                                 "p_value", "q_value"]
    assert got.values.tolist() == [[pytest.approx(v) if isinstance(v, float) else v for v in r] for r in rows]


@pytest.mark.parametrize("a,b,message", [
    (("2024-01-01", "2024-01-10"), ("2024-01-10", "2024-01-20"), "overlap"),  # Jan 10 would count in both
    (("2024-01-10", "2024-01-01"), ("2024-02-01", "2024-02-02"), "backwards"),
])
def test_compare_periods_refuses(a, b, message):
    with pytest.raises(ValueError, match=message):
        compare.compare_periods(PAIR, a, b, ["group"])


# --- labels and the command line ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,label,freq", [
    ("2024-03", "2024-03", "M"), ("2024-3", "2024-03", "M"), ("2024-Q1", "2024-Q1", "Q"), ("2024q4", "2024-Q4", "Q"),
    ("2024", "2024", "Y"),
])
def test_parse_period(text, label, freq):
    period, got_freq = trends.parse_period(text)
    assert (trends.period_label(period), got_freq) == (label, freq)


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "24-03", "2024-W01", "2024-Q5", ""])
def test_parse_period_refuses(text):
    with pytest.raises(ValueError, match="not a month"):
        trends.parse_period(text)


@pytest.mark.parametrize("text,params", [
    ("country=Pakistan", {"country": ["Pakistan"]}),
    ("?group=ISKP,TTP&year=2021-2024", {"group": ["ISKP,TTP"], "year": ["2021-2024"]}),
    ("http://localhost:8501/events?group=ISKP&q=a%20b", {"group": ["ISKP"], "q": ["a b"]}),
    ("group=ISKP&group=TTP", {"group": ["ISKP", "TTP"]}),  # every value kept, as the app's URL reader does
    ("figure=", {"figure": [""]}),  # blank values are kept (and then dropped with a notice, as in the app)
    ("", {}),
])
def test_query_strings_are_read_as_the_app_reads_its_url(text, params):
    assert urlstate.from_query_string(text) == params


def write_fixture(path):
    """A small events file in the curated schema (made up): TTP in Pakistan surges, ISKP in Kabul holds steady.

    TTP: 10 events in Jan 2002, none until 2003, one a month through 2003, then 8 in Jan 2004 (2 killed each,
    no high figure). ISKP: 2 a month from Jan 2003 to Jan 2004 (1-3 killed each). Dates lie long past, so the
    validator's no-future-dates check cannot depend on the clock.
    """
    with (FIXTURES / "events_small.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, {r["event_id"]: r for r in reader}
    templates = {"TTP": (rows["T-3"], 2, ""), "ISKP": (rows["T-1"], 1, 3)}
    plan = [("TTP", "2002-01", 10)] + [("TTP", f"2003-{m:02d}", 1) for m in range(1, 13)] + [("TTP", "2004-01", 8)]
    plan += [("ISKP", f"2003-{m:02d}", 2) for m in range(1, 13)] + [("ISKP", "2004-01", 2)]
    out = []
    for group, month, n in plan:
        template, low, high = templates[group]
        for day in range(1, n + 1):
            out.append({**template, "event_id": f"T-{len(out) + 1}", "date": f"{month}-{day:02d}", "killed_low": low,
                        "killed_high": high, "wounded_low": "", "wounded_high": "", "last_checked": "2005-01-01"})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    return path


HEADER = ("period,breakdown,group,country,province,measure,observed,expected,expected_low,expected_high,direction,"
          "p_value,q_value,flagged,highest_since,lowest_since,model")
# The keys of the fixture in output order, and which profile their rows follow.
KEYS = [("group", "ISKP", "", "", "steady"), ("group", "TTP", "", "", "surge"),
        ("country", "", "Afghanistan", "", "steady"), ("country", "", "Pakistan", "", "surge"),
        ("province", "", "Afghanistan", "Kabul", "steady"), ("province", "", "Pakistan", "Khyber Pakhtunkhwa", "surge"),
        ("group_country", "ISKP", "Afghanistan", "", "steady"), ("group_country", "TTP", "Pakistan", "", "surge")]
# measure, observed, expected (a constant baseline: Poisson), direction, flagged, highest_since
PROFILES = {
    "steady": [("events", 2, 2, "", "false", ""), ("killed_low", 2, 2, "", "false", ""),
               ("killed_high", 6, 6, "", "false", "")],
    # Jan 2002's 10 events and 20 killed are the last months at least as high as Jan 2004's 8 events and 16 killed.
    "surge": [("events", 8, 1, "surge", "true", "2002-01-01"), ("killed_low", 16, 2, "surge", "true", "2002-01-01"),
              ("killed_high", 16, 2, "surge", "true", "2002-01-01")],
}


def expected_rows(profiles: set[str], country: str | None = None) -> list[list[str]]:
    """The CSV rows (without p and q) the fixture should give for the keys of some profiles (and one country)."""
    out = []
    for breakdown, group, ctry, province, profile in KEYS:
        if profile not in profiles or (country and ctry not in ("", country)):
            continue
        for measure, observed, mean, direction, flagged, since in PROFILES[profile]:
            low, high = (int(v) for v in stats.poisson.interval(0.95, mean))
            out.append(["2004-01", breakdown, group, ctry, province, measure, str(observed), repr(float(mean)),
                        str(low), str(high), direction, flagged, since, "", "poisson"])
    return out


QUERIES = [
    # reason, --query, profiles kept, country kept
    ("no query: every event", "", {"steady", "surge"}, None),
    ("a country: only Pakistan's events and keys", "country=Pakistan", {"surge"}, "Pakistan"),
    ("a pasted URL with a year: the year is ignored, the group kept", "http://localhost:8501/?group=TTP&year=2004",
     {"surge"}, None),
    ("another country, written lower-case as a URL may have it", "?country=afghanistan", {"steady"}, "Afghanistan"),
]


@pytest.mark.parametrize("reason,query,profiles,country", QUERIES, ids=[q[0] for q in QUERIES])
def test_cli_writes_alerts(tmp_path, capsys, reason, query, profiles, country):
    events = write_fixture(tmp_path / "events.csv")
    out = tmp_path / "alerts.csv"
    assert cli.main(["alerts", "--period", "2004-01", "--events", str(events), "--query", query, "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    rows = list(csv.reader(lines[1:]))
    # p and q (columns 11 and 12) are checked against scipy below; every other cell exactly.
    assert [r[:11] + r[13:] for r in rows] == expected_rows(profiles, country)
    for r in rows:
        observed, mean = int(r[6]), float(r[7])
        tails = stats.poisson.cdf(observed, mean), stats.poisson.sf(observed - 1, mean)
        assert float(r[11]) == pytest.approx(min(1.0, 2 * min(tails)))
    # BH ran over exactly the tests in this file.
    assert [float(r[12]) for r in rows] == pytest.approx(list(stats.false_discovery_control([float(r[11]) for r in rows])))
    if "year" in query:
        assert "year: ignored" in capsys.readouterr().err


def test_cli_reads_monitor_events_like_the_app(tmp_path, monkeypatch):
    # Without --events the command reads $MONITOR_EVENTS, as the app does.
    monkeypatch.setenv("MONITOR_EVENTS", str(write_fixture(tmp_path / "events.csv")))
    out = tmp_path / "alerts.csv"
    assert cli.main(["alerts", "--period", "2004-01", "--query", "country=Pakistan", "--out", str(out)]) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()[1:]))
    assert [r[:11] + r[13:] for r in rows] == expected_rows({"surge"}, "Pakistan")


CLI_ERRORS = [
    # reason, extra arguments, exit code, message on stderr
    ("a period that is no month, quarter or year", ["--period", "2004-13"], 2, "not a month"),
    ("too little history for a 12-month baseline", ["--period", "2002-06"], 2, "baseline periods"),
    ("too few years for a seasonal baseline", ["--period", "2004-01", "--seasonal"], 2, "earlier years"),
]


@pytest.mark.parametrize("reason,args,code,message", CLI_ERRORS, ids=[c[0] for c in CLI_ERRORS])
def test_cli_refuses(tmp_path, capsys, reason, args, code, message):
    events = write_fixture(tmp_path / "events.csv")
    out = tmp_path / "alerts.csv"
    assert cli.main(["alerts", "--events", str(events), "--out", str(out), *args]) == code
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_expected_band_is_the_alert_models_interval():
    # A constant baseline of 10 a period: the band is Poisson(10)'s central 95% from the 13th period on.
    from scipy import stats

    counts = pd.Series([10] * 15, index=pd.period_range("2024-01", periods=15, freq="M").to_timestamp())
    band = trends.expected_band(counts)
    low, high = stats.poisson.interval(0.95, 10)
    assert len(band) == 3 and (band["expected"] == 10).all()
    assert (band["expected_low"] == low).all() and (band["expected_high"] == high).all()
    assert trends.expected_band(counts.head(12)).empty  # no period has 12 before it
