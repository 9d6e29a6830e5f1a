"""The roles that come from expertise: expert profiles and pools' triage workers."""

from django.db.models import OuterRef, QuerySet

from accounts.roles import Role, role_source
from expertise.models import ExpertPool, ExpertProfile


def _experts() -> QuerySet:
    return ExpertProfile.objects.filter(user=OuterRef("pk"), is_active=True)


def _triage_workers() -> QuerySet:
    return ExpertPool.triage_workers.through.objects.filter(user=OuterRef("pk"))


def register() -> None:
    role_source(Role.EXPERT, _experts)
    role_source(Role.TRIAGE, _triage_workers)
