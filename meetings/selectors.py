"""Reads for sessions. `sessions_visible_to` is the one visibility chokepoint of a session: its
planners (the pool's triage workers and coordinators), whoever is invited, and the experts of a
`team` pool see it; nobody else. The questions on an agenda stay behind
consultation.selectors.questions_visible_to: a session page shows only the agenda items whose
question the reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from consultation.models import Question, Status
from consultation.selectors import questions_visible_to
from expertise.models import ExpertPool, ExpertProfile
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


def discussion_of(*, question: Question, user: User | None = None) -> AgendaItem | None:
    """Where the question is (or was last) on an agenda: the generalist's "discussed on ...".
    With `user`, the item says whether they may open the session's page (`session_visible`);
    one query either way."""
    items = (
        AgendaItem.objects.filter(question=question, status__in=LIVE_ITEMS)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
    )
    if user is not None:
        visible = sessions_visible_to(user=user).filter(pk=OuterRef("session_id"))
        items = items.annotate(session_visible=Exists(visible))
    return items.first()


# --- Planning pages -----------------------------------------------------------------------------
WAITING_SHOWN = 50  # questions offered on the planning form, urgent and oldest first


def on_live_agenda(*, now=None) -> QuerySet:
    """Ids of questions already on the agenda of a session still to come (what `fill` skips)."""
    return AgendaItem.objects.filter(
        status=AgendaItem.Status.ON_AGENDA,
        session__status=Session.Status.PLANNED,
        session__ends_at__gte=now or timezone.now(),
    ).values("question_id")


def waiting_questions(
    *, user: User, pool: ExpertPool | int, include: int | None = None, now=None
) -> list[Question]:
    """The pool's questions waiting for a session, as far as `user` sees them: `scheduled` (a
    team pool's, or those triage marked "plan a session"), on no agenda still to come; urgent
    first, then the oldest; at most WAITING_SHOWN, plus `include` (a question preselected from
    its page) when it waits too. One query."""
    pool_id = pool if isinstance(pool, int) else pool.pk
    waiting = (
        questions_visible_to(user=user)
        .filter(pool_id=pool_id, status=Status.SCHEDULED)
        .exclude(pk__in=on_live_agenda(now=now))
    )
    first = waiting.order_by("-urgency", "submitted_at", "pk").values("pk")[:WAITING_SHOWN]
    wanted = Q(pk__in=first) | Q(pk=include) if include else Q(pk__in=first)
    return list(
        waiting.filter(wanted)
        .select_related("case")
        .only("pk", "title", "urgency", "submitted_at", "case__pseudonym", "pool_id", "status")
        .order_by("-urgency", "submitted_at", "pk")
    )


def invitable_experts(*, pool: ExpertPool) -> QuerySet:
    """Who may be invited to a session of `pool`: active experts (with an active account) of the
    pool itself, of the pools serving one of its teams, and of the pools of its region; the
    pool's own experts first. Users, with their profile (the discipline is shown)."""
    from accounts.models import User

    near = ExpertPool.objects.filter(
        Q(pk=pool.pk) | Q(region_id=pool.region_id) | Q(teams__in=pool.teams.all()),
        is_active=True,
    ).values("pk")
    own = ExpertProfile.objects.filter(user=OuterRef("pk"), pools=pool)
    return (
        User.objects.filter(
            is_active=True,
            expert_profile__is_active=True,
            expert_profile__pools__in=near,
        )
        .distinct()
        .annotate(in_pool=Exists(own))
        .select_related("expert_profile")
        .order_by("-in_pool", "last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class Absent:
    """An invited expert who cannot come, and the reason as a planner may read it."""

    expert: User
    label: str


@dataclass(frozen=True)
class Proposal:
    """A moment to meet, and who of the chosen experts cannot come then."""

    starts_at: datetime
    ends_at: datetime
    cannot_come: tuple[Absent, ...] = ()

    @property
    def value(self) -> str:
        """What a "use this moment" button sends: local date, start and end."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d}|{start:%H:%M}|{end:%H:%M}"


# Until the experts' own availability (expertise.availability, issue 11) is on main, nobody's
# availability is known: a proposal is the next weekday afternoon, 13:00-15:00, and nobody is
# said to be unable to come. `proposals` and `cannot_come` are the one place that changes when
# it lands; the pages and tests read only these two.
AVAILABILITY_KNOWN = False
FALLBACK_START = time(13, 0)
FALLBACK_LENGTH = timedelta(hours=2)


def proposals(*, experts: Iterable[User], after: datetime, count: int = 3) -> list[Proposal]:
    """The next `count` moments after `after` when the chosen experts can come (the ones most
    of them can come to first), each with who cannot come."""
    experts = list(experts)
    moments: list[Proposal] = []
    day = timezone.localtime(after).date()
    while len(moments) < count:
        day += timedelta(days=1)
        if day.weekday() >= 5:  # Saturday, Sunday
            continue
        starts_at = timezone.make_aware(datetime.combine(day, FALLBACK_START))
        ends_at = starts_at + FALLBACK_LENGTH
        moments.append(
            Proposal(
                starts_at, ends_at, tuple(cannot_come(experts=experts, moment=(starts_at, ends_at)))
            )
        )
    return moments


def cannot_come(*, experts: Iterable[User], moment: tuple[datetime, datetime]) -> list[Absent]:
    """Who of `experts` cannot come from moment[0] to moment[1] (nobody while availability is
    not known)."""
    return []


def coordinated_team_pools(*, user: User) -> QuerySet[ExpertPool]:
    """The active `team` pools `user` coordinates, with their recurring meeting (if any)."""
    if not getattr(user, "is_authenticated", False):
        return ExpertPool.objects.none()
    return (
        ExpertPool.objects.filter(
            coordinators=user,
            is_active=True,
            collaboration_model=ExpertPool.CollaborationModel.TEAM,
        )
        .select_related("meeting_series")
        .order_by("name")
    )
