"""How often one browser tab may run a page: a token bucket, pure, with the time passed in."""
from __future__ import annotations

from dataclasses import dataclass

# A person changing filters stays below this; a script sending reruns in a loop does not. Ten runs at once covers
# fast clicking through a multiselect, and two a second is more than anyone reads a page in. Each run of a burst
# costs a full page, so the burst is what a flood costs the others at its start (`python -m monitor flood`).
BURST = 10
PER_SECOND = 2.0
# A tab over its budget waits at most this long before its (cheap) turn.
MAX_WAIT_S = 1.0


@dataclass(frozen=True)
class Budget:
    """Runs a tab may still start at once, as of a moment (monotonic seconds)."""

    tokens: float
    at: float


def take(budget: Budget | None, now: float, burst: int = BURST, per_second: float = PER_SECOND) -> tuple[Budget, float]:
    """Spend one run: the budget after it, and how many seconds the run should wait first (0 within the budget)."""
    if budget is None:
        budget = Budget(float(burst), now)
    tokens = min(float(burst), budget.tokens + max(0.0, now - budget.at) * per_second)
    if tokens >= 1:
        return Budget(tokens - 1, now), 0.0
    wait = min(MAX_WAIT_S, (1 - tokens) / per_second)
    return Budget(tokens + wait * per_second - 1, now + wait), wait
