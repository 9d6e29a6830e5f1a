"""Reads for questions. `questions_visible_to` is the one visibility chokepoint (DESIGN §4.2):
every list, detail, API endpoint and export starts from it; what it leaves out is a 404."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from consultation.models import (
    Attachment,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionRevision,
    QuestionTransition,
    QuestionUserObjectPermission,
    Status,
)
from consultation.workflow import OPEN_TO_NETWORK
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from wijkteam.selectors import AgeInYears, team_ids_of

# The row-level grants an expert gets on a question they picked up or were assigned.
VIEW_GRANT = "view_question"
ADVISE_GRANT = "advise_question"


def _granted_question_ids(*, user, codename: str = VIEW_GRANT) -> QuerySet:
    """Questions the user holds a row-level grant on (picked up / assigned experts)."""
    return QuestionUserObjectPermission.objects.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")


def _open_to_expert(*, user) -> Q:
    """Network-pool questions matching the expert's life domains or target groups."""
    pools = ExpertPool.objects.filter(
        experts__user=user,
        experts__is_active=True,
        is_active=True,
        collaboration_model=ExpertPool.CollaborationModel.NETWORK,
    ).values("pk")
    domains = LifeDomain.objects.filter(experts__user=user).values("pk")
    groups = TargetGroup.objects.filter(experts__user=user).values("pk")
    matches_domain = Exists(
        Question.life_domains.through.objects.filter(
            question_id=OuterRef("pk"), lifedomain_id__in=domains
        )
    )
    matches_group = Exists(
        Question.target_groups.through.objects.filter(
            question_id=OuterRef("pk"), targetgroup_id__in=groups
        )
    )
    return Q(pool_id__in=pools, status__in=OPEN_TO_NETWORK) & (matches_domain | matches_group)


def expert_questions_q(*, user) -> Q:
    """What an expert sees as an expert: open to them, or granted to them."""
    return _open_to_expert(user=user) | Q(pk__in=_granted_question_ids(user=user))


def expert_advice_q(*, user) -> Q:
    """What an expert may advise on: open to them, or granted advising (a declined assignment
    takes both grants away)."""
    return _open_to_expert(user=user) | Q(
        pk__in=_granted_question_ids(user=user, codename=ADVISE_GRANT)
    )


def team_questions_q(*, user) -> Q:
    return Q(team_id__in=team_ids_of(user=user))


def triage_questions_q(*, user) -> Q:
    """A triage worker sees the submitted questions of their own pools (never a draft), and
    through them only the case pseudonym, age band and household, like an expert."""
    pools = ExpertPool.objects.filter(triage_workers=user, is_active=True).values("pk")
    return Q(pool_id__in=pools) & ~Q(status=Status.DRAFT)


def questions_visible_to(*, user) -> QuerySet[Question]:
    """Every question `user` may see: their teams' questions, as an expert the questions open to
    them or granted to them, as a triage worker their pools' submitted questions. Municipality
    admins see none (reports are aggregates); superusers get no shortcut."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return Question.objects.filter(
        team_questions_q(user=user) | expert_questions_q(user=user) | triage_questions_q(user=user)
    )


def with_unread(queryset: QuerySet[Question], *, user) -> QuerySet[Question]:
    """Annotate `is_unread`: activity since the user last opened the question."""
    read_since = QuestionRead.objects.filter(
        question=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_activity_at")
    )
    return queryset.annotate(is_unread=~Exists(read_since))


def with_case_profile(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Pseudonym, age in years (for the age band) and household: all an expert learns of the
    resident. The birth date itself never leaves the database."""
    return queryset.annotate(
        case_pseudonym=F("case__pseudonym"),
        resident_age=AgeInYears("case__resident__date_of_birth"),
        resident_household=F("case__resident__household"),
    )


def question_prefetches(*, experts: bool = True) -> list[Prefetch]:
    """What every list of questions shows beside the row: its life domains and target groups,
    and (unless left out) the experts on it with their discipline. One query each."""
    prefetches = [
        Prefetch("life_domains", queryset=LifeDomain.objects.only("pk", "name", "order")),
        Prefetch("target_groups", queryset=TargetGroup.objects.only("pk", "name")),
    ]
    if experts:
        on_it = QuestionExpert.objects.select_related("expert__expert_profile")
        prefetches.append(Prefetch("experts", queryset=on_it.order_by("created_at", "pk")))
    return prefetches


def expert_inbox(
    *,
    user,
    life_domain: int | None = None,
    target_group: int | None = None,
    urgency: str | None = None,
    status: str | None = None,
) -> QuerySet[Question]:
    """The expert's inbox: questions open to them and assigned to them, newest activity first.
    A fixed number of queries whatever the number of rows (1 + 3 prefetches)."""
    queryset = Question.objects.filter(expert_questions_q(user=user))
    if life_domain:
        queryset = queryset.filter(life_domains=life_domain)
    if target_group:
        queryset = queryset.filter(target_groups=target_group)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if status:
        queryset = queryset.filter(status=status)
    queryset = with_unread(with_case_profile(queryset), user=user)
    return (
        queryset.select_related("pool")
        .prefetch_related(*question_prefetches())
        .order_by("-urgency", "-last_activity_at", "-pk")  # pk: pages never overlap
        .distinct()
    )


CASE_QUESTIONS = 5  # questions per case on the team's home


def team_cases(*, user):
    """The team's cases with their questions (pseudonyms and statuses; no identity): 2 queries."""
    from wijkteam.selectors import cases_visible_to

    # Per case its newest questions, one more than the page shows (CASE_QUESTIONS) to say that
    # there are more (on the case page): a sliced prefetch, still one query.
    questions = with_unread(Question.objects.order_by("-last_activity_at", "-pk"), user=user)
    return (
        cases_visible_to(user=user)
        .select_related("team", "owner")
        .prefetch_related(
            Prefetch(
                "questions", queryset=questions[: CASE_QUESTIONS + 1], to_attr="recent_questions"
            )
        )
        .order_by("-created_at", "-pk")
    )


def question_detail(*, user, pk: int) -> Question:
    """One question with everything its page shows, or Question.DoesNotExist (→ 404)."""
    messages = Message.objects.select_related("author").order_by("created_at", "pk")
    return (
        with_case_profile(questions_visible_to(user=user))
        .select_related("pool", "asked_by", "team", "case")
        .prefetch_related(
            Prefetch("messages", queryset=messages),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch("revisions", queryset=QuestionRevision.objects.select_related("revised_by")),
            *question_prefetches(),
        )
        .get(pk=pk)
    )


def expert_profile_of(*, user) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user, is_active=True).first()


def notifications_for(*, user) -> QuerySet[Notification]:
    """In-app notifications: the bell and its list."""
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP)
        .annotate(case_pseudonym=F("question__case__pseudonym"))
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(*, user) -> int:
    """The bell's number, on every page: Notification alone (no join), from a partial index
    (recipient where in-app and unread), bounded — the bell shows "99+" beyond."""
    unread = Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    )
    return unread[:UNREAD_BOUND].count()


UNREAD_BOUND = 100


def question_history(*, question: Question) -> QuerySet[QuestionTransition]:
    """A question's history, newest first (the page shows it a page at a time)."""
    return question.transitions.select_related("actor").order_by("-created_at", "-pk")
