"""The run budget of one browser tab (monitor.ratelimit)."""
from __future__ import annotations

import pytest

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
