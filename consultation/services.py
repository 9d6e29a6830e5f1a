"""Writes for questions. Keyword-only, typed, named <entity>_<action> (DESIGN §6).

Ownership stays with the generalist (casusregie): only the asking team closes, reopens or
withdraws; experts advise and ask for clarification. Every status change goes through
consultation.workflow.transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from consultation import workflow
from consultation.models import (
    AdviceRating,
    Attachment,
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    Status,
)
from consultation.notifications import notify
from consultation.privacy import Finding, ResidentIdentity, check_texts
from consultation.selectors import expert_questions_q
from expertise.models import ExpertPool, ExpertProfile
from wijkteam.models import Case, TeamMembership

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class PrivacyCheckRequired(Exception):
    """The text may identify the resident: the generalist must edit it or confirm."""

    def __init__(self, findings: dict[str, list[Finding]]):
        self.findings = findings
        super().__init__("privacy check required")


@dataclass(frozen=True)
class QuestionInput:
    title: str
    situation: str
    tried: str
    question: str
    urgency: str = Question.Urgency.NORMAL
    help_form: str = Question.HelpForm.WRITTEN


# --- Guards --------------------------------------------------------------------------------------
def _require_team_member(*, actor, question: Question) -> None:
    if not TeamMembership.objects.filter(user=actor, team_id=question.team_id).exists():
        raise PermissionDenied(_("Only the asking district team can do this."))


def _require_expert(*, actor, question: Question) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=actor, is_active=True).first()
    if (
        profile is None
        or not Question.objects.filter(expert_questions_q(user=actor), pk=question.pk).exists()
    ):
        raise PermissionDenied(_("Only experts of the pool can do this."))
    return profile


def _privacy_check(*, question: Question, texts: dict[str, str], confirmed: bool) -> str:
    """Raise PrivacyCheckRequired when the texts may identify the resident and the generalist
    has not confirmed; return a note for the history when they did confirm."""
    findings = check_texts(texts, ResidentIdentity.of(question.case.resident))
    if findings and not confirmed:
        raise PrivacyCheckRequired(findings)
    if findings:
        kinds = sorted({f.kind for items in findings.values() for f in items})
        # The kinds only, never the text found: the history is shown outside the team.
        return "privacy check confirmed by the generalist: " + ", ".join(kinds)
    return ""


def _touch(question: Question) -> None:
    Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())


def _participants(question: Question):
    """The experts working on the question; one who declined an assignment is no longer."""
    return [
        qe.expert
        for qe in QuestionExpert.objects.filter(
            question=question, declined_at__isnull=True
        ).select_related("expert")
    ]


def matching_experts(*, question: Question):
    """Experts of a network pool whose life domains or target groups match the question."""
    from accounts.models import User

    if not question.pool.is_active:
        return User.objects.none()  # nobody could open it: the inbox skips inactive pools
    profiles = ExpertProfile.objects.filter(pools=question.pool, is_active=True).filter(
        models_q_matching(question)
    )
    return User.objects.filter(expert_profile__in=profiles, is_active=True).distinct()


def models_q_matching(question: Question):
    from django.db.models import Q

    return Q(life_domains__in=question.life_domains.all()) | Q(
        target_groups__in=question.target_groups.all()
    )


# --- The asking team -----------------------------------------------------------------------------
@transaction.atomic
def question_create(
    *, actor, case: Case, pool: ExpertPool, data: QuestionInput, life_domains=(), target_groups=()
) -> Question:
    """A draft question; nothing leaves the team until question_submit."""
    if not TeamMembership.objects.filter(user=actor, team_id=case.team_id).exists():
        raise PermissionDenied(_("Only the asking district team can do this."))
    if not pool.is_active or not pool.teams.filter(pk=case.team_id).exists():
        raise ValidationError({"pool": _("This expert pool does not serve your team.")})
    question = Question.objects.create(
        case=case,
        team_id=case.team_id,
        pool=pool,
        asked_by=actor,
        title=data.title,
        situation=data.situation,
        tried=data.tried,
        question=data.question,
        urgency=data.urgency,
        help_form=data.help_form,
    )
    question.life_domains.set(life_domains)
    question.target_groups.set(target_groups)
    workflow.QuestionTransition.objects.create(
        question=question,
        actor=actor,
        from_status="",
        to_status=Status.DRAFT,
        reason="draft saved",
    )
    return question


@transaction.atomic
def question_update_draft(
    *,
    actor,
    question: Question,
    data: QuestionInput,
    pool: ExpertPool,
    life_domains=(),
    target_groups=(),
) -> Question:
    _require_team_member(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be edited."))
    if not pool.is_active or not pool.teams.filter(pk=question.team_id).exists():
        raise ValidationError({"pool": _("This expert pool does not serve your team.")})
    for field in ("title", "situation", "tried", "question", "urgency", "help_form"):
        setattr(question, field, getattr(data, field))
    question.pool = pool
    question.save()
    question.life_domains.set(life_domains)
    question.target_groups.set(target_groups)
    return question


ROUTE_BY_MODEL = {
    ExpertPool.CollaborationModel.NETWORK: Status.OPEN,
    ExpertPool.CollaborationModel.TEAM: Status.SCHEDULED,
    ExpertPool.CollaborationModel.TRIAGE: Status.IN_TRIAGE,
}


@transaction.atomic
def question_submit(*, actor, question: Question, privacy_confirmed: bool = False) -> Question:
    """Send the draft to the pool; routed by the pool's collaboration model (DESIGN §3)."""
    _require_team_member(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status != Status.DRAFT:
        raise ValidationError(_("This question has already been submitted."))
    if not question.pool.is_active:
        raise ValidationError({"pool": _("This expert pool does not serve your team.")})
    note = _privacy_check(
        question=question,
        texts={
            "title": question.title,
            "situation": question.situation,
            "tried": question.tried,
            "question": question.question,
        },
        confirmed=privacy_confirmed,
    )
    workflow.transition(question=question, to=Status.SUBMITTED, actor=actor, reason=note)
    model = question.pool.collaboration_model
    route = ROUTE_BY_MODEL[model]
    workflow.transition(
        question=question,
        to=route,
        actor=None,
        reason=f"routed by the pool's collaboration model ({model})",
    )
    if route == Status.IN_TRIAGE:
        notify(
            kind=Notification.Kind.NEW_IN_QUEUE,
            question=question,
            recipients=question.pool.triage_workers.all(),
            event_key=f"question:{question.pk}:in-queue",
        )
    if route == Status.OPEN:
        notify(
            kind=Notification.Kind.NEW_QUESTION,
            question=question,
            recipients=matching_experts(question=question),
            event_key=f"question:{question.pk}:submitted",
        )
    question.refresh_from_db()
    return question


@transaction.atomic
def question_reply(
    *, actor, question: Question, body: str, privacy_confirmed: bool = False
) -> Message:
    """The generalist writes in the thread: an answer to a clarification request (the question
    returns to where it was) or a follow-up."""
    _require_team_member(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status in workflow.FINAL or question.status == Status.DRAFT:
        raise ValidationError(_("This question is not open for messages."))
    note = _privacy_check(question=question, texts={"body": body}, confirmed=privacy_confirmed)
    answering = question.status == Status.NEEDS_CLARIFICATION
    kind = Message.Kind.REPLY if answering else Message.Kind.FOLLOW_UP
    message = Message.objects.create(question=question, author=actor, kind=kind, body=body)
    if answering:
        back = question.status_before_clarification or Status.OPEN
        workflow.transition(
            question=question, to=back, actor=actor, reason=note or "clarification given"
        )
    else:
        _touch(question)
    recipients = _participants(question)
    if answering:
        # Whoever asked (an expert, or the triage worker) hears the answer.
        asked = question.messages.filter(kind=Message.Kind.CLARIFICATION_REQUEST).last()
        if asked is not None:
            recipients.append(asked.author)
    notify(
        kind=Notification.Kind.REPLY if answering else Notification.Kind.FOLLOW_UP,
        question=question,
        recipients=recipients,
        event_key=f"message:{message.pk}",
    )
    return message


@transaction.atomic
def question_close(
    *,
    actor,
    question: Question,
    direction: str,
    escalation: str,
    comment: str = "",
    ratings: dict[int, int] | None = None,
) -> CloseOut:
    """Close with the close-out form; only the asking team closes (casusregie)."""
    _require_team_member(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status not in workflow.CLOSABLE:
        raise ValidationError(_("This question cannot be closed now."))
    errors = {}
    if direction not in CloseOut.Direction.values:
        errors["direction"] = _("Choose what the advice did.")
    if escalation not in CloseOut.Escalation.values:
        errors["escalation"] = _("Choose what happened to escalation.")
    if errors:
        raise ValidationError(errors)
    ratings = ratings or {}
    try:
        ratings = {int(pk): int(score) for pk, score in ratings.items()}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"ratings": _("Usefulness is a number from 1 to 5.")}) from exc
    advice_ids = set(
        question.messages.filter(kind=Message.Kind.ADVICE).values_list("pk", flat=True)
    )
    unknown = set(ratings) - advice_ids
    if unknown:
        raise ValidationError({"ratings": _("Rate only the advice given on this question.")})
    if any(not 1 <= int(score) <= 5 for score in ratings.values()):
        raise ValidationError({"ratings": _("Usefulness is a number from 1 to 5.")})
    close_out = CloseOut.objects.create(
        question=question,
        closed_by=actor,
        direction=direction,
        escalation=escalation,
        comment=comment,
    )
    AdviceRating.objects.bulk_create(
        AdviceRating(close_out=close_out, message_id=pk, usefulness=int(score))
        for pk, score in ratings.items()
    )
    workflow.transition(question=question, to=Status.CLOSED, actor=actor, reason="closed")
    notify(
        kind=Notification.Kind.QUESTION_CLOSED,
        question=question,
        recipients=_participants(question),
        event_key=f"closeout:{close_out.pk}",
    )
    return close_out


@transaction.atomic
def question_reopen(*, actor, question: Question, reason: str) -> Question:
    _require_team_member(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status != Status.CLOSED:
        raise ValidationError(_("Only a closed question can be reopened."))
    has_advice = question.messages.filter(kind=Message.Kind.ADVICE).exists()
    moved = workflow.transition(
        question=question,
        to=Status.ANSWERED if has_advice else Status.OPEN,
        actor=actor,
        reason=reason or "reopened",
    )
    # The experts who advised hear that the question is open again.
    notify(
        kind=Notification.Kind.REOPENED,
        question=question,
        recipients=_participants(question),
        event_key=f"reopen:{moved.last_step.pk}",
    )
    return question


@transaction.atomic
def question_withdraw(*, actor, question: Question, reason: str = "") -> Question:
    _require_team_member(actor=actor, question=question)
    return workflow.transition(
        question=question, to=Status.WITHDRAWN, actor=actor, reason=reason or "withdrawn"
    )


# --- Experts -------------------------------------------------------------------------------------
@transaction.atomic
def question_pick_up(*, actor, question: Question) -> QuestionExpert:
    """'I'll pick this up': others in the pool see who is on it; the expert gets row-level
    view/advise grants, so the question stays theirs whatever its matching."""
    _require_expert(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status not in workflow.ADVISABLE:
        raise ValidationError(_("This question is no longer open."))
    link, _created = QuestionExpert.objects.get_or_create(
        question=question, expert=actor, defaults={"kind": QuestionExpert.Kind.PICKED_UP}
    )
    assign_perm("consultation.view_question", actor, question)
    assign_perm("consultation.advise_question", actor, question)
    _touch(question)
    return link


@transaction.atomic
def question_advise(*, actor, question: Question, body: str) -> Message:
    profile = _require_expert(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status not in workflow.ADVISABLE:
        raise ValidationError(_("This question is no longer open for advice."))
    if not QuestionExpert.objects.filter(question=question, expert=actor).exists():
        question_pick_up(actor=actor, question=question)
    message = Message.objects.create(
        question=question,
        author=actor,
        kind=Message.Kind.ADVICE,
        body=body,
        author_discipline=profile.job_title,
    )
    if question.status in (Status.OPEN, Status.ASSIGNED, Status.SCHEDULED):
        workflow.transition(
            question=question, to=Status.ANSWERED, actor=actor, reason="advice given"
        )
    elif question.status == Status.NEEDS_CLARIFICATION and (
        question.status_before_clarification in (Status.OPEN, Status.ASSIGNED, Status.SCHEDULED)
    ):
        # Another expert advised while the team was asked for clarification: when the team
        # replies, the question returns to "answered", not to "open".
        question.status_before_clarification = Status.ANSWERED
        question.last_activity_at = timezone.now()
        question.save(update_fields=["status_before_clarification", "last_activity_at"])
    else:
        _touch(question)
    notify(
        kind=Notification.Kind.NEW_ADVICE,
        question=question,
        recipients=[question.asked_by],
        event_key=f"message:{message.pk}",
    )
    return message


@transaction.atomic
def question_request_clarification(*, actor, question: Question, body: str) -> Message:
    profile = _require_expert(actor=actor, question=question)
    question = workflow.lock(question)
    if question.status not in workflow.ADVISABLE or question.status == Status.NEEDS_CLARIFICATION:
        raise ValidationError(_("Clarification cannot be asked now."))
    if not QuestionExpert.objects.filter(question=question, expert=actor).exists():
        question_pick_up(actor=actor, question=question)
    message = Message.objects.create(
        question=question,
        author=actor,
        kind=Message.Kind.CLARIFICATION_REQUEST,
        body=body,
        author_discipline=profile.job_title,
    )
    workflow.transition(
        question=question, to=Status.NEEDS_CLARIFICATION, actor=actor, reason="clarification asked"
    )
    notify(
        kind=Notification.Kind.CLARIFICATION_REQUESTED,
        question=question,
        recipients=[question.asked_by],
        event_key=f"message:{message.pk}",
    )
    return message


# --- Both sides ----------------------------------------------------------------------------------
@transaction.atomic
def attachment_add(
    *, actor, question: Question, upload, note: str = "", privacy_confirmed: bool = False
) -> Attachment:
    """A document on the question. The team's note and file name pass the privacy guard."""
    from pathlib import Path

    team_side = TeamMembership.objects.filter(user=actor, team_id=question.team_id).exists()
    if not team_side:
        _require_expert(actor=actor, question=question)
        # Contributing a document counts as being on the question, like advising does.
        if not QuestionExpert.objects.filter(question=question, expert=actor).exists():
            question_pick_up(actor=actor, question=question)
    if question.status in workflow.FINAL:
        raise ValidationError(_("This question is closed."))
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {"file": _("Allowed are PDF, Word, OpenDocument, text, PNG and JPEG files.")}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("A file can be at most 10 MB.")})
    if team_side:
        _privacy_check(
            question=question,
            texts={"note": note, "file": Path(upload.name).stem},
            confirmed=privacy_confirmed,
        )
    attachment = Attachment.objects.create(
        question=question,
        uploaded_by=actor,
        file=upload,
        name=Path(upload.name).name[:160],
        note=note,
        content_type=ALLOWED_ATTACHMENT_TYPES[suffix],
        size=upload.size,
    )
    _touch(question)
    return attachment


def question_mark_read(*, user, question: Question) -> None:
    """One upsert statement: opening a question must not cost a read-then-write."""
    QuestionRead.objects.bulk_create(
        [QuestionRead(question=question, user=user, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["question", "user"],
        update_fields=["read_at"],
    )


def notifications_mark_read(*, user, ids=None) -> int:
    queryset = Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
