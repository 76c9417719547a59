"""Rerun floods (issue 11, security review probe 5a): a tab over its run budget gets a cheap page, and the flood tool
reports what everyone else saw."""
from __future__ import annotations

import asyncio
import random
import time
import urllib.request

import pytest
from apptest import run_page

from monitor import ratelimit
from monitor.app import frame
from monitor.cli import build_parser
from monitor.devtools.flood import Probe, Run, recovery, report
from monitor.devtools.server import local_server
from monitor.devtools.wsclient import Session, Stats


def throttle_notices(at) -> list[str]:
    return [w.value for w in at.warning if "more page updates than anyone can read" in w.value]


def test_a_tab_over_its_budget_gets_the_notice_and_no_page(monkeypatch):
    # The clock stands still, so the budget earns nothing back: BURST runs are drawn, the next one is not.
    monkeypatch.setattr("monitor.clock.monotonic", lambda: 1000.0)
    at = run_page("app.py", {}, monkeypatch)
    for _ in range(ratelimit.BURST - 1):
        at.run()
        assert not throttle_notices(at) and at.title[0].value == "Overview"
    at.run()
    assert throttle_notices(at) == [frame.THROTTLED.format(burst=ratelimit.BURST, rate=ratelimit.PER_SECOND)]
    assert len(at.title) == 0, "the throttled run must skip the page (that is what makes it cheap)"
    assert at.sidebar.get("page_link"), "the page list stays, so the user can go on"


def test_a_tab_back_under_its_budget_gets_its_page_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("monitor.clock.monotonic", lambda: now[0])
    at = run_page("app.py", {}, monkeypatch)
    for _ in range(ratelimit.BURST):
        at.run()
    assert throttle_notices(at)
    now[0] += 60  # a minute of reading refills the budget
    at.run()
    assert not throttle_notices(at) and at.title[0].value == "Overview"


def p(start, latency, waited=0.0):
    return Probe(start, latency, waited)


@pytest.mark.parametrize(("probes", "expected"), [
    # every probe after the flood's end (t = 15) was fast: recovered at once
    ([p(14.0, 0.1), p(16.0, 0.1)], 0.0),
    # a slow probe during the flood that ended after it: recovered when it ended
    ([p(10.0, 8.0), p(18.5, 0.1)], 3.0),
    # a timeout (None) counts until it gave up
    ([p(16.0, None, 5.0), p(21.0, 0.1)], 6.0),
    # the last probe still failed: not recovered
    ([p(16.0, 0.1), p(20.0, None, 5.0)], None),
    # nothing measured: not recovered
    ([], None),
    # slow probes long before the end do not count
    ([p(1.0, 3.0), p(15.5, 0.2)], 0.0),
])
def test_recovery(probes, expected):
    assert recovery(probes, 15.0, 1.0) == expected


def test_flood_options():
    args = build_parser().parse_args(["flood", "--clients", "10", "--rate", "20", "--seconds", "45", "--after", "60",
                                      "--hello", "--option", "runner.fastReruns=true"])
    assert (args.clients, args.rate, args.seconds, args.after, args.hello, args.option) == (
        10, 20.0, 45.0, 60.0, True, ["runner.fastReruns=true"])


@pytest.mark.parametrize(("health", "user", "tail"), [
    # health slow until 19 s (4 s after the flood's end at 15 s), the user fine: recovered after 4 s
    ([Probe(2.0, 17.0), Probe(19.5, 0.01)], [Probe(16.0, 0.3)], "recovered_after=4.0s"),
    # the user's last rerun timed out: not recovered within the watching time
    ([Probe(2.0, 17.0), Probe(19.5, 0.01)], [Probe(16.0, 0.3), Probe(20.0, None, 30.0)], "not_recovered_within=30s"),
])
def test_report_last_line(health, user, tail):
    run = Run(t0=0.0, health=health, user=user, server=[(1.0, 12, 300.4), (16.0, 30, 310.0)], sent=300)
    lines: list[str] = []
    report(run, "monitor", 1, 20, 15, 30, 0.8, out=lines.append)
    assert lines[-1] == ("app=monitor clients=1 rate=20 seconds=15 sent=300 refused=0 health_worst_during=17.00s "
                         f"user_served_during=0/0 threads_max=30 rss_max=310MB {tail} sigterm_exit=0.8s")


class Listening(Session):
    """A protocol client that keeps the warnings the server sends it."""

    def __init__(self, *args):
        super().__init__(*args)
        self.warnings: list[str] = []

    def _handle(self, msg):
        if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "alert":
            self.warnings.append(msg.delta.new_element.alert.body)
        super()._handle(msg)


async def _flood_then_use(base: str) -> tuple[Listening, Stats]:
    flooder = Listening(base, Stats(), random.Random(0))
    await flooder.load("", "")
    for i in range(4 * ratelimit.BURST):  # far faster than the budget: the tab must be throttled
        flooder.query = f"year={2015 + i % 10}"
        await flooder.ws.send(flooder.rerun_message(page_hash=flooder.page_hash))
        await asyncio.sleep(0.02)
    deadline = time.monotonic() + 60
    while not any("more page updates" in w for w in flooder.warnings) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    other_stats = Stats()
    other = Session(base, other_stats, random.Random(1))
    await other.load("timeline", "")
    await other.rerun(page_hash=other.pages[""])
    await flooder.close()
    await other.close()
    return flooder, other_stats


@pytest.mark.browser
def test_a_flooding_tab_is_throttled_and_others_are_served(tmp_path):
    with local_server(log=tmp_path / "server.log") as (base, _pid):
        flooder, other = asyncio.run(_flood_then_use(base))
        with urllib.request.urlopen(base + "/_stcore/health", timeout=30) as resp:
            assert resp.status == 200
    assert any("more page updates than anyone can read" in w for w in flooder.warnings)
    assert other.errors == [] and len(other.reruns) == 2, "the other user's page and page switch both finished"
