"""Reads for the municipality admin's team management. The scope is one chokepoint: the
municipalities a user administers (Municipality.admins). A team, membership or pool outside it
is a 404 in the views, as anything outside one's scope (DESIGN §4.2).

Nothing here reads residents or cases' content: the admin sees people who work in the teams and
pools' settings, and of cases only how many a member holds open."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from expertise.models import ExpertPool
from municipality.models import TeamInvitation
from wijkteam.models import Case, DistrictTeam, Municipality, TeamMembership


def administered_municipalities(*, user) -> QuerySet[Municipality]:
    if not getattr(user, "is_authenticated", False):
        return Municipality.objects.none()
    return Municipality.objects.filter(admins=user)


def _municipality_ids(user) -> QuerySet:
    return administered_municipalities(user=user).values("pk")


def is_municipality_admin(*, user) -> bool:
    return administered_municipalities(user=user).exists()


def teams_administered_by(*, user) -> QuerySet[DistrictTeam]:
    """The district teams of the user's municipalities, with their member count (one query)."""
    return (
        DistrictTeam.objects.filter(municipality__in=_municipality_ids(user))
        .select_related("municipality")
        .annotate(member_count=Count("memberships"))
        .order_by("municipality__name", "name", "pk")
    )


def team_administered_by(*, user, team_id: int) -> DistrictTeam | None:
    return (
        DistrictTeam.objects.filter(pk=team_id, municipality__in=_municipality_ids(user))
        .select_related("municipality")
        .first()
    )


def members_of(*, team: DistrictTeam) -> QuerySet[TeamMembership]:
    """The team's memberships with their people, by name; each with its open invitation's
    expiry (an invited person is inactive until they accept)."""
    open_invitation = TeamInvitation.objects.filter(
        team_id=team.pk,
        user_id=OuterRef("user_id"),
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    ).values("expires_at")[:1]
    return (
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .annotate(invitation_expires_at=Subquery(open_invitation))
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )


def membership_administered_by(*, user, team_id: int, membership_id: int):
    return (
        TeamMembership.objects.filter(
            pk=membership_id, team_id=team_id, team__municipality__in=_municipality_ids(user)
        )
        .select_related("user", "team__municipality")
        .first()
    )


def open_cases_of(*, membership: TeamMembership) -> QuerySet[Case]:
    """The open cases the member holds in this team (handed to the team lead on deactivation)."""
    return Case.objects.filter(
        team_id=membership.team_id, owner_id=membership.user_id, status=Case.Status.OPEN
    )


def team_lead_for_handover(*, membership: TeamMembership) -> TeamMembership | None:
    """Who takes over a leaving member's cases: the team's longest-serving active team lead
    other than the member."""
    return (
        TeamMembership.objects.filter(
            team_id=membership.team_id, role=TeamMembership.Role.TEAM_LEAD, user__is_active=True
        )
        .exclude(user_id=membership.user_id)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )


def pools_serving(*, user) -> QuerySet[ExpertPool]:
    """The expert pools serving the user's teams, each with `editable`: the pool serves teams
    of the user's own municipalities only. A pool has no owning municipality (it belongs to a
    region and may serve several municipalities' teams); one serving only this admin's teams is
    theirs to set, a shared one is settled between the municipalities (the region), not by one
    of them."""
    ids = _municipality_ids(user)
    foreign_team = DistrictTeam.objects.filter(expert_pools=OuterRef("pk")).filter(
        ~Q(municipality__in=ids)
    )
    serving = ExpertPool.objects.filter(teams__municipality__in=ids).values("pk")
    return (
        ExpertPool.objects.filter(pk__in=serving)
        .annotate(editable=~Exists(foreign_team))
        .order_by("name", "pk")
    )


def pool_editable_by(*, user, pool_id: int) -> ExpertPool | None:
    """A pool the user may change (pools_serving, editable), or None."""
    # Q(): the annotation is a name the type checker's stubs cannot see.
    return pools_serving(user=user).filter(Q(editable=True), pk=pool_id).first()
