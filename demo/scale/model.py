"""The synthetic world as the generator holds it in memory (demo.scale.plan decides it,
demo.scale.world writes it): plain objects, compared by identity."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from demo.data.scale_world import PLACE_ENDS, PLACE_STARTS, REAL_PLACES
from expertise.models import ExpertPool

NETWORK = ExpertPool.CollaborationModel.NETWORK
TEAM = ExpertPool.CollaborationModel.TEAM
TRIAGE = ExpertPool.CollaborationModel.TRIAGE


@dataclass(eq=False)
class Person:
    id: int
    email: str
    first_name: str
    last_name: str
    is_demo: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    daily: bool = False  # notification e-mails as a daily digest

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(eq=False)
class Region:
    id: int
    name: str
    admins: list[Person] = field(default_factory=list)


@dataclass(eq=False)
class Municipality:
    id: int
    region: Region
    name: str
    code: str
    admins: list[Person] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


@dataclass(eq=False)
class Organisation:
    id: int
    name: str
    city: str


@dataclass(eq=False)
class Expert:
    person: Person
    profile_id: int
    organisation: Organisation
    job_title: str
    bio: str
    domains: tuple[str, ...]  # life domain slugs
    groups: tuple[str, ...]  # target group slugs
    weight: float = 1.0  # how much of the matching work this expert picks up
    unavailable: bool = False
    pools: list[Pool] = field(default_factory=list)


@dataclass(eq=False)
class Pool:
    id: int
    name: str
    region: Region
    model: str
    description: str
    teams: list[Team] = field(default_factory=list)
    experts: list[Expert] = field(default_factory=list)
    triage_workers: list[Person] = field(default_factory=list)
    coordinators: list[Person] = field(default_factory=list)  # team pools' session planners
    # Triage pools: questions submitted within `backlog_days` working days before the end are
    # still in the queue with this probability (an understaffed triage desk).
    backlog_days: float = 0.0
    backlog_share: float = 0.0
    demo: bool = False  # one of load_demo's pools


@dataclass(eq=False)
class Team:
    id: int
    municipality: Municipality
    name: str
    weight: float
    group_id: int = 0
    generalists: list[Person] = field(default_factory=list)
    leads: list[Person] = field(default_factory=list)
    # Who asks how much: the demo generalist asks most in the demo team.
    asker_weights: list[float] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    pool_weights: list[float] = field(default_factory=list)

    @property
    def members(self) -> list[Person]:
        return self.generalists + self.leads


class Ids:
    """The next id per table: every row gets an explicit id, so the same arguments give the
    same rows (a sequence may have moved on after a rolled-back run)."""

    def __init__(self, start: dict[str, int]):
        self._next = dict(start)

    def __call__(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value

    def peek(self, table: str) -> int:
        return self._next.get(table, 1)


@dataclass
class World:
    regions: list[Region] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    experts: list[Expert] = field(default_factory=list)
    superusers: list[Person] = field(default_factory=list)


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits, for e-mail addresses: 'van Dijk' -> 'vandijk'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def place_names() -> list[str]:
    """Fictional place names, in a fixed order (the caller shuffles them with its seed)."""
    names = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]
    return [name for name in names if name not in REAL_PLACES]
