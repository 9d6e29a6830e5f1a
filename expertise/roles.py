"""The roles that come from expertise: expert profiles, pools' triage workers and coordinators."""

from django.db.models import OuterRef, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.roles import Role, role_source, roles_changed
from expertise.models import ExpertPool, ExpertProfile


def _experts() -> QuerySet:
    return ExpertProfile.objects.filter(user=OuterRef("pk"), is_active=True)


def _triage_workers() -> QuerySet:
    return ExpertPool.triage_workers.through.objects.filter(user=OuterRef("pk"))


def _coordinators() -> QuerySet:
    return ExpertPool.coordinators.through.objects.filter(user=OuterRef("pk"))


def register() -> None:
    role_source(Role.EXPERT, _experts)
    role_source(Role.TRIAGE, _triage_workers)
    role_source(Role.COORDINATOR, _coordinators)
    # A profile or a triage worker changed: cached roles are stale.
    for signal in (post_save, post_delete):
        signal.connect(roles_changed, sender=ExpertProfile, dispatch_uid=f"roles-{signal}-ep")
    m2m_changed.connect(
        roles_changed, sender=ExpertPool.triage_workers.through, dispatch_uid="roles-triage"
    )
    m2m_changed.connect(
        roles_changed, sender=ExpertPool.coordinators.through, dispatch_uid="roles-coordinators"
    )
