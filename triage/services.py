"""Triage writes (DESIGN §3, the Eemland model). Every decision is recorded with its reason,
in the question's history (consultation.workflow) and as a TriageDecision."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from consultation import workflow
from consultation.access import Side, question_for_update
from consultation.models import (
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRevision,
    Reason,
    Status,
)
from consultation.notifications import notify
from consultation.selectors import ADVISE_GRANT, VIEW_GRANT
from consultation.services import grant_expert, post
from expertise.models import ExpertPool, ExpertProfile
from triage.models import RedirectTarget, TriageClaim, TriageDecision
from triage.selectors import redirect_pools

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

# Urgent before normal, explicitly (not by the alphabet of the stored values).
# Claim next: urgent ("urgent" > "normal") first, then the longest waiting.
NEXT_ORDER = ("-urgency", "submitted_at", "pk")
NEXT_CANDIDATES = 10

REDIRECT_REASONS = {
    RedirectTarget.REGULAR_CARE: Reason.REDIRECTED_REGULAR_CARE,
    RedirectTarget.OTHER_POOL: Reason.REDIRECTED_OTHER_POOL,
    RedirectTarget.GP: Reason.REDIRECTED_GP,
}


def _idle_cutoff(pool: ExpertPool):
    return timezone.now() - timedelta(minutes=pool.claim_idle_minutes)


def _claimed_for_update(*, worker: User, question: Question) -> Question:
    """The locked question, if the worker holds its claim; acting on it keeps the claim alive."""
    question = question_for_update(actor=worker, question=question, side=Side.TRIAGE)
    # The question may have left triage meanwhile (withdrawn by the team): refuse politely.
    if question.status != Status.IN_TRIAGE:
        TriageClaim.objects.filter(question=question).delete()
        raise ValidationError(_("This question is not waiting for triage."))
    claim = TriageClaim.objects.select_for_update().filter(question=question).first()
    if claim is None or claim.worker_id != worker.pk:
        raise ValidationError(_("Claim the question before you work on it."))
    claim.touched_at = timezone.now()
    claim.save(update_fields=["touched_at"])
    return question


def _decide(
    *,
    worker: User,
    question: Question,
    kind: str,
    reason: str = "",
    target: str = "",
    release: bool = True,
) -> TriageDecision:
    """Record the decision; unless the worker goes on with it (sharpening), the question
    leaves their hands (the claim is released)."""
    if release:
        TriageClaim.objects.filter(question=question).delete()
    return TriageDecision.objects.create(
        question=question, worker=worker, kind=kind, reason=reason[:500], redirect_target=target
    )


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
def triage_claim(*, worker: User, question: Question) -> TriageClaim:
    """Claim this question. Someone else's live claim wins; an idle one is taken over."""
    question = question_for_update(actor=worker, question=question, side=Side.TRIAGE)
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


