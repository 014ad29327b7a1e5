"""Comparing how long two kinds of request take, robustly enough for a small shared machine."""

import statistics
import time
from collections.abc import Callable


def median_times(
    tries: dict[str, Callable[[], object]], *, count: int = 20, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Median milliseconds of `count` calls of each, interleaved (the order turns each round) so load hits all alike.

    `clock` is wall time by default; `time.thread_time` counts only this thread's own work (with SQLite, the
    database's too), which other processes on a busy machine cannot disturb.
    """
    times: dict[str, list[float]] = {kind: [] for kind in tries}
    kinds = list(tries)
    for n in range(count):
        for kind in kinds[n % len(kinds) :] + kinds[: n % len(kinds)]:
            start = clock()
            tries[kind]()
            times[kind].append(clock() - start)
    return {kind: statistics.median(values) * 1000 for kind, values in times.items()}


def spread(medians: dict[str, float]) -> float:
    return max(medians.values()) - min(medians.values())


def assert_same_time(
    tries: dict[str, Callable[[], object]],
    *,
    within_ms: float,
    count: int = 20,
    rounds: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """The medians differ by less than `within_ms` in at least one of `rounds` measurements.

    A real difference (a message sent inside the request) shows in every round;
    a burst of load from other work on the machine seldom lasts three.
    """
    seen = []
    for _ in range(rounds):
        medians = median_times(tries, count=count, clock=clock)
        if spread(medians) < within_ms:
            return medians
        seen.append(medians)
    raise AssertionError(f"medians differ by {within_ms} ms or more in every round: {seen}")
