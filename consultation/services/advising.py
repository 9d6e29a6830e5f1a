"""The experts' writes: pick up, advise, ask for clarification; and documents from both sides."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation import workflow
from consultation.access import Side, question_for_update
from consultation.bell import forget_bells
from consultation.models import (
    Attachment,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    Reason,
    Status,
)
from consultation.selectors import expert_profile_of
from consultation.services.common import join, post, privacy_check
from consultation.uploads import attachment_check, virus_scan
from expertise.models import ExpertProfile
from wijkteam.selectors import is_team_member

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


def _expert_for_update(
    *, actor: User, question: Question, side: Side
) -> tuple[Question, ExpertProfile]:
    """The locked question and the expert's profile (their discipline signs the advice)."""
    profile = expert_profile_of(user=actor)
    if profile is None:
        raise PermissionDenied(_("Only experts of the pool can do this."))
    return question_for_update(actor=actor, question=question, side=side), profile


def _adviser_for_update(*, actor: User, question: Question) -> tuple[Question, str, bool]:
    """The locked question, the discipline that signs the advice, and whether the adviser is an
    expert. An expert signs with their discipline; a coordinator of the question's pool who is
    no expert (access.Side.ADVISER lets them through) signs as the pool's coordinator and is
    not listed among the experts on the question."""
    profile = expert_profile_of(user=actor)
    locked = question_for_update(actor=actor, question=question, side=Side.ADVISER)
    if profile is not None:
        return locked, profile.job_title, True
    return locked, str(_("coordinator of the expertise team")), False


@transaction.atomic
def question_pick_up(*, actor: User, question: Question) -> QuestionExpert:
    """'I'll pick this up': others in the pool see who is on it; the expert gets row-level
    view/advise grants, so the question stays theirs whatever its matching."""
    question, _profile = _expert_for_update(actor=actor, question=question, side=Side.EXPERT)
    if question.status not in workflow.ADVISABLE:
        raise ValidationError(_("This question is no longer open."))
    link = join(question=question, expert=actor)
    workflow.touch(question)
    return link


@transaction.atomic
def question_advise(*, actor: User, question: Question, body: str) -> Message:
    question, discipline, is_expert = _adviser_for_update(actor=actor, question=question)
    if question.status not in workflow.ADVISABLE:
        raise ValidationError(_("This question is no longer open for advice."))
    if is_expert:
        join(question=question, expert=actor)
    if (
        question.status == Status.NEEDS_CLARIFICATION
        and question.status_before_clarification in workflow.ANSWERED_BY_ADVICE
    ):
        # Another expert advised while the team was asked for clarification: when the team
        # replies, the question returns to "answered", not to "open".
        workflow.set_return_status(question=question, status=Status.ANSWERED)
    return post(
        question=question,
        author=actor,
        kind=Message.Kind.ADVICE,
        body=body,
        discipline=discipline,
        move_to=Status.ANSWERED if question.status in workflow.ANSWERED_BY_ADVICE else None,
        code=Reason.ADVICE_GIVEN,
        notify_kind=Notification.Kind.NEW_ADVICE,
        recipients=[question.asked_by],
    )


@transaction.atomic
def question_request_clarification(*, actor: User, question: Question, body: str) -> Message:
    question, discipline, is_expert = _adviser_for_update(actor=actor, question=question)
    if question.status not in workflow.ADVISABLE or question.status == Status.NEEDS_CLARIFICATION:
        raise ValidationError(_("Clarification cannot be asked now."))
    if is_expert:
        join(question=question, expert=actor)
    return post(
        question=question,
        author=actor,
        kind=Message.Kind.CLARIFICATION_REQUEST,
        body=body,
        discipline=discipline,
        move_to=Status.NEEDS_CLARIFICATION,
        code=Reason.CLARIFICATION_ASKED,
        notify_kind=Notification.Kind.CLARIFICATION_REQUESTED,
        recipients=[question.asked_by],
    )


# --- Both sides ----------------------------------------------------------------------------------
@transaction.atomic
def attachment_add(
    *,
    actor: User,
    question: Question,
    upload: UploadedFile,
    note: str = "",
    privacy_confirmed: bool = False,
) -> Attachment:
    """A document on the question. The team's note and file name pass the privacy guard."""
    team_side = is_team_member(user=actor, team_id=question.team_id)
    if team_side:
        question = question_for_update(actor=actor, question=question, side=Side.TEAM)
    else:
        question, _profile = _expert_for_update(actor=actor, question=question, side=Side.EXPERT)
        on_it = QuestionExpert.objects.filter(question=question, expert=actor).exists()
        if not on_it and question.status not in workflow.ADVISABLE:
            raise ValidationError(_("This question is no longer open."))
        # Contributing a document counts as being on the question, like advising does.
        join(question=question, expert=actor)
    if question.status in workflow.FINAL:
        raise ValidationError(_("This question is closed."))
    name = upload.name or ""
    content_type = attachment_check(upload)
    if team_side:
        privacy_check(
            question=question,
            texts={"note": note, "file": Path(name).stem},
            confirmed=privacy_confirmed,
        )
    virus_scan(upload)
    attachment = Attachment.objects.create(
        question=question,
        uploaded_by=actor,
        file=upload,
        name=Path(name).name[:160],
        note=note,
        content_type=content_type,
        size=upload.size or 0,
    )
    workflow.touch(question)
    return attachment


def question_mark_read(*, user: User, question: Question) -> None:
    """One upsert statement: opening a question must not cost a read-then-write."""
    QuestionRead.objects.bulk_create(
        [QuestionRead(question=question, user=user, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["question", "user"],
        update_fields=["read_at"],
    )


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    queryset = Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    forget_bells([user.pk])
    return queryset.update(read_at=timezone.now())