def triage_claim_next(*, worker: User) -> Question | None:
    """Give me the next one: the most urgent unclaimed question of my pools, locked with
    SKIP LOCKED so that two workers asking at once never get the same question."""
    pools = list(
        ExpertPool.objects.filter(triage_workers=worker, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if not pools:
        return None
    waiting = Question.objects.filter(
        status=Status.IN_TRIAGE, pool_id__in=pools, triage_claim__isnull=True
    ).order_by(*NEXT_ORDER)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # The first few in queue order from the covering index alone (question_queue),
                # then the first of those not locked by another worker; only when all of them
                # are taken right now, the whole queue with SKIP LOCKED.
                first = list(waiting.values_list("pk", flat=True)[:NEXT_CANDIDATES])
                lockable = waiting.select_for_update(skip_locked=True, of=("self",))
                question = lockable.filter(pk__in=first).first() if first else None
                if question is None and len(first) == NEXT_CANDIDATES:
                    question = lockable.first()
                if question is None:
                    return None
                TriageClaim.objects.create(question=question, worker=worker)
                return question
        except IntegrityError:
            continue  # claimed through the single-question path meanwhile: take the next
    return None


@transaction.atomic
def triage_release(*, worker: User, question: Question) -> None:
    question = question_for_update(actor=worker, question=question, side=Side.TRIAGE)
    TriageClaim.objects.filter(question=question, worker=worker).delete()


# --- Decisions -------------------------------------------------------------------------------
def _discipline(worker: User) -> str:
    profile = ExpertProfile.objects.filter(user=worker).first()
    return profile.job_title if profile else _("triage worker")


@transaction.atomic
def triage_answer(*, worker: User, question: Question, body: str, reason: str = "") -> Message:
    """Answer directly, as in Eemland: the generalist can go on."""
    question = _claimed_for_update(worker=worker, question=question)
    message = post(
        question=question,
        author=worker,
        kind=Message.Kind.ADVICE,
        body=body,
        discipline=_discipline(worker),
        move_to=Status.ANSWERED,
        code=Reason.TRIAGE_ANSWERED,
        reason=reason,
        notify_kind=Notification.Kind.NEW_ADVICE,
        recipients=[question.asked_by],
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.ANSWER, reason=reason)
    return message


@transaction.atomic
def triage_ask_clarification(*, worker: User, question: Question, body: str) -> Message:
    """Back to the generalist; their answer returns the question to the queue, at its original
    place (the queue orders by urgency and the clock from submission)."""
    question = _claimed_for_update(worker=worker, question=question)
    message = post(
        question=question,
        author=worker,
        kind=Message.Kind.CLARIFICATION_REQUEST,
        body=body,
        discipline=_discipline(worker),
        move_to=Status.NEEDS_CLARIFICATION,
        code=Reason.TRIAGE_CLARIFICATION,
        notify_kind=Notification.Kind.CLARIFICATION_REQUESTED,
        recipients=[question.asked_by],
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.CLARIFY)
    return message


@transaction.atomic
def triage_sharpen(
    *, worker: User, question: Question, title: str, summary: str, reason: str = ""
) -> Question:
    """Edit what experts will read; the earlier version is kept for the generalist."""
    question = _claimed_for_update(worker=worker, question=question)
    if not title.strip():
        raise ValidationError({"title": _("A title is required.")})
    revision = QuestionRevision.objects.create(
        question=question, title=question.title, summary=question.summary, revised_by=worker
    )
    question.title, question.summary = title.strip()[:160], summary.strip()
    question.save(update_fields=["title", "summary"])
    # In the question's history too, although the status does not change.
    workflow.record(question=question, actor=worker, code=Reason.SHARPENED, reason=reason)
    _decide(
        worker=worker,
        question=question,
        kind=TriageDecision.Kind.SHARPEN,
        reason=reason,
        release=False,
    )
    notify(
        kind=Notification.Kind.SHARPENED,
        question=question,
        recipients=[question.asked_by],
        event_key=f"sharpen:{revision.pk}",
    )
    return question


@transaction.atomic
def triage_assign(
    *, worker: User, question: Question, experts: Iterable[User], reason: str = ""
) -> list[QuestionExpert]:
    """Assign to one or more experts of the pool; they are notified and accept or decline."""
    question = _claimed_for_update(worker=worker, question=question)
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
        grant_expert(question=question, expert=expert)
        links.append(link)
    names = ", ".join(e.get_full_name() for e in experts)
    step = workflow.transition(
        question=question,
        to=Status.ASSIGNED,
        actor=worker,
        code=Reason.ASSIGNED,
        reason=f"{reason} ({names})" if reason else names,
    )
    _decide(
        worker=worker, question=question, kind=TriageDecision.Kind.ASSIGN, reason=reason or names
    )
    notify(
        kind=Notification.Kind.ASSIGNED,
        question=question,
        recipients=experts,
        event_key=f"assign:{step.pk}",
    )
    return links


@transaction.atomic
def triage_plan_session(*, worker: User, question: Question, reason: str) -> Question:
    """Several kinds of expertise are needed: a multidisciplinary session (MDO). Until the
    sessions issue plans it, the wish is recorded and the question waits in `scheduled`."""
    question = _claimed_for_update(worker=worker, question=question)
    workflow.transition(
        question=question,
        to=Status.SCHEDULED,
        actor=worker,
        code=Reason.SESSION_WANTED,
        reason=reason,
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.SESSION, reason=reason)
    return question


@transaction.atomic
def triage_redirect(
    *,
    worker: User,
    question: Question,
    target: str,
    note: str,
    pool: ExpertPool | None = None,
) -> Question:
    """To regular care / the voorliggend veld, another pool (chosen from those serving the team:
    the generalist asks it again with one click), or back to the GP; it ends here."""
    question = _claimed_for_update(worker=worker, question=question)
    if target not in RedirectTarget.values:
        raise ValidationError({"target": _("Choose where the question goes.")})
    if not note.strip():
        raise ValidationError({"note": _("Write a note for the generalist.")})
    if target == RedirectTarget.OTHER_POOL:
        if pool is None or not redirect_pools(question=question).filter(pk=pool.pk).exists():
            raise ValidationError({"pool": _("Choose the expert pool the question goes to.")})
        question.redirect_pool = pool
        question.save(update_fields=["redirect_pool"])
    post(
        question=question,
        author=worker,
        kind=Message.Kind.TRIAGE_NOTE,
        body=note,
        discipline=_discipline(worker),
        move_to=Status.REDIRECTED,
        code=REDIRECT_REASONS[RedirectTarget(target)],
        reason=pool.name if target == RedirectTarget.OTHER_POOL and pool else "",
        notify_kind=Notification.Kind.REDIRECTED,
        recipients=[question.asked_by],
    )
    _decide(worker=worker, question=question, kind=TriageDecision.Kind.REDIRECT, target=target)
    return question


# --- The assigned expert ---------------------------------------------------------------------
def _assignment(*, expert: User, question: Question) -> QuestionExpert:
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
def assignment_accept(*, expert: User, question: Question) -> QuestionExpert:
    """Accept an assignment; the history says who accepted (once, however often it is sent)."""
    question = question_for_update(actor=expert, question=question, side=Side.EXPERT)
    link = _assignment(expert=expert, question=question)
    if link.accepted_at is None:
        link.accepted_at = timezone.now()
        link.save(update_fields=["accepted_at"])
        workflow.record(
            question=question, actor=expert, code=Reason.ACCEPTED, reason=expert.get_full_name()
        )
    return link


@transaction.atomic
def assignment_decline(*, expert: User, question: Question, reason: str) -> QuestionExpert:
    """Decline with a reason. When nobody assigned is left, the question returns to the queue."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the triage worker why.")})
    question = question_for_update(actor=expert, question=question, side=Side.EXPERT)
    link = _assignment(expert=expert, question=question)
    link.declined_at, link.decline_reason = timezone.now(), reason.strip()[:500]
    link.save(update_fields=["declined_at", "decline_reason"])
    remove_perm(f"consultation.{VIEW_GRANT}", expert, question)
    remove_perm(f"consultation.{ADVISE_GRANT}", expert, question)
    still_assigned = QuestionExpert.objects.filter(
        question=question, kind=QuestionExpert.Kind.ASSIGNED, declined_at__isnull=True
    ).exists()
    if not still_assigned and (
        question.status == Status.NEEDS_CLARIFICATION
        and question.status_before_clarification == Status.ASSIGNED
    ):
        # Nobody is assigned any more: after the reply the question goes back to the queue.
        workflow.set_return_status(question=question, status=Status.IN_TRIAGE)
    declined = f"{expert.get_full_name()}: {link.decline_reason}"
    if not still_assigned and question.status == Status.ASSIGNED:
        workflow.transition(
            question=question,
            to=Status.IN_TRIAGE,
            actor=expert,
            code=Reason.DECLINED,
            reason=declined,
        )
    else:
        # Others stay assigned (or the team is being asked): the history says so all the same.
        workflow.record(question=question, actor=expert, code=Reason.DECLINED, reason=declined)
    notify(
        kind=Notification.Kind.DECLINED,
        question=question,
        recipients=list(question.pool.triage_workers.all()),
        event_key=f"decline:{link.pk}:{link.declined_at.isoformat()}",
    )
    return link
