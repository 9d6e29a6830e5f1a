"""What the question services share: input, the privacy guard, who is on a question, and the
one "write in the thread, move, notify" step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from guardian.shortcuts import assign_perm

from consultation import workflow
from consultation.models import Message, Question, QuestionExpert
from consultation.notifications import notify
from consultation.privacy import Finding, ResidentIdentity, check_texts
from consultation.selectors import ADVISE_GRANT, VIEW_GRANT
from expertise.models import ExpertProfile

if TYPE_CHECKING:
    from accounts.models import User
    from wijkteam.models import Case


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

    FIELDS = ("title", "situation", "tried", "question", "urgency", "help_form")

    @classmethod
    def of(cls, data: dict) -> QuestionInput:
        """From a form's or serializer's cleaned data (optional fields may be left out)."""
        return cls(
            title=data["title"],
            situation=data["situation"],
            tried=data.get("tried", ""),
            question=data["question"],
            urgency=data.get("urgency") or Question.Urgency.NORMAL,
            help_form=data.get("help_form") or Question.HelpForm.WRITTEN,
        )


def privacy_check(
    *,
    texts: dict[str, str],
    confirmed: bool,
    question: Question | None = None,
    case: Case | None = None,
) -> str:
    """Raise PrivacyCheckRequired when the texts may identify the resident (of the question's
    case, or of `case` before there is a question) and the generalist has not confirmed; return
    the kinds found (for the history) when they did confirm. Called before anything is stored,
    so that a stopped text lives only in the form until it is edited or confirmed."""
    about = case if case is not None else question.case  # type: ignore[union-attr]
    findings = check_texts(texts, ResidentIdentity.of(about.resident))
    if findings and not confirmed:
        raise PrivacyCheckRequired(findings)
    # The kinds only, never the text found: the history is shown outside the team.
    return ", ".join(sorted({f.kind for items in findings.values() for f in items}))


def participants(question: Question) -> list[User]:
    """The experts working on the question; one who declined an assignment is no longer."""
    return [
        qe.expert
        for qe in QuestionExpert.objects.filter(
            question=question, declined_at__isnull=True
        ).select_related("expert")
    ]


def matching_experts(*, question: Question) -> QuerySet[User]:
    """Experts of a network pool whose life domains or target groups match the question."""
    from accounts.models import User

    if not question.pool.is_active:
        return User.objects.none()  # nobody could open it: the inbox skips inactive pools
    profiles = ExpertProfile.objects.filter(pools=question.pool, is_active=True).filter(
        Q(life_domains__in=question.life_domains.all())
        | Q(target_groups__in=question.target_groups.all())
    )
    return User.objects.filter(expert_profile__in=profiles, is_active=True).distinct()


def grant_expert(*, question: Question, expert: User) -> None:
    """Row-level grants: the question stays the expert's, whatever its matching."""
    assign_perm(f"consultation.{VIEW_GRANT}", expert, question)
    assign_perm(f"consultation.{ADVISE_GRANT}", expert, question)


def join(*, question: Question, expert: User, kind: str = QuestionExpert.Kind.PICKED_UP):
    """Put an expert on the (locked) question, with the grants; a second call changes nothing."""
    link, created = QuestionExpert.objects.get_or_create(
        question=question, expert=expert, defaults={"kind": kind}
    )
    if created:
        grant_expert(question=question, expert=expert)
    return link


def post(
    *,
    question: Question,
    author: User,
    kind: str,
    body: str,
    discipline: str = "",
    move_to: str | None = None,
    code: str = "",
    reason: str = "",
    notify_kind: str | None = None,
    recipients: Iterable[User] = (),
) -> Message:
    """Write in the thread of the locked question; then move it (or mark the activity), and
    tell `recipients`. One step, used by the team, the experts and triage alike."""
    message = Message.objects.create(
        question=question, author=author, kind=kind, body=body, author_discipline=discipline
    )
    if move_to is not None:
        workflow.transition(question=question, to=move_to, actor=author, code=code, reason=reason)
    else:
        workflow.touch(question)
    if notify_kind is not None:
        notify(
            kind=notify_kind,
            question=question,
            recipients=recipients,
            event_key=f"message:{message.pk}",
        )
    return message
