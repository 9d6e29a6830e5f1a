"""Reads for triage: the queue, claims, late questions, today's decisions, expert suggestions.
Everything starts from the worker's own pools (consultation.selectors.triage_questions_q)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from consultation.models import Message, Question, QuestionExpert, Status
from consultation.selectors import triage_questions_q, with_case_profile
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from triage.clock import clock
from triage.models import TriageClaim, TriageDecision
from wijkteam.models import age_band_label

# Questions whose first advice is still awaited: the advice clock runs for these.
AWAITING_ADVICE = [
    Status.IN_TRIAGE,
    Status.ASSIGNED,
    Status.SCHEDULED,
    Status.OPEN,
    Status.NEEDS_CLARIFICATION,
]


def triage_pools_of(*, user) -> QuerySet[ExpertPool]:
    return ExpertPool.objects.filter(triage_workers=user, is_active=True)


def is_triage_worker_for(*, user, question: Question) -> bool:
    return ExpertPool.objects.filter(
        pk=question.pool_id, triage_workers=user, is_active=True
    ).exists()


def _queue_base(*, user) -> QuerySet[Question]:
    claims = TriageClaim.objects.select_related("worker")
    return (
        with_case_profile(Question.objects.filter(triage_questions_q(user=user)))
        .select_related("pool")
        .prefetch_related(
            Prefetch("life_domains", queryset=LifeDomain.objects.only("pk", "name", "order")),
            Prefetch("target_groups", queryset=TargetGroup.objects.only("pk", "name")),
        )
        .annotate(
            has_advice=Exists(
                Message.objects.filter(question=OuterRef("pk"), kind=Message.Kind.ADVICE)
            )
        )
        .prefetch_related(Prefetch("triage_claim", queryset=claims))
    )


def _decorate(question: Question, now) -> Question:
    started = question.submitted_at or question.created_at
    question.triage_clock = clock(started, question.pool.triage_target_days, now)
    question.advice_clock = clock(started, question.pool.advice_target_days, now)
    question.age_band = age_band_label(question.resident_age)
    try:
        question.claim = question.triage_claim
    except TriageClaim.DoesNotExist:
        question.claim = None
    return question


def _sort_key(question: Question):
    # Urgent first, then the least time left on the triage clock.
    return (question.urgency != Question.Urgency.URGENT, question.triage_clock.due)


def queue_for(*, user) -> list[Question]:
    """The worker's pools' questions waiting for triage (a fixed number of queries)."""
    now = timezone.now()
    questions = [_decorate(q, now) for q in _queue_base(user=user).filter(status=Status.IN_TRIAGE)]
    return sorted(questions, key=_sort_key)


def late_for(*, user) -> list[Question]:
    """Questions of the worker's pools whose triage or first-advice clock has run out."""
    now = timezone.now()
    candidates = _queue_base(user=user).filter(status__in=AWAITING_ADVICE)
    late = []
    for question in (_decorate(q, now) for q in candidates):
        triage_late = question.status == Status.IN_TRIAGE and question.triage_clock.is_late
        advice_late = not question.has_advice and question.advice_clock.is_late
        if triage_late or advice_late:
            question.late_reason = "triage" if triage_late else "advice"
            late.append(question)
    return sorted(late, key=_sort_key)


def decisions_today(*, user) -> QuerySet[TriageDecision]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        TriageDecision.objects.filter(worker=user, created_at__gte=start)
        .select_related("question__case")
        .order_by("-created_at")
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
    open_states = [
        Status.ASSIGNED,
        Status.OPEN,
        Status.ANSWERED,
        Status.NEEDS_CLARIFICATION,
        Status.SCHEDULED,
    ]
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
        )
    )
    open_counts = dict(
        QuestionExpert.objects.filter(
            expert__expert_profile__in=profiles,
            declined_at__isnull=True,
            question__status__in=open_states,
        )
        .values_list("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    today = timezone.localdate()
    suggestions = []
    for profile in profiles:
        matched = [d.name for d in profile.life_domains.all()] + [
            g.name for g in profile.target_groups.all()
        ]
        open_count = open_counts.get(profile.user_id, 0)
        # Hours are not registered yet (the hours issue): until then the whole cap is left.
        hours_left = profile.monthly_hour_cap
        available = not (profile.unavailable_until and profile.unavailable_until >= today)
        score = 10 * (profile.domain_matches + profile.group_matches) - 3 * open_count
        score += int(min(hours_left, Decimal(8)))
        if not available:
            score -= 100
        reasons = []
        if matched:
            reasons.append(_("matches %(what)s") % {"what": ", ".join(matched)})
        else:
            reasons.append(_("no match on life domain or target group"))
        reasons.append(_("%(n)s open questions") % {"n": open_count})
        reasons.append(
            _("%(hours)s hours left this month") % {"hours": number_format(hours_left, 1)}
        )
        if not available:
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
