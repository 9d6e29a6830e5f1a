"""Figures of one measured run: percentiles, throughput, and ratios to a reference run."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile with linear interpolation between the closest ranks (numpy's
    default, "type 7"): 0 gives the smallest value, 100 the largest. NaN for no values."""
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    below = math.floor(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


@dataclass
class Sample:
    """What the load generator saw of one run of one endpoint at one concurrency."""

    seconds: float  # the measured window
    latencies: list[float] = field(default_factory=list)  # of the responses that were expected
    statuses: Counter = field(default_factory=Counter)  # every response; 0 = no response
    errors: int = 0  # responses with another status than expected, and failed connections
    response_bytes: int = 0
    client_cpu_seconds: float = 0.0  # the load generator's own CPU time during the window
    outcomes: Counter = field(default_factory=Counter)  # e.g. claimed / queue empty

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def summarise(sample: Sample) -> dict:
    """The figures of the report, in seconds and requests per second."""
    done = len(sample.latencies)
    figures = {
        "requests": sample.requests,
        "ok": done,
        "errors": sample.errors,
        "statuses": {str(code): count for code, count in sorted(sample.statuses.items())},
        "seconds": round(sample.seconds, 3),
        "rps": done / sample.seconds if sample.seconds > 0 else 0.0,
        "mean": sum(sample.latencies) / done if done else math.nan,
        "max": max(sample.latencies) if done else math.nan,
        "bytes_mean": sample.response_bytes / sample.requests if sample.requests else 0,
        "client_cpu_ms_per_request": (
            1000 * sample.client_cpu_seconds / sample.requests if sample.requests else math.nan
        ),
    }
    for p in PERCENTILES:
        figures[f"p{p}"] = percentile(sample.latencies, p)
    if sample.outcomes:
        figures["outcomes"] = dict(sample.outcomes)
    return figures


def ratios(figures: dict, reference: dict) -> dict:
    """Each figure as a multiple of the reference's: throughput as a share of it (0.5× = half
    the requests per second), latencies as how many times longer they take (2× = twice as
    slow). NaN where the reference has no figure."""

    def divide(a: float, b: float) -> float:
        if not b or math.isnan(a) or math.isnan(b):
            return math.nan
        return a / b

    out = {"rps": divide(figures["rps"], reference["rps"])}
    for p in PERCENTILES:
        out[f"p{p}"] = divide(figures[f"p{p}"], reference[f"p{p}"])
    return out
