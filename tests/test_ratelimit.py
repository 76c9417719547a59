"""The run budget of one browser tab (monitor.ratelimit) and the flood test's recovery time (devtools.flood)."""
from __future__ import annotations

import pytest

from monitor.devtools.flood import Probe, recovery
from monitor.ratelimit import Budget, take


@pytest.mark.parametrize(("budget", "now", "expected"), [
    # a new tab starts with the whole burst
    (None, 100.0, (Budget(9.0, 100.0), 0.0)),
    # the last run of the burst goes through at once
    (Budget(1.0, 100.0), 100.0, (Budget(0.0, 100.0), 0.0)),
    # an empty budget: wait half a second (two a second), and nothing is left after the run
    (Budget(0.0, 100.0), 100.0, (Budget(0.0, 100.5), 0.5)),
    # half a token already earned: wait a quarter of a second
    (Budget(0.0, 100.0), 100.25, (Budget(0.0, 100.5), 0.25)),
    # a pause refills the bucket, never above the burst
    (Budget(0.0, 100.0), 200.0, (Budget(9.0, 200.0), 0.0)),
    # a clock that went back (another process's monotonic value) earns nothing
    (Budget(0.0, 100.0), 50.0, (Budget(0.0, 50.5), 0.5)),
])
def test_take(budget, now, expected):
    assert take(budget, now) == expected


def test_a_loop_of_reruns_gets_two_a_second_after_its_burst():
    # Requests always waiting (a flood): 100 runs take 10 at once, then half a second each, however fast they come.
    budget, clock, waits = None, 0.0, []
    for _ in range(100):
        budget, wait = take(budget, clock)
        clock += wait
        waits.append(wait)
    assert waits == [0.0] * 10 + [0.5] * 90


def test_a_person_clicking_once_a_second_never_waits():
    budget = None
    for second in range(600):
        budget, wait = take(budget, float(second))
        assert wait == 0.0


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
