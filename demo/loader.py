"""Demo data: a believable Regio Eemland. Idempotent: loading it twice changes nothing.

Every account made here is marked `is_demo_account`, which lets it skip the second factor only
while DEMO_MODE is on (`make run`); production settings force DEMO_MODE off. The people and the
organisation are in demo.data; the cases and questions are loaded by demo.consultation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.roles import ROLE_LABELS, Role
from demo.consultation import load_demo_consultation
from demo.data.availability import ABSENCES, WEEKLY
from demo.data.organisation import (
    ADMIN_MUNICIPALITY,
    MUNICIPALITIES,
    ORGANISATIONS,
    POOLS,
    REGION,
    TEAMS,
)
from demo.data.people import (
    ADMINISTRATOR,
    COORDINATOR,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    EXPERTS,
    FIRST_NAMES,
    LAST_NAMES,
    MUNICIPALITY_ADMIN,
    REGION_ADMIN,
    ROLE_ACCOUNTS,
    TRIAGE_WORKER,
)
from demo.history import load_demo_history
from demo.hours import load_demo_hours
from demo.marker import marker_write
from demo.meetings import load_demo_meetings
from demo.script import DemoPerson
from expertise.models import (
    Absence,
    ExpertPool,
    ExpertProfile,
    LifeDomain,
    Organisation,
    TargetGroup,
    WeeklyAvailability,
)
from wijkteam.models import DistrictTeam, Municipality, Region, TeamMembership

# Every team has two generalists and a team lead; the first team's generalist and team lead are
# the accounts of ROLE_ACCOUNTS (demo.data.people).
MEMBERS_PER_TEAM = 3


def load_demo(*, report: Callable[[str], None] = lambda line: None) -> None:
    """Load what is missing of the demo, in one transaction; `report` receives a line of
    progress after each step (the command prints them)."""
    with transaction.atomic():
        region, municipalities, teams = _region_and_teams()
        report("Region, municipalities and teams… done")
        _team_members(teams)
        report("Generalists and team leads… done")
        _experts_and_pools(region, teams)
        report("Care providers, experts and pools… done")
        _availability()
        report("Experts' weekly availability and absences… done")
        admin = _user(MUNICIPALITY_ADMIN)
        municipalities[ADMIN_MUNICIPALITY].admins.add(admin)
        region.admins.add(_user(REGION_ADMIN))
        _user(ADMINISTRATOR, is_staff=True, is_superuser=True)
        report("Municipality admin, region admin and functional administrator… done")
        # Cases and questions in every state.
        load_demo_consultation(report=report)
        # The expertise team's sessions: one held, the next ones planned with their agenda.
        load_demo_meetings(coordinator=_user(COORDINATOR), report=report)
        load_demo_hours(report=report)
        # A year of questions before all that, in bulk: the municipality's dashboard.
        load_demo_history(report=report)
        marker_write()


def account_lines() -> list[str]:
    """The demo's account per role with the password, as `load_demo --list` and `make run`
    print them."""
    lines = [f"Demo accounts (password: {DEMO_PASSWORD}):"]
    for role, email in ROLE_ACCOUNTS:
        label = ROLE_LABELS[Role(role)] if role in Role else gettext("Functional administrator")
        lines.append(f"  {str(label):<30} {email}")
    return lines


def _user(person: DemoPerson, **extra) -> User:
    return _account(f"{person.key}@{DEMO_DOMAIN}", person.first_name, person.last_name, **extra)


def _account(email: str, first_name: str, last_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_demo_account": True,
            **extra,
        },
    )
    if created:
        # Only on creation: a second load must not change the stored hash.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def _demo_password_hash() -> str:
    return _hash_once(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_once(hashers: tuple[str, ...]) -> str:  # noqa: ARG001 - the cache key
    """One hash of DEMO_PASSWORD for every demo account: the password is public (README,
    `load_demo --list`), and hashing is slow on purpose (PBKDF2: 0.85 s a hash on the 2-core
    machine, 42 of the 53 s that loading the demo took with a hash per account)."""
    return make_password(DEMO_PASSWORD)


def _region_and_teams() -> tuple[Region, dict[str, Municipality], dict[str, DistrictTeam]]:
    region, _ = Region.objects.get_or_create(name=REGION)
    municipalities = {}
    for code, name in MUNICIPALITIES:
        municipalities[name], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": region}
        )
    teams = {}
    for municipality, name in TEAMS:
        teams[name], _ = DistrictTeam.objects.get_or_create(
            municipality=municipalities[municipality], name=name
        )
    return region, municipalities, teams


def _people() -> Iterator[tuple[str, str]]:
    """Deterministic names: the n-th generalist always gets the same name."""
    for index in range(10_000):
        yield FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index * 7) % len(LAST_NAMES)]


def _team_members(teams: dict[str, DistrictTeam]) -> None:
    people = _people()
    for index, team in enumerate(teams.values()):
        for position in range(MEMBERS_PER_TEAM):
            first, last = next(people)
            if index == 0 and position == 0:
                email, role = f"generalist@{DEMO_DOMAIN}", TeamMembership.Role.GENERALIST
            elif index == 0 and position == 2:
                email, role = f"teamleider@{DEMO_DOMAIN}", TeamMembership.Role.TEAM_LEAD
            else:
                email = f"wijkteam{index + 1:02d}.{position + 1}@{DEMO_DOMAIN}"
                role = (
                    TeamMembership.Role.TEAM_LEAD
                    if position == 2
                    else TeamMembership.Role.GENERALIST
                )
            user = _account(email, first, last)
            TeamMembership.objects.update_or_create(team=team, user=user, defaults={"role": role})


def _experts_and_pools(region: Region, teams: dict[str, DistrictTeam]) -> None:
    organisations = {}
    for name, city in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"city": city}
        )
    domains = {d.slug: d for d in LifeDomain.objects.all()}
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    profiles = {}
    for expert in EXPERTS:
        user = _account(f"{expert.email}@{DEMO_DOMAIN}", expert.first_name, expert.last_name)
        profile, _ = ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisations[expert.organisation],
                "job_title": expert.job_title,
                "bio": expert.bio,
            },
        )
        profile.life_domains.set([domains[slug] for slug in expert.life_domains])
        profile.target_groups.set([groups[slug] for slug in expert.target_groups])
        profiles[expert.email] = profile

    triage_worker = _user(TRIAGE_WORKER)
    for spec in POOLS:
        pool, _ = ExpertPool.objects.update_or_create(
            name=spec["name"],
            defaults={
                "region": region,
                "collaboration_model": spec["model"],
                "description": spec["description"],
            },
        )
        pool.teams.set([teams[name] for name in spec["teams"]])
        for key in spec["experts"]:
            profiles[key].pools.add(pool)
        if spec["model"] == ExpertPool.CollaborationModel.TRIAGE:
            pool.triage_workers.set([triage_worker])


def _availability() -> None:
    """Each demo expert's week and absence, only where the expert has none yet: a second load
    (on another day too) adds nothing, and keeps what someone changed on the demo's profile."""
    today = timezone.localdate()
    profiles = {
        p.user.email.split("@")[0]: p
        for p in ExpertProfile.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}")
        .select_related("user")
        .prefetch_related("weekly_availability", "absences")
    }
    for key, slots in WEEKLY.items():
        profile = profiles.get(key)
        if profile is not None and not profile.weekly_availability.all():
            WeeklyAvailability.objects.bulk_create(
                [WeeklyAvailability(expert=profile, weekday=w, dagdeel=d) for w, d in slots]
            )
    for key, (first, last, kind, note) in ABSENCES.items():
        profile = profiles.get(key)
        if profile is not None and not profile.absences.all():
            Absence.objects.create(
                expert=profile,
                starts_on=today + timedelta(days=first),
                ends_on=today + timedelta(days=last),
                kind=kind,
                note=note,
            )
