"""Reads for sessions. `sessions_visible_to` is the one visibility chokepoint of a session: its
planners (the pool's triage workers and coordinators), whoever is invited, and the experts of a
`team` pool see it; nobody else. The questions on an agenda stay behind
consultation.selectors.questions_visible_to: a session page shows only the agenda items whose
question the reader may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from consultation.models import Question, Status
from consultation.selectors import questions_visible_to
from expertise.models import ExpertPool
from meetings.models import AgendaItem, Invitation, Session

if TYPE_CHECKING:
    from accounts.models import User

# Items that still count on an agenda (room, the generalist's "discussed on ...").
LIVE_ITEMS = (AgendaItem.Status.ON_AGENDA, AgendaItem.Status.DISCUSSED)


def planned_pools(*, user: User) -> QuerySet[ExpertPool]:
    """The active pools whose sessions `user` plans: as a triage worker or a coordinator."""
    if not getattr(user, "is_authenticated", False):
        return ExpertPool.objects.none()
    return ExpertPool.objects.filter(
        Q(triage_workers=user) | Q(coordinators=user), is_active=True
    ).distinct()


def may_plan(*, user: User, pool: ExpertPool | int) -> bool:
    pool_id = pool if isinstance(pool, int) else pool.pk
    return planned_pools(user=user).filter(pk=pool_id).exists()


def schedulable_questions(*, user: User) -> QuerySet[Question]:
    """The questions `user` may name when putting one on an agenda: the submitted questions of
    the pools they plan (the services then check that it waits for a session of that pool). An
    id outside this is "does not exist", so planning tells nobody which questions exist."""
    return Question.objects.filter(pool__in=planned_pools(user=user).values("pk")).exclude(
        status=Status.DRAFT
    )


def _team_pools_of(user: User) -> QuerySet:
    return ExpertPool.objects.filter(
        experts__user=user,
        experts__is_active=True,
        collaboration_model=ExpertPool.CollaborationModel.TEAM,
    ).values("pk")


def sessions_visible_to(*, user: User) -> QuerySet[Session]:
    if not getattr(user, "is_authenticated", False):
        return Session.objects.none()
    invited = Invitation.objects.filter(session=OuterRef("pk"), user=user)
    planner = ExpertPool.objects.filter(
        Q(triage_workers=user) | Q(coordinators=user), pk=OuterRef("pool_id")
    )
    return Session.objects.filter(
        Exists(invited) | Exists(planner) | Q(pool_id__in=_team_pools_of(user))
    )


def with_counts(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate the live agenda items and the invitations by response (for lists: no query
    per row)."""
    return queryset.annotate(
        item_count=Count("agenda", filter=Q(agenda__status__in=LIVE_ITEMS), distinct=True),
        accepted_count=Count(
            "invitations",
            filter=Q(invitations__response=Invitation.Response.ACCEPTED),
            distinct=True,
        ),
        declined_count=Count(
            "invitations",
            filter=Q(invitations__response=Invitation.Response.DECLINED),
            distinct=True,
        ),
    )


def upcoming(queryset: QuerySet[Session], *, now=None) -> QuerySet[Session]:
    now = now or timezone.now()
    return queryset.filter(status=Session.Status.PLANNED, ends_at__gte=now).order_by(
        "starts_at", "pk"
    )


def past(queryset: QuerySet[Session], *, now=None) -> QuerySet[Session]:
    now = now or timezone.now()
    return queryset.filter(Q(ends_at__lt=now) | ~Q(status=Session.Status.PLANNED)).order_by(
        "-starts_at", "-pk"
    )


def agenda_for(*, session: Session, user: User) -> list[AgendaItem]:
    """The session's agenda as `user` may read it: only items whose question they see, with
    the question's pseudonym and the outcome; one query (plus the participants')."""
    visible = questions_visible_to(user=user).filter(pk=OuterRef("question_id"))
    return list(
        AgendaItem.objects.filter(session=session)
        .filter(Exists(visible))
        .select_related("question", "question__case", "outcome", "carried_to__session")
        .prefetch_related(Prefetch("participants"))
        .order_by("position", "pk")
    )


def invitations_of(*, session: Session) -> list[Invitation]:
    return list(
        Invitation.objects.filter(session=session)
        .select_related("user", "user__expert_profile")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )


def invitations_for(*, user: User) -> QuerySet[Invitation]:
    """The user's own invitations with their session and its pool, the latest session first
    (an invitee always sees the session: sessions_visible_to)."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(user=user)
        .select_related("session__pool")
        .order_by("-session__starts_at", "-pk")
    )


def next_sessions_with_room(*, pool: ExpertPool | int, now=None) -> QuerySet[Session]:
    """The pool's planned sessions still to come that have room on their agenda, soonest
    first."""
    pool_id = pool if isinstance(pool, int) else pool.pk
    live = Count("agenda", filter=Q(agenda__status=AgendaItem.Status.ON_AGENDA))
    return (
        upcoming(Session.objects.filter(pool_id=pool_id), now=now)
        .filter(starts_at__gt=now or timezone.now())
        .annotate(on_agenda=live)
        .filter(on_agenda__lt=F("capacity"))
    )


def discussion_of(*, question: Question) -> AgendaItem | None:
    """Where the question is (or was last) on an agenda: the generalist's "discussed on ..."."""
    return (
        AgendaItem.objects.filter(question=question, status__in=LIVE_ITEMS)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
        .first()
    )
