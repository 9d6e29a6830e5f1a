"""Keeping the flow alive (Celery beat): idle claims return to the queue, and questions whose
clock runs out are flagged to the pool's triage workers (and to the team lead when the first
advice is late). Each notice is sent once: its notification key is unique per question and
level (late, very late), so the task can run every few minutes and twice without harm."""

from celery import shared_task
from django.utils import timezone

from consultation.models import Notification, Question
from consultation.notifications import notify
from consultation.workflow import AWAITING_ADVICE
from expertise.models import ExpertPool
from triage.selectors import lateness, with_has_advice
from triage.services import release_idle_claims
from wijkteam.models import TeamMembership


# One pass over the open questions of the active triage pools, a few writes per late one;
# idempotent, so a run cut short by the soft limit is finished by the next.
@shared_task(name="triage.tasks.check_clocks", soft_time_limit=120, time_limit=180)
def check_clocks() -> dict:
    released = release_idle_claims()
    now = timezone.now()
    flagged = 0
    candidates = list(
        with_has_advice(
            Question.objects.filter(
                pool__collaboration_model=ExpertPool.CollaborationModel.TRIAGE,
                pool__is_active=True,
                status__in=AWAITING_ADVICE,
            )
        )
        .select_related("pool")
        .prefetch_related("pool__triage_workers")
    )
    # The team leads of every asking team in one query, not one per late question.
    leads_by_team: dict[int, list] = {}
    for membership in TeamMembership.objects.filter(
        team_id__in={q.team_id for q in candidates}, role=TeamMembership.Role.TEAM_LEAD
    ).select_related("user"):
        leads_by_team.setdefault(membership.team_id, []).append(membership.user)
    for question in candidates:
        late = lateness(question, now)
        workers = list(question.pool.triage_workers.all())
        if late.triage_late:
            level = "very-late" if late.triage.is_very_late else "late"
            notify(
                kind=Notification.Kind.TRIAGE_LATE,
                question=question,
                recipients=workers,
                event_key=f"triage-{level}:{question.pk}",
            )
            flagged += 1
        if late.advice_late:
            leads = leads_by_team.get(question.team_id, [])
            level = "very-late" if late.advice.is_very_late else "late"
            notify(
                kind=Notification.Kind.ADVICE_LATE,
                question=question,
                recipients=workers + leads,
                event_key=f"advice-{level}:{question.pk}",
            )
            flagged += 1
    return {"released": released, "flagged": flagged}
