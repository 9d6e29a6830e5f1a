"""Triage writes (DESIGN §3, the Eemland model). Every decision is recorded with its reason,
in the question's history (consultation.workflow) and as a TriageDecision."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, DurationField, ExpressionWrapper, F, Q, When
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from consultation import workflow
from consultation.models import (
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionTransition,
    Status,
)
from consultation.notifications import notify
from expertise.models import ExpertPool, ExpertProfile
from triage.models import QuestionRevision, TriageClaim, TriageDecision
from triage.selectors import is_triage_worker_for

# Urgent before normal, explicitly (not by the alphabet of the stored values).
URGENT_FIRST = Case(When(urgency=Question.Urgency.URGENT, then=0), default=1)

REDIRECT_TARGETS = {
    "regular_care": "regular care / voorliggend veld",
    "other_pool": "another expert pool",
    "gp": "back to the GP",
}


def _require_worker(*, worker, question: Question) -> None:
    if not is_triage_worker_for(user=worker, question=question):
        raise PermissionDenied(_("Only the triage workers of the pool can do this."))


def _idle_cutoff(pool: ExpertPool):
    return timezone.now() - timedelta(minutes=pool.claim_idle_minutes)


def _require_claim(*, worker, question: Question) -> TriageClaim:
    """The worker must hold the question; acting on it keeps the claim alive."""
    _require_worker(worker=worker, question=question)
    # The question may have left triage meanwhile (withdrawn by the team): refuse politely.
    if workflow.lock(question).status != Status.IN_TRIAGE:
        TriageClaim.objects.filter(question=question).delete()
        raise ValidationError(_("This question is not waiting for triage."))
    claim = TriageClaim.objects.select_for_update().filter(question=question).first()
    if claim is None or claim.worker_id != worker.pk:
        raise ValidationError(_("Claim the question before you work on it."))
    claim.touched_at = timezone.now()
    claim.save(update_fields=["touched_at"])
    return claim


def _decide(*, worker, question: Question, kind: str, reason: str = "") -> TriageDecision:
    return TriageDecision.objects.create(
        question=question, worker=worker, kind=kind, reason=reason[:500]
    )


def _release(question: Question) -> None:
    TriageClaim.objects.filter(question=question).delete()


def release_idle_claims() -> int:
    """Claims idle longer than their pool allows return to the queue."""
    idle = ExpressionWrapper(
        F("question__pool__claim_idle_minutes") * timedelta(minutes=1), output_field=DurationField()
    )
    stale = TriageClaim.objects.annotate(
        expires=ExpressionWrapper(F("touched_at") + idle, output_field=DateTimeField())
    ).filter(expires__lt=Now())
    deleted, _details = TriageClaim.objects.filter(
        pk__in=list(stale.values_list("pk", flat=True))
    ).delete()
    return deleted


# --- Claims ----------------------------------------------------------------------------------
@transaction.atomic
def triage_claim(*, worker, question: Question) -> TriageClaim:
    """Claim this question. Someone else's live claim wins; an idle one is taken over."""
    _require_worker(worker=worker, question=question)
    question = workflow.lock(question)
    if question.status != Status.IN_TRIAGE:
        raise ValidationError(_("This question is not waiting for triage."))
    claim = TriageClaim.objects.select_for_update().filter(question=question).first()
    if claim is not None:
        if claim.worker_id == worker.pk:
            return claim
        if claim.touched_at >= _idle_cutoff(question.pool):
            raise ValidationError(
                _("%(name)s is already working on this question.")
                % {"name": claim.worker.get_full_name()}
            )
        claim.delete()
    return TriageClaim.objects.create(question=question, worker=worker)


