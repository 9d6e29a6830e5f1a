"""Reads for triage: the queue, claims, late questions, today's decisions, expert suggestions.
Everything starts from the worker's own pools (consultation.selectors.triage_questions_q)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.pagination import OrderedUnion
from consultation.models import Message, Question, QuestionExpert, Status
from consultation.selectors import question_prefetches, triage_questions_q, with_case_profile
from consultation.workflow import AWAITING_ADVICE, EXPERT_WORKLOAD
from expertise.availability import absences_covering, absent_until_label
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from expertise.workload import minutes_used
from triage.clock import Clock, clock, late_since
from triage.models import TriageClaim, TriageDecision
from wijkteam.models import age_band_label


class LateClock(StrEnum):
    """Which clock ran out: triage (a decision is due) or the first advice."""

    TRIAGE = "triage"
    ADVICE = "advice"


@dataclass(frozen=True)
class Lateness:
    triage: Clock
    advice: Clock
    # The lateness rule, the one place it is written: the triage clock runs while the question
    # waits in the queue; the advice clock until the first advice is given.
    triage_late: bool
    advice_late: bool


def lateness(question: Question, now) -> Lateness:
    """Both clocks of a question of a triage pool; `question.has_advice` must be annotated."""
    started = question.submitted_at or question.created_at
    triage_clock = clock(started, question.pool.triage_target_days, now)
    advice_clock = clock(started, question.pool.advice_target_days, now)
    return Lateness(
        triage=triage_clock,
        advice=advice_clock,
        triage_late=question.status == Status.IN_TRIAGE and triage_clock.is_late,
        advice_late=not question.has_advice and advice_clock.is_late,
    )


def with_has_advice(queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.annotate(
        has_advice=Exists(Message.objects.filter(question=OuterRef("pk"), kind=Message.Kind.ADVICE))
    )


def _lean(*, user) -> QuerySet[Question]:
    """The worker's pools' questions with what the lists filter and sort on, and nothing else:
    a list is sorted on these rows, and only its page is read with case, resident and pool."""
    return with_has_advice(Question.objects.filter(triage_questions_q(user=user)))


def _rows(*, user) -> QuerySet[Question]:
    """What a list shows per question (the page of a list, or a whole small list)."""
    return with_case_profile(_lean(user=user)).select_related("pool")


def _prefetches() -> list:
    claims = TriageClaim.objects.select_related("worker")
    return [*question_prefetches(experts=False), Prefetch("triage_claim", queryset=claims)]


def _decorate(question: Question, now) -> Question:
    late = lateness(question, now)
    question.triage_clock, question.advice_clock = late.triage, late.advice
    question.triage_late, question.advice_late = late.triage_late, late.advice_late
    question.age_band = age_band_label(question.resident_age)
    try:
        question.claim = question.triage_claim
    except TriageClaim.DoesNotExist:
        question.claim = None
    return question


def _sort_key(question: Question):
    # Urgent first, then the least time left on the triage clock.
    return (not question.is_urgent, question.triage_clock.due)


def _started() -> Coalesce:
    return Coalesce(F("submitted_at"), F("created_at"))


def _by_urgency_and_time_left(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """The queue's order in SQL, so that a page of it is read from the database: urgent first,
    then the least time left. Time left is approximated by start + target days in calendar days
    (exact within a pool: the clock grows with the start); each row shows its exact clock."""
    due = ExpressionWrapper(
        _started() + F("pool__triage_target_days") * Value(timedelta(days=1)),
        output_field=DateTimeField(),
    )
    return queryset.annotate(due_approx=due).order_by("-urgency", "due_approx", "pk")


QUEUE_ORDER = ("-urgency", "due_approx", "pk")


def queue_query(*, user) -> QuerySet[Question]:
    """The worker's pools' questions waiting for triage, in queue order. A list of ids and sort
    keys: read pages of it with `listed`, then `decorate` them."""
    return _by_urgency_and_time_left(_lean(user=user).filter(status=Status.IN_TRIAGE))


def claimed_by(*, user) -> QuerySet[Question]:
    """The questions of the queue the worker has claimed."""
    return queue_query(user=user).filter(triage_claim__worker=user)


def late_query(*, user, now=None) -> QuerySet[Question]:
    """Questions of the worker's pools whose triage or first-advice clock has run out, found by
    the database: per pool, the latest start that is late (triage.clock.late_since)."""
    from expertise.models import ExpertPool

    now = now or timezone.now()
    late = Q(pk__in=[])
    for pool in ExpertPool.objects.filter(triage_workers=user).only(
        "pk", "triage_target_days", "advice_target_days"
    ):
        late |= Q(pool=pool) & (
            Q(status=Status.IN_TRIAGE, started__lte=late_since(pool.triage_target_days, now))
            | Q(has_advice=False, started__lte=late_since(pool.advice_target_days, now))
        )
    base = _lean(user=user).filter(status__in=AWAITING_ADVICE).annotate(started=_started())
    return _by_urgency_and_time_left(base.filter(late))


def listed(questions: QuerySet[Question], *, user) -> OrderedUnion:
    """One of the lists above, to be paged: the list is sorted on its lean rows (at 500k the
    2,300 questions of a queue, joined to case and resident before the sort, took 22 ms); only
    the page is read again with what it shows (config.pagination.OrderedUnion)."""
    return OrderedUnion(
        [questions], rows=_by_urgency_and_time_left(_rows(user=user)), order=QUEUE_ORDER
    )


def decorate(questions, *, late: bool = False, now=None, prefetch: bool = True) -> list[Question]:
    """A page of the queue (or of late questions) with its clocks, age band and claim; with
    prefetch=False the caller has prefetched already (prefetch_pages)."""
    now = now or timezone.now()
    questions = list(questions)
    if prefetch:
        prefetch_pages(questions)
    decorated = [_decorate(q, now) for q in questions]
    if late:
        decorated = [q for q in decorated if q.triage_late or q.advice_late]
        for question in decorated:
            question.late_reason = LateClock.TRIAGE if question.triage_late else LateClock.ADVICE
    return decorated


def prefetch_pages(*pages) -> None:
    """Life domains, target groups and claim for the rows of several pages at once: 3 queries
    for the triage home's three lists instead of 3 per list."""
    prefetch_related_objects([q for page in pages for q in page], *_prefetches())


