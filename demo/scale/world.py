"""The rows of the world (demo.scale.plan): regions, municipalities and their administrators,
district teams with their auth groups and members, care providers, experts, pools.

As the services and signals leave them: a team's group is `wijkteam:<team id>`
(wijkteam.services.team_group_ensure) and holds exactly the team's members
(team_membership_sync); the demo accounts are marked `is_demo_account` and share the demo
password, the others have no usable password (they exist to ask, advise and be counted).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.hashers import make_password

from demo.data.people import DEMO_PASSWORD
from demo.scale.copy import NULL, esc
from demo.scale.model import World
from demo.scale.timeline import Timeline

TABLES: dict[str, tuple[str, ...]] = {
    "wijkteam_region": ("id", "name"),
    "wijkteam_municipality": ("id", "name", "code", "region_id"),
    "wijkteam_municipality_admins": ("id", "municipality_id", "user_id"),
    "wijkteam_region_admins": ("id", "region_id", "user_id"),
    "auth_group": ("id", "name"),
    "wijkteam_districtteam": ("id", "name", "is_active", "municipality_id", "group_id"),
    "accounts_user": (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "date_joined",
        "email",
        "is_demo_account",
        "notification_email_mode",
    ),
    "accounts_user_groups": ("id", "user_id", "group_id"),
    "wijkteam_teammembership": ("id", "role", "created_at", "team_id", "user_id"),
    "expertise_organisation": ("id", "name", "city"),
    "expertise_expertpool": (
        "id",
        "name",
        "collaboration_model",
        "description",
        "is_active",
        "region_id",
        "advice_target_days",
        "claim_idle_minutes",
        "triage_target_days",
    ),
    "expertise_expertpool_teams": ("id", "expertpool_id", "districtteam_id"),
    "expertise_expertpool_triage_workers": ("id", "expertpool_id", "user_id"),
    "expertise_expertpool_coordinators": ("id", "expertpool_id", "user_id"),
    "expertise_expertprofile": (
        "id",
        "job_title",
        "bio",
        "is_active",
        "user_id",
        "organisation_id",
        "unavailable_until",
    ),
    "expertise_expertprofile_pools": ("id", "expertprofile_id", "expertpool_id"),
    "expertise_expertprofile_life_domains": ("id", "expertprofile_id", "lifedomain_id"),
    "expertise_expertprofile_target_groups": ("id", "expertprofile_id", "targetgroup_id"),
}


def write_world(
    *, world: World, loader, ids, timeline: Timeline, refs: dict, seed: int, questions: int
) -> None:
    rows = loader.rows
    joined = timeline.ts(timeline.start - 20)
    for region in world.regions:
        rows("wijkteam_region").append(f"{region.id}\t{esc(region.name)}\n")
        for admin in region.admins:
            rows("wijkteam_region_admins").append(
                f"{ids('wijkteam_region_admins')}\t{region.id}\t{admin.id}\n"
            )
    for municipality in world.municipalities:
        rows("wijkteam_municipality").append(
            f"{municipality.id}\t{esc(municipality.name)}\t{municipality.code}\t"
            f"{municipality.region.id}\n"
        )
        for admin in municipality.admins:
            rows("wijkteam_municipality_admins").append(
                f"{ids('wijkteam_municipality_admins')}\t{municipality.id}\t{admin.id}\n"
            )
    # One hash for every demo account, with a salt derived from the seed: deterministic, and the
    # password is public anyway (README, `load_demo --list`). Computed once (it is slow on
    # purpose).
    salt = hashlib.sha256(f"wijkexpert-scale-{seed}".encode()).hexdigest()[:22]
    demo_hash = make_password(DEMO_PASSWORD, salt=salt)
    for person in world.people:
        if person.is_demo:
            password = demo_hash
        else:  # unusable, like make_password(None), but the same every run of these arguments
            # (a session of another data set's user with this id does not verify against it)
            key = f"{seed}:{questions}:{person.id}"
            password = "!" + hashlib.sha256(key.encode()).hexdigest()[:40]
        mode = "daily" if person.daily else "immediate"
        rows("accounts_user").append(
            f"{person.id}\t{esc(password)}\t{NULL}\t{_bool(person.is_superuser)}\t"
            f"{esc(person.first_name)}\t{esc(person.last_name)}\t{_bool(person.is_staff)}\tt\t"
            f"{joined}\t{esc(person.email)}\t{_bool(person.is_demo)}\t{mode}\n"
        )
    for team in world.teams:
        rows("auth_group").append(f"{team.group_id}\twijkteam:{team.id}\n")
        rows("wijkteam_districtteam").append(
            f"{team.id}\t{esc(team.name)}\tt\t{team.municipality.id}\t{team.group_id}\n"
        )
        for role, people in (("generalist", team.generalists), ("team_lead", team.leads)):
            for person in people:
                rows("wijkteam_teammembership").append(
                    f"{ids('wijkteam_teammembership')}\t{role}\t{joined}\t{team.id}\t{person.id}\n"
                )
                rows("accounts_user_groups").append(
                    f"{ids('accounts_user_groups')}\t{person.id}\t{team.group_id}\n"
                )
    for organisation in world.organisations:
        rows("expertise_organisation").append(
            f"{organisation.id}\t{esc(organisation.name)}\t{esc(organisation.city)}\n"
        )
    for pool in world.pools:
        rows("expertise_expertpool").append(
            f"{pool.id}\t{esc(pool.name)}\t{pool.model}\t{esc(pool.description)}\tt\t"
            f"{pool.region.id}\t5\t120\t2\n"
        )
        for team in pool.teams:
            rows("expertise_expertpool_teams").append(
                f"{ids('expertise_expertpool_teams')}\t{pool.id}\t{team.id}\n"
            )
        for worker in pool.triage_workers:
            rows("expertise_expertpool_triage_workers").append(
                f"{ids('expertise_expertpool_triage_workers')}\t{pool.id}\t{worker.id}\n"
            )
        for coordinator in pool.coordinators:
            rows("expertise_expertpool_coordinators").append(
                f"{ids('expertise_expertpool_coordinators')}\t{pool.id}\t{coordinator.id}\n"
            )
    # On leave or ill for two more weeks after the end of the data set.
    unavailable_until = timeline.date_of(timeline.base + 10).isoformat()
    for expert in world.experts:
        until = unavailable_until if expert.unavailable else NULL
        rows("expertise_expertprofile").append(
            f"{expert.profile_id}\t{esc(expert.job_title)}\t{esc(expert.bio)}\tt\t"
            f"{expert.person.id}\t{expert.organisation.id}\t{until}\n"
        )
        for pool in expert.pools:
            rows("expertise_expertprofile_pools").append(
                f"{ids('expertise_expertprofile_pools')}\t{expert.profile_id}\t{pool.id}\n"
            )
        for slug in expert.domains:
            rows("expertise_expertprofile_life_domains").append(
                f"{ids('expertise_expertprofile_life_domains')}\t{expert.profile_id}\t"
                f"{refs['domains'][slug]}\n"
            )
        for slug in expert.groups:
            rows("expertise_expertprofile_target_groups").append(
                f"{ids('expertise_expertprofile_target_groups')}\t{expert.profile_id}\t"
                f"{refs['groups'][slug]}\n"
            )


def _bool(value: bool) -> str:
    return "t" if value else "f"