def triage_claim_next(*, worker) -> Question | None:
    """Give me the next one: the most urgent unclaimed question of my pools, locked with
    SKIP LOCKED so that two workers asking at once never get the same question."""
    pools = list(
        ExpertPool.objects.filter(triage_workers=worker, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if not pools:
        return None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                question = (
                    Question.objects.filter(status=Status.IN_TRIAGE, pool_id__in=pools)
                    .filter(Q(triage_claim__isnull=True))
                    .order_by(URGENT_FIRST, "submitted_at", "pk")
                    .select_for_update(skip_locked=True, of=("self",))
                    .first()
                )
                if question is None:
                    return None
                TriageClaim.objects.create(question=question, worker=worker)
                return question
        except IntegrityError:
            continue  # claimed through the single-question path meanwhile: take the next
    return None


@transaction.atomic
def triage_release(*, worker, question: Question) -> None:
    _require_worker(worker=worker, question=question)
    TriageClaim.objects.filter(question=question, worker=worker).delete()


# --- Decisions -------------------------------------------------------------------------------
def _discipline(worker) -> str:
    profile = ExpertProfile.objects.filter(user=worker).first()
    return profile.job_title if profile else _("triage worker")


@transaction.atomic
def triage_answer(*, worker, question: Question, body: str, reason: str = "") -> Message:
    """Answer directly, as in Eemland: the generalist can go on."""
    _require_claim(worker=worker, question=question)
    message = Message.objects.create(
        question=question,
        author=worker,
        kind=Message.Kind.ADVICE,
        body=body,
        author_discipline=_discipline(worker),
    )
    workflow.transition(
        question=question,
        to=Status.ANSWERED,
        actor=worker,
        reason=reason or "answered directly by triage",
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.ANSWER, reason=reason)
    _release(question)
    notify(
        kind=Notification.Kind.NEW_ADVICE,
        question=question,
        recipients=[question.asked_by],
        event_key=f"message:{message.pk}",
    )
    return message


@transaction.atomic
def triage_ask_clarification(*, worker, question: Question, body: str) -> Message:
    """Back to the generalist; their answer returns the question to the queue, at its original
    place (the queue orders by urgency and the clock from submission)."""
    _require_claim(worker=worker, question=question)
    message = Message.objects.create(
        question=question,
        author=worker,
        kind=Message.Kind.CLARIFICATION_REQUEST,
        body=body,
        author_discipline=_discipline(worker),
    )
    workflow.transition(
        question=question,
        to=Status.NEEDS_CLARIFICATION,
        actor=worker,
        reason="clarification asked by triage",
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.CLARIFY)
    _release(question)
    notify(
        kind=Notification.Kind.CLARIFICATION_REQUESTED,
        question=question,
        recipients=[question.asked_by],
        event_key=f"message:{message.pk}",
    )
    return message


@transaction.atomic
def triage_sharpen(
    *, worker, question: Question, title: str, summary: str, reason: str = ""
) -> Question:
    """Edit what experts will read; the earlier version is kept for the generalist."""
    _require_claim(worker=worker, question=question)
    question = workflow.lock(question)
    if not title.strip():
        raise ValidationError({"title": _("A title is required.")})
    QuestionRevision.objects.create(
        question=question, title=question.title, summary=question.summary, revised_by=worker
    )
    question.title, question.summary = title.strip()[:160], summary.strip()
    question.last_activity_at = timezone.now()
    question.save(update_fields=["title", "summary", "last_activity_at"])
    # In the question's history too, although the status does not change.
    QuestionTransition.objects.create(
        question=question,
        actor=worker,
        from_status=question.status,
        to_status=question.status,
        reason=("sharpened by triage: " + reason if reason else "sharpened by triage")[:500],
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.SHARPEN, reason=reason)
    revision = question.revisions.first()
    notify(
        kind=Notification.Kind.SHARPENED,
        question=question,
        recipients=[question.asked_by],
        event_key=f"sharpen:{revision.pk}",
    )
    return question


@transaction.atomic
def triage_assign(*, worker, question: Question, experts, reason: str = "") -> list:
    """Assign to one or more experts of the pool; they are notified and accept or decline."""
    _require_claim(worker=worker, question=question)
    experts = list(experts)
    if not experts:
        raise ValidationError({"experts": _("Choose at least one expert.")})
    allowed = set(
        ExpertProfile.objects.filter(pools=question.pool, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if any(expert.pk not in allowed for expert in experts):
        raise ValidationError({"experts": _("Only experts of this pool can be assigned.")})
    links = []
    for expert in experts:
        link, _created = QuestionExpert.objects.update_or_create(
            question=question,
            expert=expert,
            defaults={
                "kind": QuestionExpert.Kind.ASSIGNED,
                "declined_at": None,
                "decline_reason": "",
                "accepted_at": None,
            },
        )
        assign_perm("consultation.view_question", expert, question)
        assign_perm("consultation.advise_question", expert, question)
        links.append(link)
    names = ", ".join(e.get_full_name() for e in experts)
    step = workflow.transition(
        question=question,
        to=Status.ASSIGNED,
        actor=worker,
        reason=(reason or "assigned") + f" ({names})",
    )
    _decide(
        worker=worker, question=question, kind=TriageDecision.Kind.ASSIGN, reason=reason or names
    )
    _release(question)
    notify(
        kind=Notification.Kind.ASSIGNED,
        question=question,
        recipients=experts,
        event_key=f"assign:{step.last_step.pk}",
    )
    return links


@transaction.atomic
def triage_plan_session(*, worker, question: Question, reason: str) -> Question:
    """Several kinds of expertise are needed: a multidisciplinary session (MDO). Until the
    sessions issue plans it, the wish is recorded and the question waits in `scheduled`."""
    _require_claim(worker=worker, question=question)
    workflow.transition(
        question=question,
        to=Status.SCHEDULED,
        actor=worker,
        reason=reason or "multidisciplinary session wanted",
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.SESSION, reason=reason)
    _release(question)
    return question


@transaction.atomic
def triage_redirect(*, worker, question: Question, target: str, note: str) -> Question:
    """To regular care / the voorliggend veld, another pool, or back to the GP; it ends here."""
    _require_claim(worker=worker, question=question)
    if target not in REDIRECT_TARGETS:
        raise ValidationError({"target": _("Choose where the question goes.")})
    if not note.strip():
        raise ValidationError({"note": _("Write a note for the generalist.")})
    message = Message.objects.create(
        question=question,
        author=worker,
        kind=Message.Kind.TRIAGE_NOTE,
        body=note,
        author_discipline=_discipline(worker),
    )
    workflow.transition(
        question=question,
        to=Status.REDIRECTED,
        actor=worker,
        reason=f"redirected: {REDIRECT_TARGETS[target]}",
    )
    _decide(
        worker=worker,
        question=question,
        kind=TriageDecision.Kind.REDIRECT,
        reason=REDIRECT_TARGETS[target],
    )
    _release(question)
    notify(
        kind=Notification.Kind.REDIRECTED,
        question=question,
        recipients=[question.asked_by],
        event_key=f"message:{message.pk}",
    )
    return question


# --- The assigned expert ---------------------------------------------------------------------
def _assignment(*, expert, question: Question) -> QuestionExpert:
    link = (
        QuestionExpert.objects.select_for_update()
        .filter(
            question=question,
            expert=expert,
            kind=QuestionExpert.Kind.ASSIGNED,
            declined_at__isnull=True,
        )
        .first()
    )
    if link is None:
        raise PermissionDenied(_("This question is not assigned to you."))
    return link


@transaction.atomic
def assignment_accept(*, expert, question: Question) -> QuestionExpert:
    link = _assignment(expert=expert, question=question)
    if link.accepted_at is None:
        link.accepted_at = timezone.now()
        link.save(update_fields=["accepted_at"])
    return link


@transaction.atomic
def assignment_decline(*, expert, question: Question, reason: str) -> QuestionExpert:
    """Decline with a reason. When nobody assigned is left, the question returns to the queue."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the triage worker why.")})
    question = workflow.lock(question)
    link = _assignment(expert=expert, question=question)
    link.declined_at, link.decline_reason = timezone.now(), reason.strip()[:500]
    link.save(update_fields=["declined_at", "decline_reason"])
    remove_perm("consultation.view_question", expert, question)
    remove_perm("consultation.advise_question", expert, question)
    still_assigned = QuestionExpert.objects.filter(
        question=question, kind=QuestionExpert.Kind.ASSIGNED, declined_at__isnull=True
    ).exists()
    if (
        question.status == Status.NEEDS_CLARIFICATION
        and question.status_before_clarification == Status.ASSIGNED
        and not still_assigned
    ):
        # Nobody is assigned any more: after the reply the question goes back to the queue.
        question.status_before_clarification = Status.IN_TRIAGE
        question.save(update_fields=["status_before_clarification"])
    if question.status == Status.ASSIGNED and not still_assigned:
        workflow.transition(
            question=question,
            to=Status.IN_TRIAGE,
            actor=expert,
            reason=f"declined by {expert.get_full_name()}: {link.decline_reason}",
        )
    notify(
        kind=Notification.Kind.DECLINED,
        question=question,
        recipients=list(question.pool.triage_workers.all()),
        event_key=f"decline:{link.pk}:{link.declined_at.isoformat()}",
    )
    return link