def _whole(questions: QuerySet[Question], *, user) -> QuerySet[Question]:
    return _rows(user=user).filter(pk__in=questions.values("pk"))


def queue_for(*, user) -> list[Question]:
    """The whole queue, decorated and in exact clock order (small pools, tests, tasks)."""
    return sorted(decorate(_whole(queue_query(user=user), user=user)), key=_sort_key)


def late_for(*, user) -> list[Question]:
    """All late questions, decorated, in exact clock order."""
    late = _whole(late_query(user=user), user=user)
    return sorted(decorate(late, late=True), key=_sort_key)


def decisions_today(*, user) -> QuerySet[TriageDecision]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        TriageDecision.objects.filter(worker=user, created_at__gte=start)
        .select_related("question__case")
        .order_by("-created_at", "-pk")
    )


@dataclass
class Suggestion:
    profile: ExpertProfile
    score: int
    reasons: list[str] = field(default_factory=list)
    available: bool = True


def suggest_experts(*, question: Question, limit: int = 8) -> list[Suggestion]:
    """Experts of the question's pool ranked by match on life domains and target groups, their
    open questions, hours left this month under their cap, and availability — with the why."""
    domains = list(question.life_domains.values_list("pk", flat=True))
    groups = list(question.target_groups.values_list("pk", flat=True))
    today = timezone.localdate()
    profiles = (
        ExpertProfile.objects.filter(pools=question.pool, is_active=True, user__is_active=True)
        .select_related("user")
        .annotate(
            domain_matches=Count("life_domains", filter=Q(life_domains__in=domains), distinct=True),
            group_matches=Count("target_groups", filter=Q(target_groups__in=groups), distinct=True),
        )
        .prefetch_related(
            Prefetch("life_domains", queryset=LifeDomain.objects.filter(pk__in=domains)),
            Prefetch("target_groups", queryset=TargetGroup.objects.filter(pk__in=groups)),
            # Away today (an absence's last day included); only the dates, never the note.
            Prefetch(
                "absences",
                queryset=absences_covering(today).only("expert_id", "ends_on"),
                to_attr="absent_today",
            ),
        )
    )
    open_counts = dict(
        QuestionExpert.objects.filter(
            expert__expert_profile__in=profiles,
            declined_at__isnull=True,
            question__status__in=EXPERT_WORKLOAD,
        )
        .values_list("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    pool = question.pool
    used = minutes_used(pool_id=pool.pk, expert_ids=[p.user_id for p in profiles], day=today)
    suggestions = []
    for profile in profiles:
        matched = [d.name for d in profile.life_domains.all()] + [
            g.name for g in profile.target_groups.all()
        ]
        open_count = open_counts.get(profile.user_id, 0)
        # The pool's cap less the time registered this month (hours app, through workload).
        hours_left = Decimal(max(pool.monthly_cap_minutes - used.get(profile.user_id, 0), 0)) / 60
        away_until = max((a.ends_on for a in profile.absent_today), default=None)
        held_back = bool(profile.unavailable_until and profile.unavailable_until >= today)
        available = not held_back and away_until is None
        score = 10 * (profile.domain_matches + profile.group_matches) - 3 * open_count
        score += int(min(hours_left, Decimal(8)))
        if not available:
            score -= 100
        reasons = []
        if matched:
            reasons.append(_("matches %(what)s") % {"what": ", ".join(matched)})
        else:
            reasons.append(_("no match on life domain or target group"))
        reasons.append(
            ngettext("%(n)s open question", "%(n)s open questions", open_count) % {"n": open_count}
        )
        reasons.append(
            _("%(hours)s hours left this month") % {"hours": number_format(hours_left, 1)}
        )
        if away_until is not None:
            reasons.append(absent_until_label(away_until, today=today))
        if held_back:
            reasons.append(
                _("unavailable until %(date)s")
                % {"date": profile.unavailable_until.strftime("%d-%m-%Y")}
            )
        suggestions.append(
            Suggestion(profile=profile, score=score, reasons=reasons, available=available)
        )
    # Available experts always before unavailable ones; then by score.
    suggestions.sort(key=lambda s: (not s.available, -s.score, s.profile.user.last_name))
    return suggestions[:limit]


def redirect_pools(*, question: Question) -> QuerySet[ExpertPool]:
    """Where triage may send a question on: the other active pools that serve its team."""
    return (
        ExpertPool.objects.filter(teams=question.team_id, is_active=True)
        .exclude(pk=question.pool_id)
        .order_by("name")
    )


def assigned_by(*, user) -> QuerySet[Question]:
    """The questions the worker assigned to experts, the latest assignment first: they leave the
    queue, and stay findable here with where they are now. Read a page with `with_experts`."""
    mine = TriageDecision.objects.filter(
        question=OuterRef("pk"), worker=user, kind=TriageDecision.Kind.ASSIGN
    )
    last = mine.order_by("-created_at").values("created_at")[:1]
    return (
        _rows(user=user)
        .filter(Exists(mine))
        .annotate(assigned_at=Subquery(last))
        .order_by("-assigned_at", "-pk")
    )


def with_experts(questions) -> list[Question]:
    """A page of questions with their domains, groups and the experts on them (who accepted,
    who declined): three queries for the page."""
    questions = list(questions)
    prefetch_related_objects(questions, *question_prefetches())
    return questions
