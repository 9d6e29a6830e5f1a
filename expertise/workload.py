"""Minutes an expert has registered for a pool this month, for the apps below the one that
registers time (triage's suggestions read "hours left this month"; the hours app sits above
triage in the layers). The hours app registers its source in its AppConfig.ready():

    minutes_source(hours.selectors.minutes_used)

A source is a function (pool_id, expert user ids, any day of the month) -> {user id: minutes}.
Without one, nothing is registered and the whole cap is left."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

Source = Callable[[int, Iterable[int], date], dict[int, int]]

_SOURCES: list[Source] = []


def minutes_source(source: Source) -> None:
    """Register `source` (once: ready() may run twice in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def minutes_used(*, pool_id: int, expert_ids: Iterable[int], day: date) -> dict[int, int]:
    expert_ids = list(expert_ids)
    used: dict[int, int] = {}
    for source in _SOURCES:
        for expert_id, minutes in source(pool_id, expert_ids, day).items():
            used[expert_id] = used.get(expert_id, 0) + minutes
    return used
