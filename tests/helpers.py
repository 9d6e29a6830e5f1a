"""Plain helpers the tests import (fixtures live in the conftest files, which are not imported)."""

from contextlib import contextmanager

from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from accounts.roles import Role
from expertise.models import ExpertPool
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.wijkteam.factories import (
    DistrictTeamFactory,
    MunicipalityFactory,
    RegionFactory,
    TeamMembershipFactory,
)
from wijkteam.models import TeamMembership


def seed_reference_data():
    """The life domains and target groups of the data migration. Transactional tests flush the
    database afterwards, which also removes migration data; this puts it back (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("expertise.migrations.0002_seed_life_domains_and_target_groups").seed(apps, None)


def build_org() -> dict:
    """A small region: one municipality with a team, and a pool serving the team (the `org`
    fixture; call it directly to build one for a module-scoped fixture)."""
    seed_reference_data()
    region = RegionFactory()
    municipality = MunicipalityFactory(region=region)
    team = DistrictTeamFactory(municipality=municipality)
    pool = ExpertPoolFactory(
        region=region, collaboration_model=ExpertPool.CollaborationModel.TRIAGE
    )
    pool.teams.add(team)
    return {"region": region, "municipality": municipality, "team": team, "pool": pool}


def user_maker(org: dict):
    """user_maker(org)(Role.X) -> a user holding that role in `org` (the `make_user` fixture)."""

    def _make(role: Role, **fields):
        user = UserFactory(**fields)
        if role == Role.GENERALIST:
            TeamMembershipFactory(team=org["team"], user=user)
        elif role == Role.TEAM_LEAD:
            TeamMembershipFactory(team=org["team"], user=user, role=TeamMembership.Role.TEAM_LEAD)
        elif role == Role.EXPERT:
            ExpertProfileFactory(user=user, pools=[org["pool"]])
        elif role == Role.TRIAGE:
            org["pool"].triage_workers.add(user)
        elif role == Role.COORDINATOR:
            org["pool"].coordinators.add(user)
        elif role == Role.MUNICIPALITY_ADMIN:
            org["municipality"].admins.add(user)
        elif role == Role.REGION_ADMIN:
            org["region"].admins.add(user)
        elif role == Role.PRIVACY_OFFICER:
            org["region"].privacy_officers.add(user)
        return user

    return _make


def verify_session(client, user):
    """Sign in as `user` with a verified second factor (what the TOTP step leaves behind)."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def current_token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@contextmanager
def shared_transaction(django_db_blocker):
    """For a module- or class-scoped fixture: data it creates inside this block is seen by every
    test that uses the fixture (each test still runs in its own savepoint, so what a test writes
    is undone after it), and all of it is rolled back when the fixture ends. Django's
    setUpTestData, for pytest. Only for tests on `db`: a transactional test would flush it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def worker_caught_up(timeout: float = 20.0) -> None:
    """Return once the test's Celery worker (the `celery_worker` fixture) has run every task
    queued before this call: it takes its queue in order, one task at a time (solo pool), so the
    answer to a ping queued now comes after them. Instead of sleeping to show that nothing more
    (a duplicate, a second e-mail) arrives."""
    from config.celery import ping

    assert run_on_worker(ping, timeout=timeout) == "pong"


def run_on_worker(task, *args, timeout: float = 20.0):
    """Run `task` on the test's Celery worker and return its result. Tasks store no result
    (CELERY_TASK_IGNORE_RESULT: fire-and-forget, nothing waits on a result backend); a test
    that wants one asks for it per call."""
    return task.apply_async(args=args, ignore_result=False).get(timeout=timeout)
