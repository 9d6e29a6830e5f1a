"""The roles a person holds (a person may hold several), and the check views use.

A role is derived from a membership kept by the app that owns it: a team membership
(wijkteam), an expert profile or a pool's triage workers (expertise), a municipality's or a
region's admins and privacy officers (wijkteam). Those apps declare, in their AppConfig.ready(),
the subquery that says "this user holds the role" (`role_source`); this module combines them
into one query. So
`accounts` stays at the bottom of the layers and imports nothing of ours, while every view can
still ask for a role.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest


class Role(StrEnum):
    GENERALIST = "generalist"
    TEAM_LEAD = "team_lead"
    EXPERT = "expert"
    TRIAGE = "triage"
    COORDINATOR = "coordinator"
    MUNICIPALITY_ADMIN = "municipality_admin"
    REGION_ADMIN = "region_admin"
    PRIVACY_OFFICER = "privacy_officer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.GENERALIST: _("District team worker"),
    Role.TEAM_LEAD: _("Team lead"),
    Role.EXPERT: _("Expert"),
    Role.TRIAGE: _("Triage worker"),
    Role.COORDINATOR: _("Coordinator"),
    Role.MUNICIPALITY_ADMIN: _("Municipality administrator"),
    Role.REGION_ADMIN: _("Region administrator"),
    Role.PRIVACY_OFFICER: _("Privacy officer"),
}

# The order in which roles are listed; the first role a person holds decides where they land.
ROLE_ORDER = (
    Role.TEAM_LEAD,
    Role.GENERALIST,
    Role.EXPERT,
    Role.TRIAGE,
    Role.COORDINATOR,
    Role.MUNICIPALITY_ADMIN,
    Role.REGION_ADMIN,
    Role.PRIVACY_OFFICER,
)
TEAM_ROLES = (Role.GENERALIST, Role.TEAM_LEAD)

# role -> a function returning a queryset correlated on OuterRef("pk") of a User: rows exist
# when that user holds the role.
_SOURCES: dict[Role, Callable[[], QuerySet]] = {}


def role_source(role: Role, source: Callable[[], QuerySet]) -> None:
    """Declare where a role comes from (called once per role, from the owning app's ready())."""
    if role in _SOURCES and _SOURCES[role] is not source:
        raise ImproperlyConfigured(f"role {role} has two sources")
    _SOURCES[role] = source


def roles_of(user: Any) -> list[Role]:
    """Roles in ROLE_ORDER (one query). Anonymous users hold none."""
    if not getattr(user, "is_authenticated", False):
        return []
    from accounts.models import User

    missing = set(Role) - set(_SOURCES)
    if missing:  # an app was left out of INSTALLED_APPS: fail loudly, never silently less
        raise ImproperlyConfigured(f"no source for roles {sorted(missing)}")
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(**{f"holds_{role}": Exists(_SOURCES[role]()) for role in ROLE_ORDER})
        .values(*(f"holds_{role}" for role in ROLE_ORDER))
        .first()
    )
    if row is None:
        return []
    return [role for role in ROLE_ORDER if row[f"holds_{role}"]]


# Roles are read on every page (navigation, role checks): kept in the cache for a minute per
# user, under a version that every change of a membership bumps (roles_changed, connected by
# the apps that own the memberships), so a change counts at once. Selectors scope the data
# themselves, so a role held a moment too long shows a menu, never data.
ROLES_CACHE_SECONDS = 60
_VERSION_KEY = "roles:version"


def _roles_key(user_pk: int) -> str:
    return f"roles:{user_pk}"


def roles_changed(**_signal_kwargs) -> None:
    """Forget every cached set of roles once the change is committed (a signal receiver: a
    membership changed). Not before: a request in between would cache the old roles anew."""
    from django.db import transaction

    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    from django.core.cache import cache

    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet (or the cache is down: then nothing is cached either)
        cache.set(_VERSION_KEY, 1, timeout=None)


def cached_roles_of(user: Any) -> list[Role]:
    """roles_of, from the cache when the roles have not changed since they were cached."""
    if not getattr(user, "is_authenticated", False):
        return []
    from django.core.cache import cache

    found = cache.get_many([_VERSION_KEY, _roles_key(user.pk)])
    version = found.get(_VERSION_KEY, 0)
    cached = found.get(_roles_key(user.pk))
    if cached is not None and cached[0] == version:
        return [Role(code) for code in cached[1]]
    roles = roles_of(user)
    cache.set(_roles_key(user.pk), (version, [str(r) for r in roles]), ROLES_CACHE_SECONDS)
    return roles


def request_roles(request: HttpRequest) -> list[Role]:
    """The roles of request.user, once per request (cached_roles_of)."""
    if not hasattr(request, "_wijkexpert_roles"):
        request._wijkexpert_roles = cached_roles_of(request.user)  # type: ignore[attr-defined]
    return request._wijkexpert_roles  # type: ignore[attr-defined]


def role_required(*roles: Role):
    """The view is part of a role's workspace; for anyone without one of the roles it does not
    exist: a 404, never a 403 (DESIGN §4.2), so a role-gated object URL tells an outsider
    nothing about whether the object is there."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not set(roles) & set(request_roles(request)):
                raise Http404
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
